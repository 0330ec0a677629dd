/**
 * NumPy's three-argument `where(cond, a, b)`: elements of `a` where `cond` is true (nonzero,
 * NaN included), of `b` elsewhere, all three broadcast together. The result dtype is
 * `result_type(a, b)` with JS numbers weak, as in NumPy 2; `cond`'s dtype does not take part.
 */
import { type ArrayLike, asarray, type NdArray, toArray } from '../core/array.js';
import { type Operand, toOperand } from '../core/call-args.js';
import { type DType, INFO } from '../core/dtypes.js';
import { resolveWeak, scalarArray } from './dispatcher.js';
import { type Ufunc, vectorize } from './vectorize.js';

let select: Ufunc | undefined;

/**
 * `cond ? a : b` elementwise with broadcasting (NumPy's `np.where(cond, a, b)`). A plain
 * number when all three are scalars.
 *
 * @example
 * where(asarray([true, false]), asarray([1, 2]), 0);   // float64 [1, 0]
 */
export function where(cond: ArrayLike, a: ArrayLike, b: ArrayLike): NdArray;
export function where(cond: number | boolean, a: number | boolean, b: number | boolean): number;
export function where(...args: ArrayLike[]): NdArray | number {
  if (args.length !== 3) {
    throw new TypeError(
      `where takes exactly 3 arguments (cond, a, b); got ${args.length}. For the indices of nonzero elements, loop over toArray(cond).`,
    );
  }
  const [cond, a, b] = args;
  // NaN is nonzero, so it selects `a` (JS truthiness would pick `b`); -0 is zero.
  select ??= vectorize((c: number, x: number, y: number) => (c !== 0 ? x : y), { name: 'where' });
  const c = toOperand(cond, (v) => asarray(v as ArrayLike));
  const ops: Operand[] = [a, b].map((v) => toOperand(v, (w) => asarray(w as ArrayLike)));
  // The branches' dtype comes from a and b alone: weak scalars resolve against them only.
  const types = ops.every((o) => o.kind === 'scalar') ? scalarPair(ops) : resolveWeak(ops);
  const [x, y] = ops.map((op, i) => (op.kind === 'array' ? op.a : scalarArray(op.v, types[i])));
  const condArr = c.kind === 'array' ? c.a : scalarArray(c.v, c.bool ? 'bool' : 'float64');
  const r = select(condArr, x, y) as NdArray;
  if (c.kind === 'scalar' && ops.every((o) => o.kind === 'scalar')) return toArray(r)[0];
  return r;
}

/**
 * Two JS scalars: NumPy gives its default int (int64) for two integers, which numbats
 * narrows to int32 when both fit (as `arange` does); booleans stay bool, else float64.
 */
function scalarPair(ops: readonly Operand[]): DType[] {
  const vals = ops as Extract<Operand, { kind: 'scalar' }>[];
  if (vals.every((o) => o.bool)) return ['bool', 'bool'];
  const fits = vals.every(
    (o) => Number.isInteger(o.v) && o.v >= INFO.int32.min && o.v <= INFO.int32.max,
  );
  return fits ? ['int32', 'int32'] : ['float64', 'float64'];
}
