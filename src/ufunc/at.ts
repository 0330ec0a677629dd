/**
 * `at`: unbuffered in-place application at indices (NumPy's `ufunc.at`):
 * a[idx] = f(a[idx], b) for each index in turn, so repeated indices accumulate.
 * Every index is checked before anything is written.
 */
import {
  castScalar,
  copy,
  dtypeOf,
  isNdarray,
  mayShareMemory,
  type NdArray,
  sizeOf,
  toArray,
  toNdarray,
  view,
} from '../core/array.js';
import { broadcastShapes, broadcastStrides, formatShape } from '../core/broadcast.js';
import { type Operand, toOperand } from '../core/call-args.js';
import { canCastSameKind, type TypedArray } from '../core/dtypes.js';
import { IndexError, ValueError } from '../core/errors.js';
import { operandArray, type UfuncCore } from './dispatcher.js';
import { runMap } from './execute.js';

/** Index arguments of `at`: one index array (for axis 0) or a list of them, one per axis. */
export type AtIndices =
  | number
  | readonly number[]
  | NdArray
  | readonly (number | readonly number[] | NdArray)[];

function indexArrays(indices: unknown): NdArray[] {
  if (typeof indices === 'number') return [toNdarray(indices)];
  // A flat list of numbers (the empty list included) is one index array for axis 0: NumPy's
  // np.add.at(a, [], b) does nothing, it does not apply b to the whole of `a`.
  if (Array.isArray(indices) && indices.every((i) => typeof i === 'number')) {
    return [toNdarray(indices as number[])];
  }
  if (Array.isArray(indices)) return indices.map((i) => toNdarray(i as never));
  if (isNdarray(indices) || ArrayBuffer.isView(indices)) return [toNdarray(indices as never)];
  throw new TypeError(
    'at: indices must be a number, an index array, or a list of index arrays (one per axis)',
  );
}

export function atUfunc(core: UfuncCore, target: unknown, indices: unknown, b: unknown): void {
  if (core.nout !== 1) throw new ValueError('at only supported for ufuncs with one output');
  if (core.nin > 2) throw new ValueError('at only supported for unary and binary functions');
  if (!isNdarray(target) && !ArrayBuffer.isView(target)) {
    throw new TypeError(
      'at: the first argument must be an ndarray or TypedArray (it is modified in place)',
    );
  }
  const a = toNdarray(target as never);
  if (core.nin === 1 && b !== undefined)
    throw new ValueError('second operand provided when ufunc is unary');
  if (core.nin === 2 && b === undefined) throw new ValueError('second operand needed for ufunc');
  const idxs = indexArrays(indices);
  if (idxs.length > a.shape.length) {
    throw new IndexError(
      `too many indices for array: array is ${a.shape.length}-dimensional, but ${idxs.length} were indexed`,
    );
  }
  const ishape = broadcastShapes(idxs.map((i) => i.shape));
  const count = sizeOf(ishape);
  // Flat element offsets of every indexed position, validated before any write.
  const offsets = new Float64Array(count);
  offsets.fill(a.offset);
  idxs.forEach((ia, axis) => {
    const vals = toArray(broadcastView(ia, ishape));
    const n = a.shape[axis];
    for (let p = 0; p < count; p++) {
      let v = vals[p];
      if (!Number.isInteger(v)) throw new IndexError(`at: indices must be integers; got ${v}`);
      if (v < -n || v >= n)
        throw new IndexError(`index ${v} is out of bounds for axis ${axis} with size ${n}`);
      if (v < 0) v += n;
      offsets[p] += v * a.stride[axis];
    }
  });
  const subShape = a.shape.slice(idxs.length);
  const subStride = a.stride.slice(idxs.length);
  const ops: Operand[] = [{ kind: 'array', a }];
  if (core.nin === 2) ops.push(toOperand(b, (v) => toNdarray(v as never)));
  const kernel = core.resolve(ops);
  let bArr = core.nin === 2 ? operandArray(ops[1], kernel.inTypes[1]) : undefined;
  const fullShape = [...ishape, ...subShape];
  if (bArr) {
    const bs = bArr.shape;
    let ok = bs.length <= fullShape.length;
    if (ok) {
      try {
        ok = broadcastShapes([bs, fullShape]).every((d, i) => d === fullShape[i]);
      } catch {
        ok = false;
      }
    }
    if (!ok) {
      throw new ValueError(
        `shape mismatch: value array of shape ${formatShape(bs)} could not be broadcast to indexing result of shape ${formatShape(fullShape)}`,
      );
    }
    if (mayShareMemory(bArr, a)) bArr = copy(bArr);
  }
  // NumPy checks the value's shape before the output cast.
  const outType = kernel.outTypes[0];
  if (!canCastSameKind(outType, dtypeOf(a))) {
    throw new TypeError(
      `Cannot cast ufunc '${core.name}' output from ${outType} to ${dtypeOf(a)} with casting rule 'same_kind'`,
    );
  }
  if (count === 0) return;
  const data = a.data as TypedArray;
  if (subShape.length === 0 || sizeOf(subShape) === 1) {
    // Each index names one element: call the compiled scalar kernel directly.
    const f = kernel.scalarFn();
    const t0 = kernel.inTypes[0];
    const aIsBool = dtypeOf(a) === 'bool';
    const bVals = bArr ? toArray(broadcastView(bArr, fullShape)) : null;
    const t1 = kernel.inTypes[1];
    for (let p = 0; p < count; p++) {
      const off = offsets[p];
      const x = castScalar(data[off], t0);
      const r = bVals ? f(x, castScalar(bVals[p], t1)) : f(x);
      data[off] = aIsBool ? (r !== 0 ? 1 : 0) : r;
    }
    return;
  }
  const bFull = bArr ? broadcastView(bArr, fullShape) : undefined;
  for (let p = 0; p < count; p++) {
    const sub = view(data, subShape, subStride, offsets[p]);
    const inputs = [sub];
    if (bFull) inputs.push(pickPosition(bFull, ishape, p));
    runMap(kernel, { inputs, outputs: [sub], shape: subShape });
  }
}

/** `x` viewed with `shape` (stride 0 on broadcast dims). */
function broadcastView(x: NdArray, shape: readonly number[]): NdArray {
  return view(x.data as TypedArray, shape, broadcastStrides(x.shape, x.stride, shape), x.offset);
}

/** The sub-array of `full` at flat C-order position `p` of its leading `lead` dims. */
function pickPosition(full: NdArray, lead: readonly number[], p: number): NdArray {
  let off = full.offset;
  let rem = p;
  for (let d = lead.length - 1; d >= 0; d--) {
    const i = rem % lead[d];
    rem = (rem - i) / lead[d];
    off += i * full.stride[d];
  }
  return view(
    full.data as TypedArray,
    full.shape.slice(lead.length),
    full.stride.slice(lead.length),
    off,
  );
}
