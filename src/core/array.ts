/**
 * Array coercion and allocation. The array type is scijs `ndarray`; this module turns
 * every accepted input (ndarray, TypedArray, number, boolean, nested arrays) into one,
 * tells its numbats dtype, and allocates results (optionally on a SharedArrayBuffer).
 */
import { ndarray } from './codegen.js';
import {
  BoolArray,
  checkDType,
  DTYPES,
  type DType,
  describe,
  INFO,
  STORAGE,
  type TypedArray,
} from './dtypes.js';
import { ValueError } from './errors.js';
import { readOnce } from './guard.js';
import { free, heapAllocData } from './heap.js';

import type { NdArray } from './ndarray-type.js';

export type { NdArray, NdDataType } from './ndarray-type.js';

/** Anything numbats accepts where an array is expected. */
export type ArrayLike = NdArray | TypedArray | number | boolean | NestedArray;
/** Nested JS arrays of numbers/booleans (like a Python list of lists). */
export interface NestedArray extends ReadonlyArray<number | boolean | NestedArray> {}

/** Options for allocation helpers. */
export interface AllocOptions {
  /** Allocate on a SharedArrayBuffer (for the `parallel` target and workers). */
  shared?: boolean;
}

const TYPED_TO_DTYPE = new Map<Function, DType>([
  [Float64Array, 'float64'],
  [Float32Array, 'float32'],
  [Int8Array, 'int8'],
  [Int16Array, 'int16'],
  [Int32Array, 'int32'],
  [Uint8Array, 'uint8'],
  [Uint16Array, 'uint16'],
  [Uint32Array, 'uint32'],
  [Uint8ClampedArray, 'uint8_clamped'],
  [BoolArray, 'bool'],
]);

/** The numbats dtype of a TypedArray, or undefined for other values. */
export function dtypeOfData(data: unknown): DType | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const d = TYPED_TO_DTYPE.get((data as object).constructor);
  if (d) return d;
  // Subclasses of the TypedArrays (other than BoolArray) keep their base dtype.
  if (data instanceof BoolArray) return 'bool';
  if (ArrayBuffer.isView(data)) {
    for (const [ctor, dt] of TYPED_TO_DTYPE) if (data instanceof ctor) return dt;
  }
  return undefined;
}

/** Why `data` cannot be an array's storage, and what to use instead. */
function unsupportedData(data: unknown): string {
  const kind = Object.prototype.toString.call(data).slice(8, -1);
  if (kind === 'BigInt64Array' || kind === 'BigUint64Array') {
    return (
      `${kind} holds 64-bit integers, and int64/uint64 are not numbats dtypes (JS numbers are exact to 2^53). ` +
      `Convert it: Float64Array.from(x, Number) keeps every integer up to 2^53 exactly, or Int32Array.from(x, Number) when the values fit int32`
    );
  }
  if (kind === 'Float16Array') {
    return 'Float16Array: float16 is not a numbats dtype; convert it with Float32Array.from(x)';
  }
  return `expected a TypedArray of a numbats dtype (${DTYPES.join(', ')}); got ${describe(data)}`;
}

/** True for a scijs ndarray (duck-typed: data, shape, stride, offset). */
export function isNdarray(x: unknown): x is NdArray {
  if (x === null || typeof x !== 'object') return false;
  const a = x as Partial<NdArray>;
  return (
    Array.isArray(a.shape) &&
    Array.isArray(a.stride) &&
    typeof a.offset === 'number' &&
    a.data !== undefined
  );
}

/** TypedArray.prototype.length's own getter: a subclass cannot override what it reports. */
const typedLength = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Int8Array.prototype) as object,
  'length',
)!.get!;

function fmtList(v: readonly unknown[]): string {
  return `[${v.map((d) => String(d)).join(', ')}]`;
}

/**
 * Validates an ndarray's header against its data and returns a fresh ndarray over the same
 * data with copies of `shape`, `stride` and `offset`, each field read exactly once. Checks:
 * a TypedArray of a numbats dtype; `shape` and `stride` arrays of equal length; integer
 * extents >= 0, integer strides and offset; and the two extreme elements the view reaches
 * inside the data (which also catches a detached or shrunk buffer). O(ndim): no scan.
 */
