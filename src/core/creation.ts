/**
 * NumPy's creation and shape helpers a ufunc pipeline reaches for — `arange`, `linspace`,
 * `eye`, `reshape`, `ravel`, `concatenate`, `stack` — with NumPy's values, dtypes, view/copy
 * rules and error messages. numbats has no int64: where NumPy's default integer (int64)
 * would appear, integer results are int32 when every value fits, float64 otherwise.
 */
import {
  type AllocOptions,
  type ArrayLike,
  asarray,
  castScalar,
  copyInto,
  cStrides,
  dtypeOf,
  type NdArray,
  sizeOf,
  view,
  zeros,
} from './array.js';
import {
  canCastSameKind,
  checkDType,
  type DType,
  describe,
  INFO,
  isInteger,
  promoteAll,
  type TypedArray,
} from './dtypes.js';
import { AxisError, ValueError } from './errors.js';
import { checkOptionKeys } from './option-keys.js';

/** Options of the creation helpers: the dtype, and SharedArrayBuffer storage. */
export interface CreationOptions extends AllocOptions {
  /** Element type of the result (each helper documents its default). */
  dtype?: DType;
}

/** Options of `linspace`. */
export interface LinspaceOptions extends CreationOptions {
  /** Include `stop` as the last sample (default true, as NumPy). */
  endpoint?: boolean;
}

/** Options of `eye`. */
export interface EyeOptions extends CreationOptions {
  /** Diagonal: 0 the main one, positive above it, negative below (default 0). */
  k?: number;
}

/** Options of `concatenate` and `stack`. */
export interface JoinOptions extends CreationOptions {
  /** Axis to join along (default 0; `null` flattens every input first, for `concatenate`). */
  axis?: number | null;
}

function optionsOf<T extends object>(o: unknown, what: string, keys: readonly string[]): T {
  if (o === undefined) return {} as T;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    throw new TypeError(`${what}: options must be an object; got ${describe(o)}`);
  }
  // Not a compiler: no Numba notes.
  checkOptionKeys(o, new Set(keys), what, {});
  return o as T;
}

function finite(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new TypeError(`${what} must be a finite number; got ${describe(x)}`);
  }
  return x;
}

function count(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x)) {
    throw new TypeError(`${what} must be an integer; got ${describe(x)}`);
  }
  return x;
}

/** int32 when every one of these integers fits it, else float64 (numbats' int64 stand-in). */
function defaultIntType(values: readonly number[]): DType {
  const i = INFO.int32;
  return values.every((v) => Number.isInteger(v) && v >= i.min && v <= i.max) ? 'int32' : 'float64';
}

/**
 * Evenly spaced values in `[start, stop)` (NumPy's `arange`): `arange(stop)`,
 * `arange(start, stop)`, `arange(start, stop, step)`, each with optional `{ dtype, shared }`.
 * Element `i` is `start + i * step`, and there are `ceil((stop - start) / step)` of them.
 * Default dtype: int32 when every argument is an integer (and the values fit), else float64.
 *
 * @example
 * arange(5);            // int32 [0, 1, 2, 3, 4]
 * arange(1, 2, 0.25);   // float64 [1, 1.25, 1.5, 1.75]
 */
export function arange(stop: number, options?: CreationOptions): NdArray;
export function arange(start: number, stop: number, options?: CreationOptions): NdArray;
export function arange(
  start: number,
  stop: number,
  step: number,
  options?: CreationOptions,
): NdArray;
export function arange(...args: unknown[]): NdArray {
  const nums: number[] = [];
  let opts: unknown;
  for (const [i, a] of args.entries()) {
    if (typeof a === 'number') {
      if (opts !== undefined || nums.length === 3) {
        throw new TypeError(
          'arange takes (stop), (start, stop) or (start, stop, step), then options',
        );
      }
      nums.push(finite(a, ['start', 'stop', 'step'][nums.length] ?? 'argument'));
    } else if (a !== undefined && i === args.length - 1) opts = a;
    else if (a !== undefined) throw new TypeError(`arange: expected a number; got ${describe(a)}`);
  }
  if (nums.length === 0) throw new TypeError('arange needs at least a stop value');
  const o = optionsOf<CreationOptions>(opts, 'arange', ['dtype', 'shared']);
  const [start, stop, step] =
    nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums.length === 3 ? nums[2] : 1];
  if (step === 0) throw new ValueError('arange: step must not be zero (NumPy: division by zero)');
  const len = Math.max(0, Math.ceil((stop - start) / step));
  if (len > 2 ** 32) throw new ValueError(`arange: ${len} elements is more than an array can hold`);
  const dtype =
    o.dtype === undefined
      ? defaultIntType([start, stop, step, start + (len - 1) * step])
      : checkDType(o.dtype);
  const a = zeros([len], dtype, o);
  const d = a.data as TypedArray;
  // NumPy fills from the first two elements: delta = (start + step) - start.
  if (isInteger(dtype) || dtype === 'bool') {
    const s0 = castScalar(start, dtype);
    const delta = castScalar(start + step, dtype) - s0;
    for (let i = 0; i < len; i++) d[i] = castScalar(s0 + i * delta, dtype);
  } else {
    const delta = start + step - start;
    for (let i = 0; i < len; i++) d[i] = start + i * delta;
  }
  return a;
}

