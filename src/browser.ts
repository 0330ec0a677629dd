/**
 * numbats' browser entry: package.json's `exports` sends bundlers here (the `browser`
 * condition) instead of `index.ts`. It imports gpu.js — which bundlers resolve to gpu.js's
 * browser build through its own `browser` field — and hands it to the `gpu` target, whose
 * Node path (`require('gpu.js')`) does not exist in a page; then it exports exactly what
 * the Node entry exports. Without a bundler, load gpu.js's `dist/gpu-browser.js` with a
 * `<script>` tag instead: the `gpu` target picks up its global `GPU`.
 */
import { GPU } from 'gpu.js';
import { registerGpuJs } from './targets/gpu/backend.js';

registerGpuJs(GPU);

export * from './index.js';
