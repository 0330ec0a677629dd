/** A ufunc call: broadcasting, `out` (overlap-safe), `where`, `dtype`, weak scalars. */
import {
  copy,
  copyInto,
  dtypeOf,
  mayShareMemory,
  type NdArray,
  sameView,
  sizeOf,
  toArray,
  toNdarray,
  zeros,
} from '../core/array.js';
import { broadcastShapes, formatShape } from '../core/broadcast.js';
import { type Operand, splitArgs, toOperand } from '../core/call-args.js';
import type { DType } from '../core/dtypes.js';
import { BroadcastError, ValueError } from '../core/errors.js';
import { targetFor } from '../targets/registry.js';
import { type Casting, canCast, castErrorMessage, checkInputCasts } from './casting.js';
import { operandArray, type UfuncCore } from './dispatcher.js';
import { runMap } from './execute.js';
import { checkCallOptions, checkWhere } from './options.js';

/** What a call returns: an array, a plain number for all-scalar calls, or one per output. */
export type UfuncResult = NdArray | number;

export function callUfunc(core: UfuncCore, args: readonly unknown[]): UfuncResult | UfuncResult[] {
  const [inputs, rawOpts] = splitArgs(args, core.nin, core.name);
  const opts = checkCallOptions(rawOpts, core.name, core.nout);
  const ops = inputs.map((x) => toOperand(x, (v) => toNdarray(v as never)));
  const res = execute(
    core,
    ops,
    opts.out,
    opts.where === undefined ? undefined : checkWhere(opts.where, core.name),
    opts.dtype,
    opts.casting,
  );
  const allScalar = ops.every((o) => o.kind === 'scalar');
  if (allScalar && !opts.out && opts.where === undefined) {
    const vals = res.map((a) => toArray(a)[0]);
    return core.nout === 1 ? vals[0] : vals;
  }
  // The caller gets back its own `out` objects; the loops wrote through checked copies of them.
  const result = opts.userOut ?? res;
  return core.nout === 1 ? result[0] : result;
}

/**
 * The elementwise engine behind call, outer and at: resolves types, validates everything,
 * then runs. Returns the output arrays.
 */
export function execute(
  core: UfuncCore,
  ops: readonly Operand[],
  out: readonly NdArray[] | null | undefined,
  where: NdArray | undefined,
  dtype: DType | undefined,
  casting?: Casting,
): NdArray[] {
  const kernel = core.resolve(ops, dtype, casting);
  const target = targetFor(core.target);
  // Inputs reach the loop unconverted unless `dtype` (or a signature) chose the loop's types:
  // only then can the casting rule be broken (and only then is the check worth its cost).
  if (dtype !== undefined || (casting !== undefined && core.signatures)) {
    checkInputCasts(core.name, ops, kernel.inTypes, casting ?? 'same_kind');
  }
  // The kernel was chosen for these very types (weak scalars resolved, or the signature's /
  // dtype's loop types), so scalars become 0-d arrays of its parameter types.
  let arrays = ops.map((op, i) => operandArray(op, kernel.inTypes[i]));
  const inShapes = arrays.map((a) => a.shape);
  const shapeList = where ? [...inShapes, where.shape] : inShapes;
  let shape = broadcastShapes(shapeList);
  const outDTypes: DType[] = kernel.outTypes.map((t) => dtype ?? t);
  let outs: NdArray[];
  if (out) {
    const target = out[0].shape;
    for (const o of out) {
      let ok = o.shape.length >= shape.length;
      if (ok) {
        try {
          ok = broadcastShapes([shape, o.shape]).every((d, i) => d === o.shape[i]);
        } catch (e) {
          if (!(e instanceof BroadcastError)) throw e;
          ok = false;
        }
      }
      if (!ok || o.shape.length !== target.length || o.shape.some((d, i) => d !== target[i])) {
        throw new ValueError(
          `non-broadcastable output operand with shape ${formatShape(o.shape)} doesn't match the broadcast shape ${formatShape(shape)}`,
        );
      }
    }
    const rule = casting ?? 'same_kind';
    out.forEach((o, j) => {
      const from = outDTypes[j];
      const to = dtypeOf(o);
      if (!canCast(from, to, rule)) {
        // NumPy numbers operands across inputs and outputs, and omits it for a lone output.
        const what = out.length === 1 ? 'output' : `output ${ops.length + j}`;
        throw new TypeError(castErrorMessage(core.name, what, from, to, rule));
      }
    });
    shape = target.slice();
    // Inputs that share memory with an output (other than the very same view) are copied
    // first, so the result is what it would be without overlap.
    arrays = arrays.map((a) =>
      out.some((o) => mayShareMemory(o, a) && !sameView(o, a)) ? copy(a) : a,
    );
    const w = where;
    if (w && out.some((o) => mayShareMemory(o, w))) where = copy(w);
    outs = out.slice();
  } else {
    // On a target splitting the loops over workers, results they will write are shared.
    const shared = target.sharesOutputs?.(sizeOf(shape)) === true;
    outs = outDTypes.map((t) => zeros(shape, t, shared ? { shared } : undefined));
  }
  // A kernel whose type differs from the out array's writes through a same-typed temporary
  // only for bool (handled in the store); TypedArray stores convert every other dtype.
  if (target.runMapCall) {
    target.runMapCall(kernel.typed, { inputs: arrays, outputs: outs, mask: where, shape });
    return outs;
  }
  // The same decision runMap makes, recorded for parallelStatus() and inspect().
  target.workersFor?.(core, core.name, sizeOf(shape));
  // A kernel that can throw part-way computes into scratch copies of `out`, copied back
  // only once the whole loop succeeded: `out` is never left half-written.
  const staged = out && kernel.mayThrow ? outs.map((o) => copy(o)) : null;
  runMap(kernel, {
    inputs: arrays,
    outputs: staged ?? outs,
    mask: where,
    shape,
    target,
  });
  if (staged) for (let j = 0; j < staged.length; j++) copyInto(outs[j], staged[j]);
  return outs;
}
