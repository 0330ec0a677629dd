/**
 * Helpers of the tests of the `parallel` target on wasm: one call run three ways (the `cpu`
 * JS loop, the `cpu` wasm loop, the `parallel` workers) and compared bit for bit.
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

/**
 * Runs `call` on `p.cpu` with the JS loops, on `p.cpu` with wasm, and on `p.par`; expects the
 * three results to be the same bits and returns the path the parallel call took.
 */
export function threeWays(p: Pair, call: (u: Ufunc) => unknown, what: string): string {
  wasmConfig.enabled = false;
  let js: unknown;
  try {
    js = attempt(() => call(p.cpu));
  } finally {
    wasmConfig.enabled = true;
  }
  const wasm = attempt(() => call(p.cpu));
  const par = attempt(() => call(p.par));
  const path = lastPathOfAnyCall();
  if (typeof js === 'string') {
    expect(wasm, `${what}: cpu wasm`).toBe(js);
    expect(par, `${what}: parallel (${path})`).toBe(js);
  } else {
    expectSame(wasm, js, `${what}: cpu wasm`);
    expectSame(par, js, `${what}: parallel (${path})`);
  }
  return path;
}
