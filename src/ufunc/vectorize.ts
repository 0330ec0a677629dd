/**
 * `vectorize`: turns a scalar JS/TS function into a NumPy-style ufunc with broadcasting and
 * the ufunc methods `reduce`, `accumulate`, `reduceat`, `outer` and `at`.
 */

import { SCALAR_KERNEL, type ScalarKernelSource } from '../compiler/callable.js';
import { type ArrayLike, type NdArray, zeros } from '../core/array.js';
import type { DType } from '../core/dtypes.js';
import { CPU, targetFor, withInspectNote } from '../targets/registry.js';
import { accumulateUfunc } from './accumulate.js';
import { type AtIndices, atUfunc } from './at.js';
import { callUfunc, type UfuncResult } from './call.js';
import { type Identity, UfuncCore, type VectorizeOptions } from './dispatcher.js';
import type { AxisOptions, CallOptions, ReduceOptions } from './options.js';
import { outerUfunc } from './outer.js';
import { reduceUfunc } from './reduce.js';
import { reduceatUfunc } from './reduceat.js';
import type { CallResult } from './result-types.js';
import { formatSignature, parseSignature } from './signatures.js';
import { withTimeoutOption } from './timeout.js';

/** A kernel: a function of numbers returning a number (or an array literal for several outputs). */
export type ScalarKernel = (...args: number[]) => number | boolean | readonly (number | boolean)[];

/** One array-like argument per kernel parameter. */
type MapInputs<P extends readonly unknown[]> = { [K in keyof P]: ArrayLike };
/** One array-like argument per kernel parameter. */
export type UfuncInputs<F extends ScalarKernel> = MapInputs<Parameters<F>>;

/** The result of a call: one array (or number), or one per output when the kernel returns several. */
export type UfuncReturn<F extends ScalarKernel> =
  ReturnType<F> extends readonly unknown[] ? UfuncResult[] : UfuncResult;

/**
 * A compiled ufunc (NumPy's `np.ufunc`, Numba's `DUFunc`). Calls are typed from their
 * arguments: array inputs give `NdArray` (a tuple of them for several outputs), all-scalar
 * inputs give `number`, `out`/`where` always give arrays.
 */
export interface Ufunc<F extends ScalarKernel = ScalarKernel> {
  /** Applies the kernel elementwise with NumPy broadcasting. */
  <A extends UfuncInputs<F>>(...args: A): CallResult<ReturnType<F>, A>;
  <A extends UfuncInputs<F>, O extends CallOptions>(
    ...args: [...A, O]
  ): CallResult<ReturnType<F>, A, O>;
  /** Same as a call, as a Promise (the shape every target shares). */
  async<A extends UfuncInputs<F>>(...args: A): Promise<CallResult<ReturnType<F>, A>>;
  async<A extends UfuncInputs<F>, O extends CallOptions>(
    ...args: [...A, O]
  ): Promise<CallResult<ReturnType<F>, A, O>>;
  /** Folds along axes (binary kernels only). Returns a number when the result is 0-d and no `out` was given. */
  reduce(a: ArrayLike, options?: ReduceOptions): NdArray | number;
  /** Running fold along one axis (binary kernels only). */
  accumulate(a: ArrayLike, options?: AxisOptions): NdArray;
  /** Reductions over index-delimited slices along one axis (binary kernels only). */
  reduceat(a: ArrayLike, indices: ArrayLike, options?: AxisOptions): NdArray;
  /** f over every pair of elements of `a` and `b` (binary kernels only). */
  outer<X extends ArrayLike, Y extends ArrayLike, O extends CallOptions = object>(
    a: X,
    b: Y,
    options?: O,
  ): CallResult<ReturnType<F>, [X, Y], O>;
  /** In place: a[indices] = f(a[indices], b), unbuffered (repeated indices accumulate). */
  at(a: NdArray | ArrayLike, indices: AtIndices, b?: ArrayLike): void;
  /** Number of inputs. */
  readonly nin: number;
  /** Number of outputs. */
  readonly nout: number;
  readonly identity: Identity;
  /** Compiled loops in NumPy notation, e.g. `['float64,float64->float64']`. */
  readonly types: string[];
  /** The ufunc's name (used in error messages). */
  readonly ufuncName: string;
  /**
   * Generated loop source for one loop (`'float64,float64->float64'` or
   * `'float64(float64, float64)'`), compiling it if needed; without an argument, every
   * compiled loop.
   */
  inspect(signature?: string): string;
}

/**
 * Compiles `fn` into a ufunc. Without `signatures` the ufunc is dynamic: it compiles one
 * loop per combination of input dtypes, on first use.
 *
 * @example
 * const hypot = vectorize((x: number, y: number) => Math.sqrt(x * x + y * y), { name: 'hypot' });
 * hypot(asarray([3, 5]), 4); // ndarray [5, 6.40…]
 */
