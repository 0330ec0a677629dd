/** Helpers of the parallel-target tests: kernel pairs (cpu, parallel) and array clones. */

import { view } from '../../../src/core/array.js';
import { STORAGE, type TypedArray } from '../../../src/core/dtypes.js';
import {
  dtypeOf,
  type NdArray,
  type ScalarKernel,
  type Ufunc,
  type VectorizeOptions,
  vectorize,
} from '../../../src/index.js';

export interface Pair {
  name: string;
  cpu: Ufunc;
  par: Ufunc;
}

export function pair(name: string, fn: ScalarKernel, options: VectorizeOptions = {}): Pair {
  return {
    name,
    cpu: vectorize(fn, { ...options, name }) as Ufunc,
    par: vectorize(fn, { ...options, name, target: 'parallel' }) as Ufunc,
  };
}

/** The same view (shape, strides, offset) over a copy of the data, shared or not. */
export function cloneView(a: NdArray, shared: boolean): NdArray {
  const src = a.data as TypedArray;
  const Ctor = STORAGE[dtypeOf(a)];
  const data = shared
    ? new Ctor(new SharedArrayBuffer(src.length * Ctor.BYTES_PER_ELEMENT), 0, src.length)
    : new Ctor(src.length);
  data.set(src);
  return view(data, a.shape, a.stride, a.offset);
}

/** Whole buffer of an array, for comparing what was (and was not) written. */
export function bufferOf(a: NdArray): number[] {
  return Array.from(a.data as TypedArray);
}
