/** Shared by the wasm target's tests: heap copies of generated views, bitwise comparison. */
import ndarray from 'ndarray';
import { afterAll, beforeAll, expect } from 'vitest';
import { currentHeap, type Heap } from '../../../src/core/heap.js';
import {
  configureHeap,
  type DType,
  dtypeOf,
  type NdArray,
  type TypedArray,
} from '../../../src/index.js';
import { lastPathOfAnyCall, wasmConfig } from '../../../src/targets/wasm/map.js';

/** The same view (shape, strides, offset, values) over a copy of its buffer on the numbats heap. */
export function onHeapCopy(a: NdArray): NdArray {
  const src = a.data as TypedArray;
  const heap = currentHeap() as Heap;
  const data = heap.alloc(dtypeOf(a), src.length);
  data.set(src as never);
  return ndarray(data, a.shape.slice(), a.stride.slice(), a.offset) as NdArray;
}

/** Every element equal as Object.is sees it (NaN equals NaN, -0 differs from 0), in C order. */
export function expectSameBits(actual: NdArray, expected: NdArray, what: string): void {
  expect(dtypeOf(actual)).toBe(dtypeOf(expected));
  expect(actual.shape).toEqual(expected.shape);
  const n = actual.shape.reduce((x, y) => x * y, 1);
  const nd = actual.shape.length;
  const idx = new Array<number>(nd).fill(0);
  for (let k = 0; k < n; k++) {
    const x = actual.get(...idx);
    const y = expected.get(...idx);
    if (!Object.is(x, y)) {
      throw new Error(`${what}: element [${idx.join(',')}] is ${x} on wasm, ${y} on the JS loop`);
    }
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < actual.shape[d]) break;
      idx[d] = 0;
    }
  }
}

/**
 * For a test file: every array may go on the heap and every call on wasm (no size
 * thresholds, no cost rule) while its tests run; the settings are restored after.
 */
export function useWasmForEveryCall(): void {
  let saved: ReturnType<typeof configureHeap>;
  let savedMin = 0;
  beforeAll(() => {
    saved = configureHeap();
    savedMin = wasmConfig.minElements;
    configureHeap({ enabled: true, minBytes: 0 });
    wasmConfig.minElements = 0;
    wasmConfig.costRule = false;
  });
  afterAll(() => {
    configureHeap({ enabled: saved.enabled, minBytes: saved.minBytes });
    wasmConfig.minElements = savedMin;
    wasmConfig.enabled = true;
    wasmConfig.costRule = true;
  });
}

/** The dtypes a SIMD inner loop has lanes for (every dtype but bool and uint8_clamped). */
export const SIMD_DTYPES: readonly DType[] = [
  'float64',
  'float32',
  'int32',
  'uint32',
  'int16',
  'uint16',
  'int8',
  'uint8',
];

/**
 * Runs `f` on the JS loops, then on wasm; returns both results (an exception, like an
 * integer to a negative power, becomes its message: both paths must raise it) and the wasm
 * call's path (`path`: where the kind records it; the elementwise engine's by default).
 */
export function both<T>(
  f: () => T,
  path: () => string = lastPathOfAnyCall,
): [T | string, T | string, string] {
  const attempt = () => {
    try {
      return f();
    } catch (e) {
      return `threw ${(e as Error).message}`;
    }
  };
  wasmConfig.enabled = false;
  const js = attempt();
  wasmConfig.enabled = true;
  const w = attempt();
  return [js, w, path()];
}

/** A reduction's result, array or number, the same on both paths (Object.is per element). */
export function expectSame(w: unknown, js: unknown, what: string): void {
  if (typeof js === 'string' || typeof js === 'number')
    expect(Object.is(w, js), `${what}: ${w} on wasm, ${js} on the JS loop`).toBe(true);
  else expectSameBits(w as NdArray, js as NdArray, what);
}