export function checkedView(x: object, what = ''): NdArray {
  const at = what ? `${what}: ` : '';
  const data = readOnce(x, 'data', what || 'ndarray');
  const shape = readOnce(x, 'shape', what || 'ndarray');
  const stride = readOnce(x, 'stride', what || 'ndarray');
  const offset = readOnce(x, 'offset', what || 'ndarray');
  if (dtypeOfData(data) === undefined) {
    throw new TypeError(`${at}ndarray data: ${unsupportedData(data)}`);
  }
  if (!Array.isArray(shape) || !Array.isArray(stride)) {
    throw new TypeError(`${at}ndarray shape and stride must be arrays`);
  }
  const sh = shape.slice() as unknown[];
  const st = stride.slice() as unknown[];
  const nd = sh.length;
  if (st.length !== nd) {
    throw new ValueError(
      `${at}shape ${fmtList(sh)} and stride ${fmtList(st)} have different lengths`,
    );
  }
  if (nd > MAX_DIMS) {
    throw new ValueError(`${at}${nd} dimensions; numbats (like NumPy) supports ${MAX_DIMS}`);
  }
  let size = 1;
  for (let i = 0; i < nd; i++) {
    const d = sh[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new ValueError(`${at}shape ${fmtList(sh)} has a non-integer or negative extent`);
    }
    if (typeof st[i] !== 'number' || !Number.isSafeInteger(st[i])) {
      throw new ValueError(`${at}stride ${fmtList(st)} has a non-integer stride`);
    }
    size *= d;
  }
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset)) {
    throw new ValueError(`${at}offset ${String(offset)} is not an integer`);
  }
  if (!Number.isSafeInteger(size)) {
    throw new ValueError(`${at}shape ${fmtList(sh)} has more elements than can be indexed`);
  }
  if (size > 0) {
    let lo = offset;
    let hi = offset;
    for (let i = 0; i < nd; i++) {
      const span = (st[i] as number) * ((sh[i] as number) - 1);
      if (span < 0) lo += span;
      else hi += span;
    }
    const len = typedLength.call(data) as number;
    if (lo < 0 || hi >= len) {
      throw new ValueError(
        `${at}shape ${fmtList(sh)} with stride ${fmtList(st)} and offset ${offset} reaches elements ${lo}..${hi}, but its data has ${len} element(s)${len === 0 ? ' (is its buffer detached or shrunk?)' : ''}`,
      );
    }
  }
  return makeView(data as TypedArray, sh as number[], st as number[], offset);
}

/** scijs's view constructor per data constructor and ndim, taken from a view it made. */
const VIEW_CTORS = new Map<unknown, (new (...args: unknown[]) => NdArray)[]>();

/**
 * `ndarray(data, shape, stride, offset)` without its per-call dtype detection (about half a
 * microsecond, which every checked call would pay per array): the constructor scijs chose
 * for this kind of data and ndim is called directly.
 */
function makeView(data: TypedArray, shape: number[], stride: number[], offset: number): NdArray {
  const key = data.constructor;
  let list = VIEW_CTORS.get(key);
  if (!list) VIEW_CTORS.set(key, (list = []));
  const C = list[shape.length];
  if (C) {
    // Spelled out for the common ranks: a spread call costs more than the rest of the check.
    switch (shape.length) {
      case 0:
        return new C(data, offset);
      case 1:
        return new C(data, shape[0], stride[0], offset);
      case 2:
        return new C(data, shape[0], shape[1], stride[0], stride[1], offset);
      case 3:
        return new C(data, shape[0], shape[1], shape[2], stride[0], stride[1], stride[2], offset);
      default:
        return new C(data, ...shape, ...stride, offset);
    }
  }
  const v = ndarray(data, shape, stride, offset) as NdArray;
  list[shape.length] = Object.getPrototypeOf(v).constructor;
  return v;
}

