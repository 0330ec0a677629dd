#!/usr/bin/env node
// `npm test`: runs vitest, under `xvfb-run` when there is no display but xvfb-run exists (after
// scripts/setup-gpu.sh), so the gpu target's headlessgl tests get a GL context. Without
// xvfb-run the suite runs as is and the gpu tests use gpu.js's webasm backend.
import { spawnSync } from 'node:child_process';

const args = ['vitest', 'run', ...process.argv.slice(2)];
const hasXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
const wrap = !process.env.DISPLAY && hasXvfb && process.platform === 'linux';
const [cmd, cmdArgs] = wrap ? ['xvfb-run', ['-a', 'npx', ...args]] : ['npx', args];
const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
process.exit(r.status ?? 1);
