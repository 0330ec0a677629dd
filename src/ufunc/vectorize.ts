/**
 * `vectorize`: turns a scalar JS/TS function into a NumPy-style ufunc with broadcasting and
 * the ufunc methods `reduce`, `accumulate`, `reduceat`, `outer` and `at`.
 */
import { type ArrayLike, type NdArray, zeros } from '../core/array.js';
import type { DType } from '../core/dtypes.js';
import { runDeferred } from '../targets/parallel/map.js';
import { lastWasmPath, wasmConfig, wasmLoops } from '../targets/wasm/map.js';
import { accumulateUfunc } from './accumulate.js';
import { type AtIndices, atUfunc } from './at.js';
import { callUfunc, type UfuncResult } from './call.js';
import { type Identity, UfuncCore, type VectorizeOptions } from './core.js';
import type { CompiledKernel } from './kernel.js';
import type { AxisOptions, CallOptions, ReduceOptions } from './options.js';
import { outerUfunc } from './outer.js';
import { reduceUfunc } from './reduce.js';
import { reduceatUfunc } from './reduceat.js';
import { formatSignature, parseSignature } from './signatures.js';

/** A kernel: a function of numbers returning a number (or an array literal for several outputs). */
export type ScalarKernel = (...args: number[]) => number | boolean | readonly (number | boolean)[];

/** One array-like argument per kernel parameter. */
type MapInputs<P extends readonly unknown[]> = { [K in keyof P]: ArrayLike };
/** One array-like argument per kernel parameter. */
export type UfuncInputs<F extends ScalarKernel> = MapInputs<Parameters<F>>;

/** The result of a call: one array (or number), or one per output when the kernel returns several. */
export type UfuncReturn<F extends ScalarKernel> =
  ReturnType<F> extends readonly unknown[] ? UfuncResult[] : UfuncResult;

/** A compiled ufunc (NumPy's `np.ufunc`, Numba's `DUFunc`). */
export interface Ufunc<F extends ScalarKernel = ScalarKernel> {
  /** Applies the kernel elementwise with NumPy broadcasting. */
  (...args: [...UfuncInputs<F>]): UfuncReturn<F>;
  (...args: [...UfuncInputs<F>, CallOptions]): UfuncReturn<F>;
  /** Same as a call, as a Promise (the shape every target shares). */
  async(...args: [...UfuncInputs<F>] | [...UfuncInputs<F>, CallOptions]): Promise<UfuncReturn<F>>;
  /** Folds along axes (binary kernels only). Returns a number when the result is 0-d and no `out` was given. */
  reduce(a: ArrayLike, options?: ReduceOptions): NdArray | number;
  /** Running fold along one axis (binary kernels only). */
  accumulate(a: ArrayLike, options?: AxisOptions): NdArray;
  /** Reductions over index-delimited slices along one axis (binary kernels only). */
  reduceat(a: ArrayLike, indices: ArrayLike, options?: AxisOptions): NdArray;
  /** f over every pair of elements of `a` and `b` (binary kernels only). */
  outer(a: ArrayLike, b: ArrayLike, options?: CallOptions): UfuncReturn<F>;
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
  const call = (...args: unknown[]) => callUfunc(core, args);
  const u = call as unknown as Ufunc<F> & Record<string, unknown>;
  Object.defineProperties(u, {
    async: {
      value: (...args: unknown[]) =>
        core.target === 'parallel'
          ? runDeferred(() => callUfunc(core, args))
          : Promise.resolve().then(() => callUfunc(core, args)),
    },
    reduce: { value: (a: unknown, o?: unknown) => reduceUfunc(core, a, o) },
    accumulate: { value: (a: unknown, o?: unknown) => accumulateUfunc(core, a, o) },
    reduceat: { value: (a: unknown, i: unknown, o?: unknown) => reduceatUfunc(core, a, i, o) },
    outer: { value: (a: unknown, b: unknown, o?: unknown) => outerUfunc(core, a, b, o) },
    at: { value: (a: unknown, i: unknown, b?: unknown) => atUfunc(core, a, i, b) },
    nin: { value: core.nin, enumerable: true },
    nout: { value: core.nout, enumerable: true },
    identity: { value: core.identity, enumerable: true },
    types: { get: () => core.types, enumerable: true },
    ufuncName: { value: core.name, enumerable: true },
    inspect: { value: (sig?: string) => inspectUfunc(core, sig) },
  });
  return u;
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
      return `${header.join('\n')}\n// contiguous operands: one flat loop\n${flat}\n// strided / broadcast operands (2-D nest, innermost = smallest strides)\n${nd}${describeWasm(k.typed)}`;
    })
    .join('\n\n');
}

/** Which path the last large call ran (JS loop or WebAssembly, and why), and the wasm loops. */
function describeWasm(typed: CompiledKernel['typed']): string {
  const lines = [
    `// last call on ${wasmConfig.minElements}+ elements: ${lastWasmPath(typed) ?? 'none yet'}`,
  ];
  for (const l of wasmLoops(typed)) {
    if (!l.run) {
      lines.push(`// wasm loop ${l.key}: not built (${l.reason})`);
      continue;
    }
    lines.push(
      `// wasm loop ${l.key}: ${l.simd ? `SIMD ${l.simd} inner loop` : 'scalar'}, ${l.bytes} bytes, emitted in ${l.emitMs.toFixed(3)} ms, compiled in ${l.compileMs.toFixed(3)} ms`,
      l.text,
    );
  }
  return `\n${lines.join('\n')}`;
}

function zerosOf(t: DType): NdArray {
  return zeros([0], t);
}
