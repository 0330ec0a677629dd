/**
 * Array comparison for tests: elementwise closeness with NumPy's `allclose` rule
 * (`|actual - expected| <= atol + rtol * |expected|`), NaN equal to NaN by default, and a
 * readable report of the shape, dtype and the first differing elements.
 */
import { isNdarray, type NdArray } from '../core/array.js';
import { dtypeOfArray, valuesOf } from './nd.js';

/** What the comparison helpers accept: an ndarray, a number/boolean (0-d), or nested arrays. */
export type Comparable = NdArray | number | boolean | readonly unknown[];

/** Options of {@link compareArrays} and {@link assertArraysClose}. */
export interface CloseOptions {
  /** Relative tolerance (default 0). */
  rtol?: number;
  /** Absolute tolerance (default 0). */
  atol?: number;
  /** NaN equals NaN (default true). */
  equalNaN?: boolean;
  /** Require equal dtypes when both sides are ndarrays (default true). */
  checkDtype?: boolean;
  /** Tell -0 from 0 (default false). */
  signedZero?: boolean;
  /** How many differing elements the report lists (default 10). */
  maxReport?: number;
}

interface Flat {
  shape: number[];
  values: number[];
  dtype?: string;
}

function flatten(x: Comparable): Flat {
  if (typeof x === 'number') return { shape: [], values: [x] };
  if (typeof x === 'boolean') return { shape: [], values: [x ? 1 : 0] };
  if (isNdarray(x)) return { shape: x.shape.slice(), values: valuesOf(x), dtype: dtypeOfArray(x) };
  if (Array.isArray(x)) {
    const shape: number[] = [];
    let cur: unknown = x;
    while (Array.isArray(cur)) {
      shape.push(cur.length);
      cur = cur[0];
    }
    const values: number[] = [];
    const walk = (v: unknown, d: number) => {
      if (d === shape.length) {
        if (typeof v !== 'number' && typeof v !== 'boolean') {
          throw new TypeError(`compareArrays: not a number: ${String(v)}`);
        }
        values.push(+v);
        return;
      }
      if (!Array.isArray(v) || v.length !== shape[d]) {
        throw new TypeError('compareArrays: nested arrays are not rectangular');
      }
      for (const e of v) walk(e, d + 1);
    };
    walk(x, 0);
    return { shape, values };
  }
  throw new TypeError(`compareArrays: cannot compare ${Object.prototype.toString.call(x)}`);
}

function fmt(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/** True when two values are equal within the tolerances. */
function close(a: number, e: number, o: Required<CloseOptions>): boolean {
  if (Number.isNaN(a) || Number.isNaN(e)) return o.equalNaN && Number.isNaN(a) && Number.isNaN(e);
  if (a === e) return !o.signedZero || Object.is(a, e);
  if (!Number.isFinite(a) || !Number.isFinite(e)) return false;
  return Math.abs(a - e) <= o.atol + o.rtol * Math.abs(e);
}

/**
 * Compares two arrays; returns `null` when they match (same shape, dtype unless
 * `checkDtype: false`, every element close), else a multi-line report such as
 *
 * ```text
 * arrays differ in 2 of 6 elements (rtol=0, atol=0), shape (2,3), dtype int8
 *   [0,1]: actual 5, expected 6
 *   [1,2]: actual -128, expected 128
 * ```
 */
export function compareArrays(
  actual: Comparable,
  expected: Comparable,
  options: CloseOptions = {},
): string | null {
  const o: Required<CloseOptions> = {
    rtol: options.rtol ?? 0,
    atol: options.atol ?? 0,
    equalNaN: options.equalNaN ?? true,
    checkDtype: options.checkDtype ?? true,
    signedZero: options.signedZero ?? false,
    maxReport: options.maxReport ?? 10,
  };
  const a = flatten(actual);
  const e = flatten(expected);
  const shapeStr = (s: number[]) => `(${s.join(',')}${s.length === 1 ? ',' : ''})`;
  if (a.shape.length !== e.shape.length || a.shape.some((d, i) => d !== e.shape[i])) {
    return `shape mismatch: actual ${shapeStr(a.shape)}, expected ${shapeStr(e.shape)}`;
  }
  if (o.checkDtype && a.dtype && e.dtype && a.dtype !== e.dtype) {
    return `dtype mismatch: actual ${a.dtype}, expected ${e.dtype}`;
  }
  const bad: number[] = [];
  for (let i = 0; i < a.values.length; i++) if (!close(a.values[i], e.values[i], o)) bad.push(i);
  if (bad.length === 0) return null;
  const lines = [
    `arrays differ in ${bad.length} of ${a.values.length} elements (rtol=${o.rtol}, atol=${o.atol}), shape ${shapeStr(a.shape)}${a.dtype ? `, dtype ${a.dtype}` : ''}`,
  ];
  for (const i of bad.slice(0, o.maxReport)) {
    const av = a.values[i];
    const ev = e.values[i];
    const diff = Number.isFinite(av - ev) ? ` (|diff| ${fmt(Math.abs(av - ev))})` : '';
    lines.push(
      `  [${unravel(i, a.shape).join(',')}]: actual ${fmt(av)}, expected ${fmt(ev)}${diff}`,
    );
  }
  if (bad.length > o.maxReport) lines.push(`  … and ${bad.length - o.maxReport} more`);
  return lines.join('\n');
}

/**
 * Throws an Error with {@link compareArrays}'s report unless `actual` matches `expected`
 * within `rtol`/`atol` (both default 0: exact).
 */
export function assertArraysClose(
  actual: Comparable,
  expected: Comparable,
  options: CloseOptions = {},
): void {
  const report = compareArrays(actual, expected, options);
  if (report !== null) throw new Error(report);
}

/** {@link assertArraysClose} with zero tolerance: every element (and the dtype) must match. */
export function assertArraysEqual(
  actual: Comparable,
  expected: Comparable,
  options: Omit<CloseOptions, 'rtol' | 'atol'> = {},
): void {
  assertArraysClose(actual, expected, { ...options, rtol: 0, atol: 0 });
}
