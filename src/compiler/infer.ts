/**
 * Type inference of a kernel (the per-element function of vectorize, guvectorize, stencil
 * and jitclass methods) with the parameter dtypes of one call: the walk of `walker.ts` with
 * NumPy's scalar rules and the kind's `KernelExtension`, and the kernel's outputs.
 */
import type { DType } from '../core/dtypes.js';
import { CompileError } from '../core/errors.js';
import { snapshotOptions } from '../core/guard.js';
import type { KernelFunctions } from './callable.js';
import type { Constants, KernelExtension } from './hooks.js';
import type { Ty, TypedKernel } from './ir.js';
import { isStackOverflow, type ParsedKernel } from './parse.js';
import { NUMPY_RULES } from './rules.js';
import { walk } from './walker.js';
import { materializeReturns } from './weak-int.js';

export { describeNode } from './describe.js';
export type { Constants, ExtContext, KernelExtension } from './hooks.js';
export { cast } from './ir.js';
export { literalTy } from './rules.js';

/**
 * Checks a `constants` option and returns a frozen copy. Each value is read exactly once and
 * the copy is what gets checked and compiled in: a getter or Proxy that answered a number
 * to the check and a string to the compiler would otherwise put that string into code.
 */
export function checkConstants(c: unknown): Constants {
  if (c === undefined) return Object.freeze(Object.create(null));
  if (c === null || typeof c !== 'object' || Array.isArray(c)) {
    throw new TypeError('constants must be an object mapping names to numbers or booleans');
  }
  const copy = snapshotOptions(c, 'constants');
  for (const k of Object.keys(copy)) {
    const v = copy[k];
    if (typeof v !== 'number' && typeof v !== 'boolean') {
      throw new TypeError(`constants.${k} must be a number or boolean; got ${typeof v}`);
    }
  }
  return Object.freeze(copy as Record<string, number | boolean>);
}

/** Infers types for a kernel called with scalar parameters of `paramTypes`. */
export function inferKernel(
  parsed: ParsedKernel,
  paramTypes: readonly DType[],
  constants: Constants = {},
  ext?: KernelExtension,
  /** jit functions and ufuncs the kernel may call by name (`functions` option). */
  functions: KernelFunctions = {},
): TypedKernel {
  if (paramTypes.length !== parsed.params.length) {
    throw new TypeError(`kernel takes ${parsed.params.length} arguments, got ${paramTypes.length}`);
  }
  try {
    return inferTyped(parsed, paramTypes, constants, ext, functions);
  } catch (e) {
    // The parser bounds nesting depth; this is the backstop for an engine with a smaller stack.
    if (isStackOverflow(e)) {
      throw new CompileError(
        'kernel is nested too deeply to compile: split long expressions into local variables',
      );
    }
    throw e;
  }
}

function inferTyped(
  parsed: ParsedKernel,
  paramTypes: readonly DType[],
  constants: Constants,
  ext: KernelExtension | undefined,
  functions: KernelFunctions,
): TypedKernel {
  const setup = { rules: NUMPY_RULES, constants, functions, ext };
  const { walker: w, body } = walk(parsed, paramTypes, () => setup);
  if (w.returnTypes.length === 0 && !ext?.allowVoid) {
    throw new CompileError('kernel never returns a value', parsed.where(parsed.body));
  }
  return {
    paramTypes: paramTypes.slice(),
    // A kernel's locals are scalars: nothing in its language makes an array.
    localTypes: w.types.map((t) => (t ?? 'wint') as Ty),
    localNames: w.names,
    body,
    // Weak-int results that are computed (not int32 literals) become float64: exact, never wrapped.
    outTypes: materializeReturns(body, w.returnTypes),
    freeNames: [...w.free],
    specialParams: [...(ext?.specialParams ?? [])],
  };
}
