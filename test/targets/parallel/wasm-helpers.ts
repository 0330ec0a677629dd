/**
 * Helpers of the tests of the `parallel` target on wasm: one call run four ways (the `cpu`
 * JS loop, the `cpu` wasm loop, the `parallel` workers on wasm and on their JS loops) and
 * compared bit for bit.
 */
import { expect } from 'vitest';
import type { Ufunc } from '../../../src/index.js';
import { lastPathOfAnyCall, wasmConfig } from '../../../src/targets/wasm/map.js';
import { expectSame } from '../wasm/helpers.js';
import type { Pair } from './helpers.js';

/** A call's result, or the message it threw (every path must throw the same). */
function attempt<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    return `threw ${(e as Error).name}: ${(e as Error).message}`;
  }
}

function same(got: unknown, want: unknown, what: string): void {
  if (typeof want === 'string' || typeof got === 'string') expect(got, what).toBe(want);
  else expectSame(got, want, what);
}

/** `call(u)` with the wasm engine switched off (the JS loops, on the workers for `parallel`). */
function onJsLoops(u: Ufunc, call: (u: Ufunc) => unknown): unknown {
  wasmConfig.enabled = false;
  try {
    return attempt(() => call(u));
  } finally {
    wasmConfig.enabled = true;
  }
}

/**
 * Runs `call` on `p.cpu` with the JS loops and with wasm, and on `p.par` with its JS worker
 * loops and on wasm; expects the same bits from all four and returns the path the parallel
 * wasm call took. With `cpuExact: false` (a float reduction over several axes that do not
 * merge into one run: the workers' partials regroup it, as documented) the two parallel
 * paths must agree with each other only.
 */
export function threeWays(
  p: Pair,
  call: (u: Ufunc) => unknown,
  what: string,
  cpuExact = true,
): string {
  const js = onJsLoops(p.cpu, call);
  const wasm = attempt(() => call(p.cpu));
  const parJs = onJsLoops(p.par, call);
  const par = attempt(() => call(p.par));
  const path = lastPathOfAnyCall();
  same(wasm, js, `${what}: cpu wasm`);
  same(par, parJs, `${what}: parallel wasm (${path}) vs parallel JS loops`);
  if (cpuExact) same(par, js, `${what}: parallel (${path}) vs cpu`);
  return path;
}