/**
 * `num` evenly spaced samples from `start` to `stop` (NumPy's `linspace`): sample `i` is
 * `start + i * step` with `step = (stop - start) / (num - 1)` (`/ num` without the
 * endpoint), and the last sample is exactly `stop`. An integer dtype rounds towards -inf.
 * Default dtype float64.
 *
 * @example
 * linspace(0, 1, 5);    // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(
  start: number,
  stop: number,
  num = 50,
  options?: LinspaceOptions,
): NdArray {
  finite(start, 'start');
  finite(stop, 'stop');
  count(num, 'num');
  if (num < 0) throw new ValueError(`Number of samples, ${num}, must be non-negative.`);
  const o = optionsOf<LinspaceOptions>(options, 'linspace', ['dtype', 'shared', 'endpoint']);
  const endpoint = o.endpoint ?? true;
  if (typeof endpoint !== 'boolean') throw new TypeError('linspace: endpoint must be a boolean');
  const dtype = o.dtype === undefined ? 'float64' : checkDType(o.dtype);
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const step = div > 0 ? delta / div : Number.NaN;
  const a = zeros([num], dtype, o);
  const d = a.data as TypedArray;
  const floor = isInteger(dtype);
  for (let i = 0; i < num; i++) {
    let y: number;
    if (div <= 0) y = i * delta;
    else if (step === 0) y = (i / div) * delta;
    else y = i * step;
    y += start;
    if (endpoint && num > 1 && i === num - 1) y = stop;
    d[i] = floor ? castScalar(Math.floor(y), dtype) : castScalar(y, dtype);
  }
  return a;
}

/**
 * A 2-D array with ones on a diagonal and zeros elsewhere (NumPy's `eye`): `n` rows, `m`
 * columns (default `n`), diagonal `k`. Default dtype float64.
 *
 * @example
 * eye(2);               // [[1, 0], [0, 1]]
 * eye(2, 3, { k: 1 });  // [[0, 1, 0], [0, 0, 1]]
 */
export function eye(n: number, m?: number | EyeOptions, options?: EyeOptions): NdArray {
  const opts = typeof m === 'object' ? m : options;
  const cols = typeof m === 'number' ? m : n;
  count(n, 'eye: n');
  count(cols, 'eye: m');
  if (n < 0 || cols < 0) throw new ValueError('negative dimensions are not allowed');
  const o = optionsOf<EyeOptions>(opts, 'eye', ['dtype', 'shared', 'k']);
  const k = o.k === undefined ? 0 : count(o.k, 'eye: k');
  const a = zeros([n, cols], o.dtype === undefined ? 'float64' : checkDType(o.dtype), o);
  const d = a.data as TypedArray;
  for (let i = Math.max(0, -k); i < n && i + k < cols; i++) d[i * cols + i + k] = 1;
  return a;
}

/** NumPy's rule for `-1` in a new shape, and its message when the sizes disagree. */
function resolveShape(size: number, shape: number | readonly number[]): number[] {
  const s = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(s) || s.some((d) => !Number.isSafeInteger(d) || d < -1)) {
    throw new TypeError(
      `reshape: the new shape must be integers (-1 for one unknown dimension); got ${describe(shape)}`,
    );
  }
  const unknown = s.filter((d) => d === -1).length;
  if (unknown > 1) throw new ValueError('can only specify one unknown dimension');
  const known = s.reduce((p: number, d: number) => (d === -1 ? p : p * d), 1);
  const fail = () =>
    new ValueError(
      `cannot reshape array of size ${size} into shape (${s.map((d: number) => (d === -1 ? 'newaxis' : d)).join(',')}${s.length === 1 ? ',' : ''})`,
    );
  if (unknown === 1) {
    if (known === 0 || size % known !== 0) throw fail();
    return s.map((d: number) => (d === -1 ? size / known : d));
  }
  if (known !== size) throw fail();
  return s.slice();
}

