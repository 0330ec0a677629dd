/** Shared by the wasm target's tests: heap copies of generated views, bitwise comparison. */
import ndarray from 'ndarray';
import { expect } from 'vitest';
import { currentHeap, type Heap } from '../../../src/core/heap.js';
import { dtypeOf, type NdArray, type TypedArray } from '../../../src/index.js';

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
