/**
 * `accumulate`: running fold along one axis (NumPy's `ufunc.accumulate`).
 * out[..., 0, ...] = a[..., 0, ...]; out[..., i, ...] = f(out[..., i-1, ...], a[..., i, ...]).
 * Runs as one elementwise loop over (previous slice, input slice) → next slice; the layout
 * planner never reverses a dim, so each step reads a value that is already final.
 */
import {
  copyInto,
  dtypeOf,
  mayShareMemory,
  type NdArray,
  sizeOf,
  toNdarray,
  zeros,
} from '../core/array.js';
import { formatShape } from '../core/broadcast.js';
import { canCastSameKind } from '../core/dtypes.js';
import { ValueError } from '../core/errors.js';
import { targetFor } from '../targets/registry.js';
import { normalizeAxis } from './axes.js';
import type { UfuncCore } from './dispatcher.js';
import { runMap } from './execute.js';
import { checkAxisOptions } from './options.js';
import { reductionKernel, requireBinary, sliceAxis } from './reduce.js';

export function accumulateUfunc(core: UfuncCore, x: unknown, rawOpts: unknown): NdArray {
  requireBinary(core, 'accumulate');
  const opts = checkAxisOptions(rawOpts, `${core.name}.accumulate`);
  const a = toNdarray(x as never);
  if (a.shape.length === 0) throw new TypeError('cannot accumulate on a scalar');
  const axis = normalizeAxis(opts.axis ?? 0, a.shape.length);
  const [kernel, t] = reductionKernel(core, dtypeOf(a), opts.dtype);
  const out = opts.out ?? undefined;
  if (out) {
    if (out.shape.length !== a.shape.length || out.shape.some((d, i) => d !== a.shape[i])) {
      throw new ValueError(
        `output parameter for accumulate has shape ${formatShape(out.shape)}, expected ${formatShape(a.shape)}`,
      );
    }
    if (!canCastSameKind(t, dtypeOf(out))) {
      throw new TypeError(
        `Cannot cast ufunc '${core.name}' output from ${t} to ${dtypeOf(out)} with casting rule 'same_kind'`,
      );
    }
  }
  const direct = out && dtypeOf(out) === t && !kernel.mayThrow && !mayShareMemory(out, a);
  const acc = direct ? out : zeros(a.shape, t);
  const n = a.shape[axis];
  if (n > 0 && a.shape.every((d) => d > 0)) {
    copyInto(sliceAxis(acc, axis, 0, 1), sliceAxis(a, axis, 0, 1));
    if (n > 1) {
      const prev = sliceAxis(acc, axis, 0, n - 1);
      const next = sliceAxis(acc, axis, 1, n);
      // The same decision runMap makes, recorded for parallelStatus() and inspect().
      targetFor(core.target).workersFor?.(core, core.name, sizeOf(next.shape));
      runMap(kernel, {
        inputs: [prev, sliceAxis(a, axis, 1, n)],
        outputs: [next],
        shape: next.shape,
        scan: true,
        scanAxis: axis,
        target: targetFor(core.target),
      });
    }
  }
  if (out && !direct) copyInto(out, acc);
  return out ? (opts.userOut ?? out) : acc;
}
