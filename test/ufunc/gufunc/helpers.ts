/**
 * Test support for guvectorize: a naive gufunc reference (plain loops over loop indices,
 * each core handed to a plain JS function as nested arrays), arithmetic that wraps like a
 * kernel typed `t`, and arbitraries for operands whose loop dims broadcast together.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { DType, NdArray } from '../../../src/index.js';
import {
  allIndices,
  assertArraysEqual,
  broadcastIndex,
  broadcastShapeOf,
  castTo,
  copyOf,
  elementOffset,
  forEachIndex,
  fromValues,
  getAt,
  ndarrayArb,
  setAt,
  shapeArb,
  zerosOf,
} from '../../../src/testing/index.js';

/** A core as the reference sees it: a number (`()`), or nested arrays of numbers. */
export type Core = number | Core[];

/** The core of `a` at loop index `loop` (its trailing `ncore` dims), as nested arrays. */
function coreOf(a: NdArray, loop: readonly number[], ncore: number): Core {
  const nl = a.shape.length - ncore;
  const li = broadcastIndex(loop, a.shape.slice(0, nl));
  const build = (prefix: number[]): Core => {
    if (prefix.length === ncore) return getAt(a, [...li, ...prefix]);
    const res: Core[] = [];
    for (let i = 0; i < a.shape[nl + prefix.length]; i++) res.push(build([...prefix, i]));
    return res;
  };
  return build([]);
}

function valueAt(c: Core, idx: readonly number[]): number {
  let v: Core = c;
  for (const i of idx) v = (v as Core[])[i];
  return v as number;
}

/** Options of {@link refGufunc}. */
export interface RefGufuncOptions {
  /** Number of core dims of each input. */
  readonly inCore: readonly number[];
  /** Core shape of each output. */
  readonly outCore: readonly (readonly number[])[];
  /** dtype each result is cast to (the kernel's output types). */
  readonly outDtypes: readonly DType[];
  /** Arrays the results are then stored into (as `out` would be); they are not modified. */
  readonly out?: readonly NdArray[];
}

/**
 * A gufunc call done naively: broadcasts the inputs' loop dims (and `out`'s), calls `fn`
 * with each loop index's cores, casts each result to its dtype and stores it. `fn` returns
 * one core per output (an array of them when there are several outputs).
 */
export function refGufunc(
  fn: (...cores: Core[]) => Core | Core[],
  inputs: readonly (NdArray | number)[],
  o: RefGufuncOptions,
): NdArray[] {
  const arrays = inputs.map((x) => (typeof x === 'number' ? fromValues([x], [], 'float64') : x));
  const loops = arrays.map((a, i) => a.shape.slice(0, a.shape.length - o.inCore[i]));
  const outLoops = (o.out ?? []).map((a, j) =>
    a.shape.slice(0, a.shape.length - o.outCore[j].length),
  );
  const loop = broadcastShapeOf([...loops, ...outLoops]);
  if (loop === null) throw new RangeError('refGufunc: loop dims do not broadcast');
  const results = o.out
    ? o.out.map((a) => copyOf(a))
    : o.outDtypes.map((t, j) => zerosOf([...loop, ...o.outCore[j]], t));
  forEachIndex(loop, (idx) => {
    const r = fn(...arrays.map((a, i) => coreOf(a, idx, o.inCore[i])));
    const outs = o.outDtypes.length > 1 ? (r as Core[]) : [r];
    outs.forEach((core, j) => {
      const res = results[j];
      const li = broadcastIndex(idx, res.shape.slice(0, res.shape.length - o.outCore[j].length));
      forEachIndex(o.outCore[j], (c) => {
        setAt(res, [...li, ...c], castTo(o.outDtypes[j], valueAt(core, c)));
      });
    });
  });
  return results;
}

/** Arithmetic as a kernel typed `t` does it: every result wrapped (or rounded) to `t`. */
export function arithOf(t: DType) {
  const rt: DType = t === 'bool' ? 'int32' : t;
  const c = (v: number) => castTo(rt, v);
  const exactMul = rt === 'int32' || rt === 'uint32';
  return {
    c,
    add: (a: number, b: number) => c(a + b),
    sub: (a: number, b: number) => c(a - b),
    mul: (a: number, b: number) => c(exactMul ? Math.imul(a, b) : a * b),
  };
}

/** The dtypes the property tests draw from (every kind, narrow and wide). */
export const TEST_DTYPES: readonly DType[] = [
  'float64',
  'float32',
  'int32',
  'uint32',
  'int16',
  'int8',
  'uint8',
  'uint16',
  'bool',
];

/** A shape whose members broadcast to `full` exactly (a suffix of it with some dims set to 1). */
export function memberOf(full: readonly number[]): fc.Arbitrary<number[]> {
  return fc
    .tuple(
      fc.integer({ min: 0, max: full.length }),
      fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
    )
    .map(([rank, ones]) =>
      full.slice(full.length - rank).map((d, i) => (ones[full.length - rank + i] ? 1 : d)),
    );
}

/** Loop shapes: up to 3 dims of up to 3 (0 and 1 included, so empty and broadcast loops occur). */
export const loopShapeArb = shapeArb({ maxDims: 3, maxSide: 3 });

/** An input of `shape` and `dtype` with a random view layout (transposed, stepped, reversed, stride 0). */
export function inputArb(shape: readonly number[], dtype: DType | readonly DType[]) {
  return ndarrayArb({ shape, dtype });
}

/** An `out` array of `shape` and `dtype`: a random writable view (no stride-0 dims). */
export function outArb(shape: readonly number[], dtype: DType | readonly DType[]) {
  return ndarrayArb({ shape, dtype, writable: true });
}

/**
 * Checks that `view` (a view of some buffer whose contents were `before`) holds `want`, and
 * that no element of the buffer outside the view changed.
 */
export function expectWritten(view: NdArray, want: NdArray, before: readonly number[]): void {
  assertArraysEqual(view, want);
  const touched = new Set(allIndices(view.shape).map((i) => elementOffset(view, i)));
  const after = Array.from(view.data as ArrayLike<number>);
  after.forEach((v, p) => {
    if (!touched.has(p)) expect(Object.is(v, before[p])).toBe(true);
  });
}