/**
 * NumPy's `_attempt_nocopy_reshape`: strides for `newShape` over `a`'s memory in C order,
 * or null when no view can express it (then reshape copies).
 */
function viewStrides(a: NdArray, newShape: readonly number[]): number[] | null {
  const oldDims: number[] = [];
  const oldStrides: number[] = [];
  a.shape.forEach((d, i) => {
    if (d !== 1) {
      oldDims.push(d);
      oldStrides.push(a.stride[i]);
    }
  });
  const newStrides = new Array<number>(newShape.length).fill(0);
  let oi = 0;
  let oj = 1;
  let ni = 0;
  let nj = 1;
  while (ni < newShape.length && oi < oldDims.length) {
    let np = newShape[ni];
    let op = oldDims[oi];
    while (np !== op) {
      if (np < op) np *= newShape[nj++];
      else op *= oldDims[oj++];
    }
    // The old axes oi..oj-1 merge into the new ones ni..nj-1: they must be contiguous.
    for (let ok = oi; ok < oj - 1; ok++) {
      if (oldStrides[ok] !== oldDims[ok + 1] * oldStrides[ok + 1]) return null;
    }
    newStrides[nj - 1] = oldStrides[oj - 1];
    for (let nk = nj - 1; nk > ni; nk--) newStrides[nk - 1] = newStrides[nk] * newShape[nk];
    ni = nj++;
    oi = oj++;
  }
  const last = ni >= 1 ? newStrides[ni - 1] : 1;
  for (let nk = ni; nk < newShape.length; nk++) newStrides[nk] = last;
  return newStrides;
}

/**
 * `a` with a new shape (NumPy's `reshape`, C order): a view sharing `a`'s data when the
 * strides allow it, otherwise a C-contiguous copy — NumPy's rule, so a transposed array
 * reshaped to 1-D is a copy while splitting one of its axes is a view. One entry may be
 * -1 (inferred).
 *
 * @example
 * reshape(arange(6), [2, -1]);   // [[0, 1, 2], [3, 4, 5]], a view
 */
export function reshape(x: ArrayLike, shape: number | readonly number[]): NdArray {
  const a = asarray(x);
  const size = sizeOf(a.shape);
  const s = resolveShape(size, shape);
  if (size === 0) return zeros(s, dtypeOf(a));
  const strides = viewStrides(a, s);
  if (strides) return view(a.data as TypedArray, s, strides, a.offset);
  const c = zeros(a.shape, dtypeOf(a));
  copyInto(c, a);
  return view(c.data as TypedArray, s, cStrides(s), 0);
}

/** True when `a`'s elements are contiguous in C order (strides of length-1 axes don't matter). */
function isCContiguous(a: NdArray): boolean {
  let expect = 1;
  for (let i = a.shape.length - 1; i >= 0; i--) {
    const d = a.shape[i];
    if (d === 0) return true;
    if (d !== 1 && a.stride[i] !== expect) return false;
    expect *= d;
  }
  return true;
}

/**
 * The elements of `a` as a 1-D array in C order (NumPy's `ravel`): a view when `a` is
 * C-contiguous, a copy otherwise (also for a strided 1-D array, as NumPy).
 */
export function ravel(x: ArrayLike): NdArray {
  const a = asarray(x);
  const n = sizeOf(a.shape);
  if (isCContiguous(a)) return view(a.data as TypedArray, [n], [1], n === 0 ? 0 : a.offset);
  const c = zeros(a.shape, dtypeOf(a));
  copyInto(c, a);
  return view(c.data as TypedArray, [n], [1], 0);
}

