/** Shared by the wasm jit tests: run one jit function on both paths and compare bit for bit. */
import { expect } from 'vitest';
import {
  DTYPES,
  type DType,
  isNdarray,
  type JitOptions,
  jit,
  type NdArray,
} from '../../../src/index.js';
import { lastJitPath } from '../../../src/targets/cpu/function.js';
import { wasmConfig } from '../../../src/targets/wasm/map.js';
import { ndarrayArb } from '../../../src/testing/index.js';
import { expectSameBits, onHeapCopy } from './helpers.js';

/** Every dtype the wasm lowering takes (uint8_clamped stays on the JS path). */
export const WASM_DTYPES: readonly DType[] = DTYPES.filter((d) => d !== 'uint8_clamped');

/** Random views (transposed, sliced, negative strides, size 0/1) of any wasm dtype. */
export const views = (
  minDims: number,
  maxDims: number,
  opts: { writable?: boolean; dtype?: readonly DType[] } = {},
) =>
  ndarrayArb({
    dtype: opts.dtype ?? WASM_DTYPES,
    minDims,
    maxDims,
    minSide: 0,
    maxSide: 5,
    special: true,
    writable: opts.writable ?? false,
  });

/** The paths a dispatcher's versions took on their latest calls, as its `inspect()` tells them. */
export function pathsOf(d: { inspect(): string }): string[] {
  return [...d.inspect().matchAll(/\/\/ path of the latest call: (.*)/g)].map((m) => m[1]);
}

/** Compiled once per test: a dispatcher of `f` reused by every run of a property. */
export function dispatcher(f: (...a: any[]) => unknown, options: JitOptions = {}): Jitted {
  return jit(f, options) as unknown as Jitted;
}

type Jitted = ((...a: any[]) => unknown) & { inspect(): string };

const attempt = (f: () => unknown): unknown => {
  try {
    return f();
  } catch (e) {
    return `threw ${(e as Error).name}: ${(e as Error).message}`;
  }
};

/** Compares two results: numbers/booleans with Object.is, arrays element by element, tuples by item. */
export function expectSameResult(w: unknown, js: unknown, what: string): void {
  if (Array.isArray(js)) {
    expect(Array.isArray(w), what).toBe(true);
    expect((w as unknown[]).length).toBe(js.length);
    js.forEach((x, i) => {
      expectSameResult((w as unknown[])[i], x, `${what}[${i}]`);
    });
  } else if (isNdarray(js)) expectSameBits(w as NdArray, js, what);
  else expect(Object.is(w, js), `${what}: ${String(w)} on wasm, ${String(js)} on JS`).toBe(true);
}

/**
 * Calls the dispatcher on heap copies of `args` with the wasm engine off, then on
 * other heap copies with it on; expects the same result and the same arguments afterwards
 * (stores), bit for bit. Returns the wasm call's path.
 */
export function wasmEqualsJs(d: Jitted, args: readonly unknown[]): string {
  const jsArgs = args.map((a) => (isNdarray(a) ? onHeapCopy(a) : a));
  const wArgs = args.map((a) => (isNdarray(a) ? onHeapCopy(a) : a));
  wasmConfig.enabled = false;
  const js = attempt(() => d(...jsArgs));
  // A call that failed before choosing a path (a compile error) leaves an older path.
  const called = lastJitPath() === 'js: the wasm engine is off';
  wasmConfig.enabled = true;
  const w = attempt(() => d(...wArgs));
  const path = called ? lastJitPath() : `not called: ${String(js)}`;
  expectSameResult(w, js, 'result');
  jsArgs.forEach((a, i) => {
    if (isNdarray(a)) expectSameBits(wArgs[i] as NdArray, a, `argument ${i + 1} after the call`);
  });
  return path;
}