/** The numbats dtype of an array (`bool` for BoolArray-backed arrays, which ndarray calls uint8). */
export function dtypeOf(a: NdArray): DType {
  const d = dtypeOfData(a.data);
  if (d === undefined) {
    throw new TypeError(`ndarray data: ${unsupportedData(a.data)}`);
  }
  return d;
}

/** Product of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** C-order (row-major) strides of a shape. */
export function cStrides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = s;
    s *= shape[i];
  }
  return st;
}

function checkShape(shape: unknown): number[] {
  // Copied before it is checked: the checked copy is what gets used.
  const s = typeof shape === 'number' ? [shape] : Array.isArray(shape) ? shape.slice() : shape;
  if (!Array.isArray(s) || s.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new TypeError(
      `shape must be a non-negative integer or an array of them; got ${describe(shape)}`,
    );
  }
  if (s.length > MAX_DIMS) {
    throw new ValueError(
      `shape has ${s.length} dimensions; numbats (like NumPy) supports ${MAX_DIMS}`,
    );
  }
  return s as number[];
}

/**
 * Allocates storage for `n` elements of `dtype`, zero-filled: on the numbats heap while it is
 * on (its memory is a SharedArrayBuffer, so `shared` is met too), else on a new buffer.
 */
export function allocData(dtype: DType, n: number, shared = false): TypedArray {
  return heapAllocData(dtype, n) ?? plainData(dtype, n, shared);
}

/** Storage on a new ArrayBuffer (or SharedArrayBuffer), never on the heap. */
function plainData(dtype: DType, n: number, shared: boolean): TypedArray {
  const Ctor = STORAGE[dtype];
  if (!shared) return new Ctor(n);
  if (typeof SharedArrayBuffer === 'undefined')
    throw new TypeError(
      'shared: true needs SharedArrayBuffer, which this context lacks (in a browser the page must be cross-origin isolated: served with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
    );
  return new Ctor(new SharedArrayBuffer(n * Ctor.BYTES_PER_ELEMENT), 0, n);
}

const DISPOSE = (Symbol as { dispose?: symbol }).dispose;

/** Wraps data in an ndarray with C-order strides. */
export function wrap(data: TypedArray, shape: readonly number[]): NdArray {
  return ndarray(data, shape.slice(), cStrides(shape), 0) as NdArray;
}

function disposeHeapArray(this: NdArray): void {
  free(this);
}

/** A new zero-filled array (NumPy's `zeros`). Default dtype float64. */
export function zeros(
  shape: number | readonly number[],
  dtype: DType = 'float64',
  options?: AllocOptions,
): NdArray {
  const s = checkShape(shape);
  const dt = checkDType(dtype);
  const n = sizeOf(s);
  const h = heapAllocData(dt, n);
  if (h === undefined) return wrap(plainData(dt, n, options?.shared === true), s);
  // Heap arrays release their block at the end of a `using` binding.
  const a = wrap(h, s);
  if (DISPOSE !== undefined)
    Object.defineProperty(a, DISPOSE, { value: disposeHeapArray, configurable: true });
  return a;
}

/**
 * A new array whose contents the caller will overwrite (NumPy's `empty`). JS zero-fills
 * every new buffer, so this is `zeros` under another name; it exists so ported code reads the same.
 */
export function empty(
  shape: number | readonly number[],
  dtype: DType = 'float64',
  options?: AllocOptions,
): NdArray {
  return zeros(shape, dtype, options);
}

/** A new array filled with `value`, cast to `dtype` (default: float64, or bool for a boolean). */
export function full(
  shape: number | readonly number[],
  value: number | boolean,
  dtype?: DType,
  options?: AllocOptions,
): NdArray {
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new TypeError(`full: value must be a number or boolean; got ${describe(value)}`);
  }
  const dt =
    dtype === undefined ? (typeof value === 'boolean' ? 'bool' : 'float64') : checkDType(dtype);
  const a = zeros(shape, dt, options);
  (a.data as TypedArray).fill(castScalar(+value, dt));
  return a;
}

