/**
 * Plain element-by-element helpers for the reference implementations and the
 * arbitraries: multi-index iteration, element reads and writes through `offset + Σ stride·i`,
 * and dtype store semantics. Nothing here uses numbats' compiled loops, so the references
 * built on it are an independent check of them.
 */
import ndarray from 'ndarray';
import { dtypeOf, type NdArray } from '../core/array.js';
import { type DType, STORAGE, type TypedArray } from '../core/dtypes.js';

/** Number of elements of a shape (1 for the 0-d shape `[]`). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Calls `cb` with every multi-index of `shape`, in C order (last index fastest). The 0-d
 * shape `[]` has exactly one index, `[]`; a shape with a 0 has none. Each index array is a
 * fresh copy the callback may keep.
 */
export function forEachIndex(shape: readonly number[], cb: (idx: number[]) => void): void {
  const nd = shape.length;
  if (shapeSize(shape) === 0) return;
  const idx = new Array<number>(nd).fill(0);
  for (;;) {
    cb(idx.slice());
    let d = nd - 1;
    while (d >= 0) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}

/** Every multi-index of `shape` in C order (see {@link forEachIndex}). */
export function allIndices(shape: readonly number[]): number[][] {
  const res: number[][] = [];
  forEachIndex(shape, (i) => res.push(i));
  return res;
}

/** Position in `a.data` of the element at multi-index `idx`: `offset + Σ stride[d]·idx[d]`. */
export function elementOffset(a: NdArray, idx: readonly number[]): number {
  let p = a.offset;
  for (let d = 0; d < idx.length; d++) p += a.stride[d] * idx[d];
  return p;
}

/** The element of `a` at multi-index `idx` (one index per dim; `[]` for a 0-d array). */
export function getAt(a: NdArray, idx: readonly number[]): number {
  return (a.data as TypedArray)[elementOffset(a, idx)];
}

/** Stores `v` at multi-index `idx` with the array's dtype semantics (see {@link castTo}). */
export function setAt(a: NdArray, idx: readonly number[], v: number): void {
  (a.data as TypedArray)[elementOffset(a, idx)] = castTo(dtypeOf(a), v);
}

const SCRATCH = new Map<DType, TypedArray>();

/**
 * The value a JS number becomes when stored in an array of `dtype`: exactly what a store
 * into the dtype's TypedArray does (integers wrap modulo 2^bits after truncation, NaN and
 * ±Infinity become 0, `uint8_clamped` clamps to [0, 255] and rounds half to even, `float32`
 * rounds to nearest), except `bool`, which is `v !== 0` as 0/1 (so NaN is true, as in NumPy).
 */
export function castTo(dtype: DType, v: number): number {
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  if (dtype === 'float64') return +v;
  let s = SCRATCH.get(dtype);
  if (!s) {
    s = new STORAGE[dtype](1);
    SCRATCH.set(dtype, s);
  }
  s[0] = v;
  return s[0];
}

/** A new C-contiguous array of `dtype` and `shape` holding `values` (C order, cast with {@link castTo}). */
export function fromValues(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType = 'float64',
): NdArray {
  const n = shapeSize(shape);
  if (values.length !== n) {
    throw new RangeError(`fromValues: ${values.length} values for shape [${shape.join(', ')}]`);
  }
  const data = new STORAGE[dtype](n);
  for (let i = 0; i < n; i++) data[i] = castTo(dtype, values[i]);
  const stride = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    stride[d] = s;
    s *= shape[d];
  }
  return ndarray(data, shape.slice(), stride, 0) as NdArray;
}

/** A new zero-filled C-contiguous array (independent of numbats' own `zeros`). */
export function zerosOf(shape: readonly number[], dtype: DType = 'float64'): NdArray {
  return fromValues(new Array<number>(shapeSize(shape)).fill(0), shape, dtype);
}

/** The elements of `a` in C order, read one by one through its strides. */
export function valuesOf(a: NdArray): number[] {
  const res: number[] = [];
  forEachIndex(a.shape, (i) => res.push(getAt(a, i)));
  return res;
}

/** A C-contiguous copy of any view, converted to `dtype` (default: its own) with {@link castTo}. */
export function copyOf(a: NdArray, dtype: DType = dtypeOf(a)): NdArray {
  return fromValues(valuesOf(a), a.shape, dtype);
}

/** The dtype of an ndarray (numbats' mapping of its data's TypedArray class). */
export function dtypeOfArray(a: NdArray): DType {
  return dtypeOf(a);
}

/** Nested JS arrays of an array's values, like NumPy's `tolist()` (a number for 0-d arrays). */
export function toNestedValues(a: NdArray): unknown {
  const build = (prefix: number[]): unknown => {
    const d = prefix.length;
    if (d === a.shape.length) return getAt(a, prefix);
    const res: unknown[] = [];
    for (let i = 0; i < a.shape[d]; i++) res.push(build([...prefix, i]));
    return res;
  };
  return build([]);
}

/**
 * The shape several shapes broadcast to (NumPy's rules: align on the right; a 1 stretches),
 * or `null` when they are incompatible. A naive restatement used by the references.
 */
export function broadcastShapeOf(shapes: readonly (readonly number[])[]): number[] | null {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const res: number[] = [];
  for (let k = 0; k < nd; k++) {
    let dim = 1;
    for (const s of shapes) {
      const j = s.length - nd + k;
      if (j < 0) continue;
      const v = s[j];
      if (v === 1) continue;
      if (dim !== 1 && dim !== v) return null;
      dim = v;
    }
    res.push(dim);
  }
  return res;
}

/** The multi-index of an operand of `opShape` that broadcasting maps to `idx` of the full shape. */
export function broadcastIndex(idx: readonly number[], opShape: readonly number[]): number[] {
  const off = idx.length - opShape.length;
  return opShape.map((d, j) => (d === 1 ? 0 : idx[off + j]));
}
