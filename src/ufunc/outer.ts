/** `outer`: f(a[i, j, …], b[k, l, …]) over every pair (NumPy's `ufunc.outer`). */
import { type NdArray, toArray, toNdarray, view } from '../core/array.js';
import { isOptionsObject } from '../core/call-args.js';
import type { TypedArray } from '../core/dtypes.js';
import { ValueError } from '../core/errors.js';
import { callUfunc, type UfuncResult } from './call.js';
import type { UfuncCore } from './dispatcher.js';

export function outerUfunc(
  core: UfuncCore,
  x: unknown,
  y: unknown,
  opts: unknown,
): UfuncResult | UfuncResult[] {
  if (core.nin !== 2) throw new ValueError('outer product only supported for binary functions');
  const a = toNdarray(x as never);
  const b = toNdarray(y as never);
  // a gets trailing length-1 dims, b leading ones: broadcasting then pairs every element.
  const av = view(
    a.data as TypedArray,
    [...a.shape, ...b.shape.map(() => 1)],
    [...a.stride, ...b.shape.map(() => 0)],
    a.offset,
  );
  const bv: NdArray = view(
    b.data as TypedArray,
    [...a.shape.map(() => 1), ...b.shape],
    [...a.shape.map(() => 0), ...b.stride],
    b.offset,
  );
  const res = callUfunc(core, opts === undefined ? [av, bv] : [av, bv, opts]);
  // Like a call, two scalars and no `out` give plain numbers (NumPy returns a scalar too).
  const scalar = (v: unknown) => typeof v === 'number' || typeof v === 'boolean';
  const hasOut = isOptionsObject(opts) && (opts as { out?: unknown }).out != null;
  if (scalar(x) && scalar(y) && !hasOut) {
    const first = (r: UfuncResult) => (typeof r === 'number' ? r : toArray(r)[0]);
    return Array.isArray(res) ? res.map(first) : first(res);
  }
  return res;
}