/** Converts a JS number to the value a `dtype` element would hold (like a TypedArray store). */
export function castScalar(v: number, dtype: DType): number {
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  const tmp = SCRATCH[dtype];
  tmp[0] = v;
  return tmp[0];
}
const SCRATCH = Object.fromEntries(DTYPES.map((d) => [d, new STORAGE[d](1)])) as Record<
  DType,
  TypedArray
>;

/** NumPy's limit on dimensions (NPY_MAXDIMS); also what bounds recursion over nested lists. */
export const MAX_DIMS = 64;

/** Shape of a nested JS array, checking that it is rectangular. */
function nestedShape(x: NestedArray): number[] {
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    // A self-containing list would nest forever; a very deep one would overflow the stack.
    if (shape.length === MAX_DIMS)
      throw new ValueError(
        `maximum supported dimension for an ndarray is ${MAX_DIMS}, found a list nested deeper`,
      );
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

function flattenNested(x: NestedArray, shape: number[], depth: number, outv: number[]): boolean {
  let sawFloat = false;
  if (x.length !== shape[depth])
    throw new ValueError(
      'setting an array element with a sequence: nested arrays are not rectangular',
    );
  for (const v of x) {
    if (depth + 1 < shape.length) {
      if (!Array.isArray(v))
        throw new ValueError(
          'setting an array element with a sequence: nested arrays are not rectangular',
        );
      if (flattenNested(v, shape, depth + 1, outv)) sawFloat = true;
    } else {
      if (typeof v === 'boolean') outv.push(v ? 1 : 0);
      else if (typeof v === 'number') {
        outv.push(v);
        sawFloat = true;
      } else throw new TypeError(`array elements must be numbers or booleans; got ${describe(v)}`);
    }
  }
  return sawFloat;
}

/**
 * Converts an accepted input to an ndarray (NumPy's `asarray`). An ndarray or TypedArray
 * of the requested dtype (or with no dtype requested) is returned without copying; other
 * inputs are copied. Numbers become 0-d float64 arrays, booleans 0-d bool arrays, nested
 * arrays float64 (bool when every element is a boolean).
 */
export function asarray(x: ArrayLike, dtype?: DType): NdArray {
  return coerce(x, dtype, true);
}

/**
 * `asarray` for numbats' own entry points: an ndarray comes back as a validated copy of
 * its header (same data), so nothing the caller's object does after the check can change
 * the shape, strides or offset the loops use.
 */
export function toNdarray(x: ArrayLike, dtype?: DType): NdArray {
  return coerce(x, dtype, false);
}

function coerce(x: ArrayLike, dtype: DType | undefined, keep: boolean): NdArray {
  if (dtype !== undefined) checkDType(dtype);
  let a: NdArray;
  if (isNdarray(x)) {
    const v = checkedView(x);
    a = keep ? x : v;
  } else if (ArrayBuffer.isView(x)) {
    if (dtypeOfData(x) === undefined) throw new TypeError(unsupportedData(x));
    a = ndarray(x as TypedArray, [(x as TypedArray).length], [1], 0) as NdArray;
  } else if (typeof x === 'number') {
    a = ndarray(new Float64Array([x]), [], [], 0) as NdArray;
  } else if (typeof x === 'boolean') {
    a = ndarray(new BoolArray([x ? 1 : 0]), [], [], 0) as NdArray;
  } else if (Array.isArray(x)) {
    const shape = nestedShape(x);
    const vals: number[] = [];
    const sawNumber = flattenNested(x, shape, 0, vals);
    const dt: DType = sawNumber || vals.length === 0 ? 'float64' : 'bool';
    const data = allocData(dt, vals.length);
    for (let i = 0; i < vals.length; i++) data[i] = vals[i];
    a = wrap(data, shape);
  } else {
    throw new TypeError(
      `expected an ndarray, TypedArray, number, boolean or nested array; got ${describe(x)}`,
    );
  }
  if (dtype !== undefined && dtypeOf(a) !== dtype) return astype(a, dtype);
  return a;
}

/** A C-contiguous copy of `a` converted to `dtype` (element conversion as a TypedArray store). */
export function astype(a: NdArray, dtype: DType): NdArray {
  const out = zeros(a.shape, dtype);
  copyInto(out, a);
  return out;
}

/** A C-contiguous copy of `a`. */
export function copy(a: NdArray): NdArray {
  return astype(a, dtypeOf(a));
}

/**
 * Copies `src` into `dst` (same shape), converting element values like a TypedArray store
 * (and to 0/1 for bool). Simple odometer loop: used for casts and overlap copies, not hot paths.
 */
export function copyInto(dst: NdArray, src: NdArray): void {
  const shape = dst.shape;
  const nd = shape.length;
  const n = sizeOf(shape);
  if (n === 0) return;
  const toBool = dtypeOf(dst) === 'bool' && dtypeOf(src) !== 'bool';
  const dd = dst.data as TypedArray;
  const sd = src.data as TypedArray;
  const idx = new Array<number>(nd).fill(0);
  let pd = dst.offset;
  let ps = src.offset;
  for (let k = 0; k < n; k++) {
    const v = sd[ps];
    dd[pd] = toBool ? (v !== 0 ? 1 : 0) : v;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) {
        pd += dst.stride[d];
        ps += src.stride[d];
        break;
      }
      idx[d] = 0;
      pd -= dst.stride[d] * (shape[d] - 1);
      ps -= src.stride[d] * (shape[d] - 1);
    }
  }
}

