/**
 * `reduceat`: reductions over slices given by start indices (NumPy semantics): for each i,
 * reduce a[indices[i]:indices[i+1]] along the axis, or take a[indices[i]] when
 * indices[i] >= indices[i+1]; the last slice runs to the end.
 */
import {
  copyInto,
  dtypeOf,
  mayShareMemory,
  type NdArray,
  toArray,
  toNdarray,
  zeros,
} from '../core/array.js';
import { formatShape } from '../core/broadcast.js';
import { canCastSameKind } from '../core/dtypes.js';
import { IndexError, ValueError } from '../core/errors.js';
import { normalizeAxis } from './axes.js';
import type { UfuncCore } from './dispatcher.js';
import { runMap } from './execute.js';
import { checkAxisOptions } from './options.js';
import { reductionKernel, requireBinary, sliceAxis } from './reduce.js';

export function reduceatUfunc(
  core: UfuncCore,
  x: unknown,
  indices: unknown,
  rawOpts: unknown,
): NdArray {
  requireBinary(core, 'reduceat');
  const opts = checkAxisOptions(rawOpts, `${core.name}.reduceat`);
  const a = toNdarray(x as never);
  if (a.shape.length === 0) throw new TypeError('cannot reduceat on a scalar');
  const axis = normalizeAxis(opts.axis ?? 0, a.shape.length);
  const idxArr = toNdarray(indices as never);
  if (idxArr.shape.length !== 1) throw new ValueError('reduceat: indices must be 1-dimensional');
  const idx = toArray(idxArr);
  const n = a.shape[axis];
  for (const i of idx) {
    if (!Number.isInteger(i)) throw new TypeError(`reduceat: indices must be integers; got ${i}`);
    if (i < 0 || i >= n)
      throw new IndexError(`index ${i} out-of-bounds in ${core.name}.reduceat [0, ${n})`);
  }
  const [kernel, t] = reductionKernel(core, dtypeOf(a), opts.dtype);
  const outShape = a.shape.slice();
  outShape[axis] = idx.length;
  const out = opts.out ?? undefined;
  if (out) {
    if (out.shape.length !== outShape.length || out.shape.some((d, i) => d !== outShape[i])) {
      throw new ValueError(
        `output parameter for reduceat has shape ${formatShape(out.shape)}, expected ${formatShape(outShape)}`,
      );
    }
    if (!canCastSameKind(t, dtypeOf(out))) {
      throw new TypeError(
        `Cannot cast ufunc '${core.name}' output from ${t} to ${dtypeOf(out)} with casting rule 'same_kind'`,
      );
    }
  }
  const direct = out && dtypeOf(out) === t && !kernel.mayThrow && !mayShareMemory(out, a);
  const acc = direct ? out : zeros(outShape, t);
  for (let i = 0; i < idx.length; i++) {
    const start = idx[i];
    const end =
      i + 1 < idx.length && idx[i + 1] > start ? idx[i + 1] : i + 1 < idx.length ? start + 1 : n;
    const dst = sliceAxis(acc, axis, i, i + 1);
    copyInto(dst, sliceAxis(a, axis, start, start + 1));
    if (end - start > 1) {
      const rest = sliceAxis(a, axis, start + 1, end);
      const strides = dst.stride.map((s, d) => (d === axis ? 0 : s));
      runMap(kernel, {
        inputs: [dst, rest],
        outputs: [dst],
        outStrides: [strides],
        shape: rest.shape,
        accumulate: true,
      });
    }
  }
  if (out && !direct) copyInto(out, acc);
  return out ? (opts.userOut ?? out) : acc;
}
