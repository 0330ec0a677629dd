/** Axis normalisation with NumPy's errors. */
import { AxisError, ValueError } from '../core/errors.js';

export function normalizeAxis(axis: unknown, ndim: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new TypeError(
      `axis must be an integer; got ${typeof axis === 'number' ? axis : typeof axis}`,
    );
  }
  if (axis < -ndim || axis >= ndim)
    throw new AxisError(`axis ${axis} is out of bounds for array of dimension ${ndim}`);
  return axis < 0 ? axis + ndim : axis;
}

/** `axis` of reduce: a number, a list, or null (all axes). Returns sorted unique axes. */
export function normalizeAxes(axis: unknown, ndim: number): number[] {
  if (axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  const res = list.map((a) => normalizeAxis(a, ndim));
  if (new Set(res).size !== res.length) throw new ValueError("duplicate value in 'axis'");
  return res.sort((a, b) => a - b);
}