/** Elements of an array in C order, as plain numbers (handy in tests and examples). */
export function toArray(a: NdArray): number[] {
  const c = copy(a);
  return Array.from(c.data as TypedArray);
}

/** Nested JS arrays of an ndarray's values (like NumPy's `tolist`). */
export function toNested(a: NdArray): number | NestedArray {
  const flat = toArray(a);
  const shape = a.shape;
  if (shape.length === 0) return flat[0];
  let pos = 0;
  const build = (d: number): NestedArray => {
    const res: (number | NestedArray)[] = [];
    for (let i = 0; i < shape[d]; i++)
      res.push(d + 1 === shape.length ? flat[pos++] : build(d + 1));
    return res;
  };
  return build(0);
}

/** Lowest and highest element index an array view touches (for overlap checks). */
export function extent(a: NdArray): [number, number] {
  let lo = a.offset;
  let hi = a.offset;
  for (let i = 0; i < a.shape.length; i++) {
    if (a.shape[i] === 0) return [a.offset, a.offset - 1];
    const span = a.stride[i] * (a.shape[i] - 1);
    if (span < 0) lo += span;
    else hi += span;
  }
  return [lo, hi];
}

/** True when two arrays may share memory (same buffer and overlapping byte ranges). */
export function mayShareMemory(a: NdArray, b: NdArray): boolean {
  const da = a.data as TypedArray;
  const db = b.data as TypedArray;
  if (da.buffer !== db.buffer) return false;
  const [alo, ahi] = extent(a);
  const [blo, bhi] = extent(b);
  if (ahi < alo || bhi < blo) return false;
  const aStart = da.byteOffset + alo * da.BYTES_PER_ELEMENT;
  const aEnd = da.byteOffset + (ahi + 1) * da.BYTES_PER_ELEMENT;
  const bStart = db.byteOffset + blo * db.BYTES_PER_ELEMENT;
  const bEnd = db.byteOffset + (bhi + 1) * db.BYTES_PER_ELEMENT;
  return aStart < bEnd && bStart < aEnd;
}

/** True when `a` and `b` are the very same view of the same data (element-for-element aliasing). */
export function sameView(a: NdArray, b: NdArray): boolean {
  if (a.data !== b.data || a.offset !== b.offset || a.shape.length !== b.shape.length) return false;
  for (let i = 0; i < a.shape.length; i++) {
    if (a.shape[i] !== b.shape[i]) return false;
    if (a.shape[i] > 1 && a.stride[i] !== b.stride[i]) return false;
  }
  return true;
}

/** An ndarray view with explicit fields (no copy). */
export function view(
  data: TypedArray,
  shape: readonly number[],
  stride: readonly number[],
  offset: number,
): NdArray {
  return ndarray(data, shape.slice(), stride.slice(), offset) as NdArray;
}

export { INFO };
