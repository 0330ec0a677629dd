/**
 * The array type numbats takes and returns: a scijs `ndarray` over a TypedArray. It is
 * declared here, member for member as `@types/ndarray` declares it, so that the published
 * types stand alone (`ndarray`'s types are not a dependency of numbats users) and stay
 * assignable both ways to scijs's `NdArray` for code that also uses ndarray-ops & co.
 */
import type { TypedArray } from './dtypes.js';

/** scijs's `dtype` string of a TypedArray type (`BoolArray` is a Uint8Array: 'uint8'). */
export type NdDataType<T> = T extends Int8Array
  ? 'int8'
  : T extends Int16Array
    ? 'int16'
    : T extends Int32Array
      ? 'int32'
      : T extends Uint8Array
        ? 'uint8'
        : T extends Uint8ClampedArray
          ? 'uint8_clamped'
          : T extends Uint16Array
            ? 'uint16'
            : T extends Uint32Array
              ? 'uint32'
              : T extends Float32Array
                ? 'float32'
                : T extends Float64Array
                  ? 'float64'
                  : 'array';

/** A scijs ndarray over a TypedArray: a strided n-dimensional view of `data`. */
export interface NdArray<T extends TypedArray = TypedArray> {
  /** The storage; element `(i, j, …)` is `data[offset + i*stride[0] + j*stride[1] + …]`. */
  data: T;
  shape: number[];
  /** Element (not byte) strides per axis; may be negative or zero. */
  stride: number[];
  offset: number;
  /** scijs's name of the storage type (numbats' `dtypeOf` also tells bool apart). */
  dtype: NdDataType<T>;
  size: number;
  order: number[];
  dimension: number;
  get(...index: number[]): number;
  set(...indexThenValue: number[]): number;
  index(...index: number[]): number;
  lo(...index: number[]): NdArray<T>;
  hi(...index: number[]): NdArray<T>;
  step(...steps: number[]): NdArray<T>;
  transpose(...axes: number[]): NdArray<T>;
  pick(...index: Array<number | null>): NdArray<T>;
  T: NdArray<T>;
}