export function vectorize<F extends ScalarKernel>(fn: F, options?: VectorizeOptions): Ufunc<F> {
  const core = new UfuncCore(fn, options);
  // Every method takes a per-call `timeout` (parallel target) in its options.
  const timed = <T>(args: unknown[], at: number, run: (args: unknown[]) => T): T =>
    withTimeoutOption(core.name, core.target, args, at, run);
  const call = (...args: unknown[]) => timed(args, core.nin, (a) => callUfunc(core, a));
  const u = call as unknown as Ufunc<F> & Record<string, unknown>;
  Object.defineProperties(u, {
    async: {
      value: (...args: unknown[]) =>
        targetFor(core.target).runAsync(() => timed(args, core.nin, (a) => callUfunc(core, a))),
    },
    reduce: {
      value: (...args: unknown[]) => timed(args, 1, ([a, o]) => reduceUfunc(core, a, o)),
    },
    accumulate: {
      value: (...args: unknown[]) => timed(args, 1, ([a, o]) => accumulateUfunc(core, a, o)),
    },
    reduceat: {
      value: (...args: unknown[]) => timed(args, 2, ([a, i, o]) => reduceatUfunc(core, a, i, o)),
    },
    outer: {
      value: (...args: unknown[]) => timed(args, 2, ([a, b, o]) => outerUfunc(core, a, b, o)),
    },
    at: { value: (a: unknown, i: unknown, b?: unknown) => atUfunc(core, a, i, b) },
    nin: { value: core.nin, enumerable: true },
    nout: { value: core.nout, enumerable: true },
    identity: { value: core.identity, enumerable: true },
    types: { get: () => core.types, enumerable: true },
    ufuncName: { value: core.name, enumerable: true },
    inspect: {
      value: (sig?: string) => withInspectNote(core.target, core, inspectUfunc(core, sig)),
    },
    [SCALAR_KERNEL]: { value: scalarKernelSource(core) },
  });
  return u;
}

/** The ufunc's kernel on numbers, for kernels that call it (`functions` option). */
function scalarKernelSource(core: UfuncCore): ScalarKernelSource {
  return {
    nin: core.nin,
    nout: core.nout,
    scalar(inTypes) {
      const k = core.signatures
        ? core.resolve(inTypes.map((t) => ({ kind: 'array' as const, a: zerosOf(t) })))
        : core.kernelFor(inTypes);
      return { fn: k.scalarFn(), inTypes: k.inTypes, outType: k.outTypes[0] };
    },
  };
}

function inspectUfunc(core: UfuncCore, sig?: string): string {
  const sigs = sig === undefined ? core.types.map(parseSignature) : [parseSignature(sig)];
  if (sigs.length === 0)
    return `// ${core.name}: no loops compiled yet (call it, or pass a signature to inspect)`;
  return sigs
    .map((s) => {
      if (s.ins.length !== core.nin)
        throw new TypeError(`inspect: ${core.name} takes ${core.nin} input(s)`);
      const k = core.signatures
        ? core.resolve(s.ins.map((t) => ({ kind: 'array' as const, a: zerosOf(t) })))
        : core.kernelFor(s.ins);
      const outs = s.outs.length === k.outTypes.length ? (s.outs as DType[]) : k.outTypes;
      const base = {
        inArrays: s.ins,
        inKernel: k.inTypes,
        outArrays: outs,
        outKernel: k.outTypes,
        hasMask: false,
        accumulate: false,
      };
      const header = [`// ${core.name}: ${formatSignature({ ins: k.inTypes, outs: k.outTypes })}`];
      if (k.callsFunction) {
        header.push(
          `// free variables (${k.typed.freeNames.join(', ')}): the loop calls the original function F per element;`,
          '// pass them as `constants` to compile them in.',
        );
      }
      const flat = k.source({
        ...base,
        ndim: 1,
        contiguous: true,
        zeroOffsets: false,
        innerZero: [],
        innerOne: [],
        scan: false,
      });
      const nd = k.source({
        ...base,
        ndim: 2,
        contiguous: false,
        zeroOffsets: false,
        innerZero: base.inArrays.map(() => false).concat(outs.map(() => false)),
        innerOne: base.inArrays.map(() => false).concat(outs.map(() => false)),
        scan: false,
      });
      return `${header.join('\n')}\n// contiguous operands: one flat loop\n${flat}\n// strided / broadcast operands (2-D nest, innermost = smallest strides)\n${nd}${CPU.describeMapEngine!(k.typed)}`;
    })
    .join('\n\n');
}

function zerosOf(t: DType): NdArray {
  return zeros([0], t);
}
