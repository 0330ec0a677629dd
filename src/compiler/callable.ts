/**
 * How one kernel calls another by name (the `functions` option of every kind): a jit
 * dispatcher or a ufunc given as `functions: { name }` becomes a `KernelCallable`, which
 * compiles the version for the argument types at the call site; the caller's code then
 * calls that compiled version directly (no dispatch per element).
 */
import type { DType } from '../core/dtypes.js';
import { describe } from '../core/dtypes.js';
import type { ArrayType, Ty } from './ir.js';

/** The property under which a ufunc exposes its scalar kernel. */
export const SCALAR_KERNEL = Symbol.for('numbats.scalarKernel');
/** The property under which a jit dispatcher exposes its compiler. */
export const JIT_CALLABLE = Symbol.for('numbats.jitCallable');

/** A ufunc's kernel as a function of typed numbers. */
export interface ScalarKernelSource {
  readonly nin: number;
  readonly nout: number;
  /** The kernel's version for these input dtypes: a function of numbers returning output 0. */
  scalar(inTypes: readonly DType[]): {
    readonly fn: (...args: number[]) => number;
    readonly inTypes: readonly DType[];
    readonly outType: DType;
  };
}

/** A compiled function a kernel may call by name. */
export interface KernelCallable {
  /** Compiles (or finds) the version for these argument types. */
  specialise(args: readonly (Ty | ArrayType)[], name: string): CalleeVersion;
}

/** One compiled version of a callee. */
export interface CalleeVersion {
  /** The function generated code calls (jit passes arrays as their parts). */
  readonly fn: Function;
  /** The parameter types `fn` expects; scalar arguments are converted to them. */
  readonly params: readonly (Ty | ArrayType)[];
  /** The scalar type it returns (a bool comes back as a JS boolean). */
  readonly ret: Ty;
}

/** The `functions` option, checked. */
export type KernelFunctions = Readonly<Record<string, KernelCallable>>;

/** The callable behind a jit dispatcher or a ufunc, if `v` is one. */
export function callableOf(v: unknown): KernelCallable | undefined {
  if (typeof v !== 'function') return undefined;
  const marked = v as unknown as Record<symbol, unknown>;
  const jitted = marked[JIT_CALLABLE];
  if (jitted) return jitted as KernelCallable;
  const source = marked[SCALAR_KERNEL] as ScalarKernelSource | undefined;
  if (!source) return undefined;
  return {
    specialise(args, name) {
      if (args.length !== source.nin)
        throw new TypeError(`${name} takes ${source.nin} argument(s), got ${args.length}`);
      if (source.nout !== 1)
        throw new TypeError(
          `${name} has ${source.nout} outputs: kernels can call ufuncs with one output`,
        );
      const dtypes = args.map((t) => {
        if (typeof t === 'object')
          throw new TypeError(
            `${name} is a ufunc: inside a kernel it is called on numbers, not arrays`,
          );
        // No int64 loops in numbats: integers (weak, or jit's int64) go through float64, which holds them exactly.
        return t === 'wint' || t === 'wfloat' ? 'float64' : t;
      });
      const k = source.scalar(dtypes);
      return { fn: k.fn, params: k.inTypes, ret: k.outType };
    },
  };
}

/** Checks a `functions` option: jit functions and vectorize ufuncs, by name. */
export function checkFunctions(f: unknown): KernelFunctions {
  if (f === undefined) return {};
  if (f === null || typeof f !== 'object' || Array.isArray(f)) {
    throw new TypeError('functions must be an object mapping names to jit functions or ufuncs');
  }
  const out: Record<string, KernelCallable> = {};
  for (const [k, v] of Object.entries(f)) {
    const callable = callableOf(v);
    if (!callable) {
      throw new TypeError(
        `functions.${k} must be a numbats jit function or vectorize ufunc; got ${typeof v === 'function' ? 'a plain function (wrap it in jit(…))' : describe(v)}`,
      );
    }
    out[k] = callable;
  }
  return Object.freeze(out);
}

/** Compiled helpers called from scalar kernels, by index (generated code: `H.c[i](…)`). */
export const CALLEES: Function[] = [];
const CALLEE_INDEX = new Map<Function, number>();

/** The index under which generated code finds `fn`. */
export function registerCallee(fn: Function): number {
  let i = CALLEE_INDEX.get(fn);
  if (i === undefined) {
    i = CALLEES.length;
    CALLEES.push(fn);
    CALLEE_INDEX.set(fn, i);
  }
  return i;
}

/**
 * `checkFunctions` for a kind whose loops may run elsewhere: the compiled helpers live in
 * this thread, so only a target whose loops run here (`callable`) can call them.
 */
export function checkKernelFunctions(
  f: unknown,
  target: { readonly name: string; readonly callsFunctions?: true },
  what: string,
): KernelFunctions {
  const fns = checkFunctions(f);
  if (target.callsFunctions !== true && Object.keys(fns).length > 0) {
    throw new TypeError(
      `${what}: functions (calls of jit functions and ufuncs inside the kernel) run on the 'cpu' target; the '${target.name}' target cannot call them`,
    );
  }
  return fns;
}

/** A callee's error message with its position marked as the callee's (the caller adds its own). */
export function calleeMessage(message: string, name: string): string {
  return message.replace(/\(line (\d+), column (\d+)\)$/, `(line $1, column $2 of '${name}')`);
}
