/**
 * Arrays a whole function allocates on wasm (`zeros`/`empty`/`full` inside a jit function):
 * the module calls these imports, which allocate a zeroed block on the numbats heap (freed
 * when the array is collected, or by `free`) and keep the TypedArray of each in call order,
 * so an array the function returns is built over its own block afterwards.
 */
import { type DType, STORAGE, type TypedArray } from '../../core/dtypes.js';
import { ValueError } from '../../core/errors.js';
import { existingHeap } from '../../core/heap.js';

/** The blocks the current call allocated, in order (a call never runs inside another). */
let allocated: TypedArray[] = [];

/** Starts a call: forgets the previous call's blocks. */
export function startCall(): void {
  allocated = [];
}

/** The block a call allocated as its `i`-th array. */
export function allocatedBlock(i: number): TypedArray {
  return allocated[i];
}

/** An extent for a new array: a non-negative integer (the JS path's check and message). */
export function checkedDim(n: number): number {
  if (!(n >= 0) || !Number.isInteger(n)) {
    throw new ValueError(
      n < 0
        ? `negative dimensions are not allowed (got ${n})`
        : `array dimensions must be integers (got ${n})`,
    );
  }
  // A TypedArray this long cannot exist either (the JS path's constructor throws).
  if (n > 2 ** 32) throw new RangeError(`Invalid typed array length: ${n}`);
  return n;
}

const allocators = new Map<DType, (n: number) => number>();

/** The import that allocates `n` zeroed elements of `dtype` and returns their byte address. */
export function allocator(dtype: DType): (n: number) => number {
  let a = allocators.get(dtype);
  if (!a) {
    a = (n: number) => {
      const data = existingHeap()!.alloc(dtype, n);
      allocated.push(data);
      return data.byteOffset;
    };
    allocators.set(dtype, a);
  }
  return a;
}

/** Bytes per element of a dtype. */
export function bytesOf(dtype: DType): number {
  return STORAGE[dtype].BYTES_PER_ELEMENT;
}
