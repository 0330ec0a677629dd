/**
 * A stencil call: sorts arguments into arrays and numbers, validates everything (shapes,
 * ndim, modes, out) before anything is written, copies inputs that overlap `out`, picks
 * the loop for (dtypes, ndim, axis order) and runs it.
 */

import { literalTy } from '../compiler/infer.js';
import type { Ty, TypedKernel } from '../compiler/ir.js';
import { kernelMayThrow } from '../compiler/may-throw.js';
import { join } from '../compiler/types.js';
import { forEachStmt } from '../compiler/visit.js';
import {
  copy,
  copyInto,
  dtypeOf,
  mayShareMemory,
  type NdArray,
  sizeOf,
  toNdarray,
  zeros,
} from '../core/array.js';
import { formatShape } from '../core/broadcast.js';
import { type Operand, scalarOperand, splitArgs } from '../core/call-args.js';
import { type DType, describe, INFO } from '../core/dtypes.js';
import { ValueError } from '../core/errors.js';
import { targetFor } from '../targets/registry.js';
import type { StencilCore } from './dispatcher.js';
import { checkCallOptions } from './options.js';
import { runStencil } from './run.js';

/**
 * The kernel's parameter types: an array's dtype, and for a number the weak type of a
 * literal of its value. So an extra argument behaves in the kernel exactly as if its value
 * were written there: `k * u(0)` stays in u's dtype (NumPy 2's weak Python scalars), and
 * `u(k)` is a plain integer offset whatever the arrays' dtypes.
 */
function paramTypes(ops: readonly Operand[]): Ty[] {
  return ops.map((o) => (o.kind === 'array' ? dtypeOf(o.a) : o.bool ? 'bool' : literalTy(o.v)));
}

/** Coerces each argument by its parameter's role: arrays for accessors, numbers otherwise. */
function operands(core: StencilCore, inputs: readonly unknown[]): Operand[] {
  return inputs.map((x, p) => {
    const pname = core.parsed.params[p];
    if (core.accessors.has(p)) {
      if (typeof x === 'number' || typeof x === 'boolean') {
        throw new TypeError(
          `${core.name}: '${pname}' is read as ${pname}(…) in the kernel, so it must be an array; got ${describe(x)}`,
        );
      }
      return { kind: 'array', a: toNdarray(x as never) };
    }
    const scalar = scalarOperand(x);
    if (scalar) return scalar;
    throw new TypeError(
      `${core.name}: '${pname}' is not read through an accessor in the kernel, so it must be a number; got ${describe(x)}`,
    );
  });
}

export function callStencil(core: StencilCore, args: readonly unknown[]): NdArray {
  const name = core.name;
  const [inputs, rawOpts] = splitArgs(args, core.nparams, name, 'argument');
  const opts = checkCallOptions(rawOpts, name);
  const ops = operands(core, inputs);
  let arrays: NdArray[] = [];
  const arrayParams: number[] = [];
  ops.forEach((op, p) => {
    if (op.kind === 'array') {
      arrays.push(op.a);
      arrayParams.push(p);
    }
  });
  if (arrays.length === 0) {
    throw new TypeError(
      `${name}: the kernel reads no parameter through a relative accessor (like u(0, 0)), so there is no array to run over`,
    );
  }
  const shape = arrays[0].shape.slice();
  const pname = (j: number) => `'${core.parsed.params[arrayParams[j]]}'`;
  arrays.forEach((a, j) => {
    if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
      throw new ValueError(
        `${name}: input ${pname(j)} has shape ${formatShape(a.shape)} but input ${pname(0)} has shape ${formatShape(shape)}; every array input must have the same shape`,
      );
    }
  });
  const nd = shape.length;
  if (core.ndim !== null && nd !== core.ndim) {
    throw new ValueError(
      `${name}: the kernel indexes ${core.ndim} axes but the inputs have ${nd} (shape ${formatShape(shape)})`,
    );
  }
  const modes = core.modesFor(nd);
  const types = paramTypes(ops);
  const out = opts.out;
  if (out) {
    if (out.shape.length !== nd || out.shape.some((d, i) => d !== shape[i])) {
      throw new ValueError(
        `${name}: out has shape ${formatShape(out.shape)} but the inputs have shape ${formatShape(shape)}`,
      );
    }
    dtypeOf(out);
  }
  const typing = core.typing(types);
  // Numba: the output has the kernel's return type; a return of literals only (Life's
  // `? 1 : 0`) keeps the first input's dtype; `dtype` and `out` override both.
  const outDtype: DType = out
    ? dtypeOf(out)
    : (core.dtype ?? resultDtype(typing.typed, dtypeOf(arrays[0])));
  const cval = opts.cval ?? core.cval;
  // Validation is over; from here on the call writes.
  if (out) arrays = arrays.map((a) => (mayShareMemory(out, a) ? copy(a) : a));
  const target = targetFor(core.target);
  const shared = target.sharesOutputs?.(sizeOf(shape)) ?? false;
  // A kernel that can throw part-way (a computed offset outside the neighborhood) runs into
  // a scratch copy of `out` (skipped cells keep out's values), copied into `out` only once
  // every cell succeeded: `out` is never left half-written.
  const staged = out && kernelMayThrow(typing.typed) ? copy(out) : null;
  const result = staged ?? out ?? zeros(shape, outDtype, shared ? { shared } : undefined);
  // With `out`, the caller gets its own object back (the loops wrote through a checked copy).
  const returned = opts.userOut ?? result;
  if (sizeOf(shape) === 0) return returned;

  if (target.runStencilCall) {
    target.runStencilCall({
      typed: typing.typed,
      arrays,
      arrayParams,
      scalars: ops.map((op) => (op.kind === 'scalar' ? op.v : undefined)),
      result,
      modes,
      extents: core.extentsFor(nd),
      cval,
      fill: !out,
    });
    if (staged && out) copyInto(out, staged);
    return returned;
  }
  runStencil(core, {
    typing,
    ops,
    arrays,
    arrayParams,
    result,
    outDtype,
    modes,
    cval,
    fill: !out,
  });
  if (staged && out) copyInto(out, staged);
  return returned;
}

/** The dtype of a stencil's result: the kernel's return type, or `first`'s for literal-only returns. */
function resultDtype(typed: TypedKernel, first: DType): DType {
  let t: Ty | undefined;
  forEachStmt(typed.body, (s) => {
    if (s.k === 'return') for (const v of s.values) t = t === undefined ? v.ty : join(t, v.ty);
  });
  if (t === undefined) return first;
  if (t === 'wint') return first;
  if (t === 'wfloat') return INFO[first].kind === 'f' ? first : 'float64';
  return t;
}