function normAxis(axis: unknown, ndim: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new TypeError(`axis must be an integer; got ${describe(axis)}`);
  }
  if (axis < -ndim || axis >= ndim) {
    throw new AxisError(`axis ${axis} is out of bounds for array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

function joinInputs(arrays: unknown, what: string, verb: string): NdArray[] {
  if (!Array.isArray(arrays)) {
    throw new TypeError(`${what}: expected an array (list) of arrays; got ${describe(arrays)}`);
  }
  if (arrays.length === 0) throw new ValueError(`need at least one array to ${verb}`);
  return arrays.map((x) => asarray(x as ArrayLike));
}

function joinDType(inputs: readonly NdArray[], dtype: DType | undefined): DType {
  const t = promoteAll(inputs.map(dtypeOf));
  if (dtype === undefined) return t;
  checkDType(dtype);
  for (const a of inputs) {
    const from = dtypeOf(a);
    if (!canCastSameKind(from, dtype)) {
      throw new TypeError(
        `Cannot cast array data from dtype('${from}') to dtype('${dtype}') according to the rule 'same_kind'`,
      );
    }
  }
  return dtype;
}

/** A view of `a` restricted to `[start, start + len)` along `axis`. */
function sliceAxis(a: NdArray, axis: number, start: number, len: number): NdArray {
  const shape = a.shape.slice();
  shape[axis] = len;
  return view(a.data as TypedArray, shape, a.stride, a.offset + start * a.stride[axis]);
}

/**
 * Joins arrays along an existing axis (NumPy's `concatenate`): every other dimension must
 * match. `axis: null` flattens the inputs first. The dtype is the inputs' result type, or
 * `dtype` (each input must cast to it 'same_kind').
 *
 * @example
 * concatenate([asarray([1, 2]), asarray([3])]);   // [1, 2, 3]
 */
export function concatenate(arrays: readonly ArrayLike[], options?: JoinOptions): NdArray {
  const o = optionsOf<JoinOptions>(options, 'concatenate', ['axis', 'dtype', 'shared']);
  let inputs = joinInputs(arrays, 'concatenate', 'concatenate');
  let axis = o.axis === undefined ? 0 : o.axis;
  if (axis === null) {
    inputs = inputs.map(ravel);
    axis = 0;
  }
  const nd = inputs[0].shape.length;
  if (nd === 0) throw new ValueError('zero-dimensional arrays cannot be concatenated');
  const ax = normAxis(axis, nd);
  inputs.forEach((a, i) => {
    if (a.shape.length !== nd) {
      throw new ValueError(
        `all the input arrays must have same number of dimensions, but the array at index 0 has ${nd} dimension(s) and the array at index ${i} has ${a.shape.length} dimension(s)`,
      );
    }
    for (let d = 0; d < nd; d++) {
      if (d !== ax && a.shape[d] !== inputs[0].shape[d]) {
        throw new ValueError(
          `all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${d}, the array at index 0 has size ${inputs[0].shape[d]} and the array at index ${i} has size ${a.shape[d]}`,
        );
      }
    }
  });
  const dtype = joinDType(inputs, o.dtype);
  const shape = inputs[0].shape.slice();
  shape[ax] = inputs.reduce((s, a) => s + a.shape[ax], 0);
  const out = zeros(shape, dtype, o);
  let pos = 0;
  for (const a of inputs) {
    copyInto(sliceAxis(out, ax, pos, a.shape[ax]), a);
    pos += a.shape[ax];
  }
  return out;
}

/**
 * Joins same-shaped arrays along a new axis (NumPy's `stack`): `axis` counts in the
 * result's dimensions (so -1 appends one).
 *
 * @example
 * stack([asarray([1, 2]), asarray([3, 4])], { axis: 1 });   // [[1, 3], [2, 4]]
 */
export function stack(arrays: readonly ArrayLike[], options?: JoinOptions): NdArray {
  const o = optionsOf<JoinOptions>(options, 'stack', ['axis', 'dtype', 'shared']);
  const inputs = joinInputs(arrays, 'stack', 'stack');
  const base = inputs[0].shape;
  for (const a of inputs) {
    if (a.shape.length !== base.length || a.shape.some((d, i) => d !== base[i])) {
      throw new ValueError('all input arrays must have the same shape');
    }
  }
  if (o.axis === null) throw new TypeError('stack: axis must be an integer, not null');
  const ax = normAxis(o.axis ?? 0, base.length + 1);
  const dtype = joinDType(inputs, o.dtype);
  const shape = [...base.slice(0, ax), inputs.length, ...base.slice(ax)];
  const out = zeros(shape, dtype, o);
  inputs.forEach((a, i) => {
    const s = sliceAxis(out, ax, i, 1);
    // Drop the new axis (length 1) so the slice has `a`'s shape.
    const v = view(
      s.data as TypedArray,
      base,
      s.stride.filter((_, d) => d !== ax),
      s.offset,
    );
    copyInto(v, a);
  });
  return out;
}
