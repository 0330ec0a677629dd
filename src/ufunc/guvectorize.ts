/**
 * `guvectorize`: generalized ufuncs. The kernel works on core-dim *views* of its operands
 * (`x.shape[k]`, `x.get(i, …)`, `c.set(i, …, value)`), and numbats loops it over the
 * broadcast loop dims with NumPy's gufunc semantics: layouts in NumPy's signature grammar
 * (named, fixed and optional dims), core dims matched from the end of each shape, and
 * NumPy's error texts. Views compile to index arithmetic on the TypedArrays.
 */

import { type ArrayLike, type NdArray, zeros } from '../core/array.js';
import type { DType } from '../core/dtypes.js';
import { CPU, targetFor, withInspectNote } from '../targets/registry.js';
import { callGufunc, type GufuncCallOptions, type GufuncResult } from './gufunc/call.js';
import { GufuncCore, type GuvectorizeOptions } from './gufunc/dispatcher.js';
import { gufuncLoopSource } from './gufunc/loops.js';
import { parseGufuncSignature } from './gufunc/signature.js';
import type { CallResult } from './result-types.js';
import { formatSignature } from './signatures.js';
import { withTimeoutOption } from './timeout.js';

export type { GufuncCallOptions, GufuncResult, GuvectorizeOptions };

/**
 * What a core-dim parameter of a gufunc kernel is (annotate parameters with it). The
 * compiler lowers every use to index arithmetic: no view object exists at run time.
 */
export interface View {
  /** Core-dim extents; index with a constant (`x.shape[0]`), or read `x.shape.length`. */
  readonly shape: readonly number[];
  /** The element at one index per core dim (`x.get(i, j)`; `x.get()` for a `()` output). */
  get(...index: number[]): number;
  /** Writes an output element: one index per core dim, then the value (`c.set(i, j, v)`). */
  set(...indexThenValue: (number | boolean)[]): void;
}

/** A gufunc kernel: views (and numbers for `()` inputs) in; nothing, or the `()` outputs, out. */
export type GufuncKernel = (...args: never[]) => unknown;

type TrimLeft<S extends string> = S extends ` ${infer R}` | `\t${infer R}` | `\n${infer R}`
  ? TrimLeft<R>
  : S;
type SeveralOutputs<O extends string> = O extends `${string})${infer R}`
  ? TrimLeft<R> extends `,${string}`
    ? true
    : false
  : false;

/** A call's result for layout `L`: one per output when it has several. */
export type GufuncReturn<L extends string> = string extends L
  ? GufuncResult | GufuncResult[]
  : L extends `${string}->${infer O}`
    ? SeveralOutputs<O> extends true
      ? GufuncResult[]
      : GufuncResult
    : GufuncResult | GufuncResult[];

/** What layout `L` outputs: one value, or a list of them (several outputs, or unknown). */
type GufuncOutputs<L extends string> = string extends L
  ? unknown
  : L extends `${string}->${infer O}`
    ? SeveralOutputs<O> extends true
      ? unknown[]
      : unknown
    : unknown;

/** A compiled generalized ufunc (NumPy's gufunc, Numba's `GUFunc`). */
export interface Gufunc<L extends string = string> {
  /**
   * Runs the kernel over the broadcast loop dims. Returns new arrays (a plain number for a
   * 0-d output of an all-scalar call), or writes `out`.
   */
  <A extends ArrayLike[]>(...args: A): CallResult<GufuncOutputs<L>, A>;
  <A extends ArrayLike[], O extends GufuncCallOptions>(
    ...args: [...A, O]
  ): CallResult<GufuncOutputs<L>, A, O>;
  /** Same as a call, as a Promise (the shape every target shares). */
  async<A extends ArrayLike[]>(...args: A): Promise<CallResult<GufuncOutputs<L>, A>>;
  async<A extends ArrayLike[], O extends GufuncCallOptions>(
    ...args: [...A, O]
  ): Promise<CallResult<GufuncOutputs<L>, A, O>>;
  /** Number of inputs. */
  readonly nin: number;
  /** Number of outputs. */
  readonly nout: number;
  /** The layout, as given (NumPy's `gufunc.signature`). */
  readonly signature: string;
  /** Compiled loops in NumPy notation, e.g. `['float64,float64->float64']`. */
  readonly types: string[];
  /** The gufunc's name (used in error messages). */
  readonly ufuncName: string;
  /**
   * Generated loop source for one loop (`'float64,float64->float64'` or Numba's
   * `'void(float64[:], float64[:], float64[:])'`), compiling it if needed; without an
   * argument, every compiled loop.
   */
  inspect(signature?: string): string;
}

/**
 * Compiles `fn` into a generalized ufunc with NumPy layout `layout`. The kernel takes its
 * inputs, then its outputs: core-dim operands as {@link View}s, `()` inputs as numbers.
 * When every output is `()`, the kernel may instead take only the inputs and return the
 * output (or `[a, b]` for several). Without `signatures` it is typed per call from the
 * input dtypes; an output's dtype is then that of the values stored into it.
 *
 * @example
 * const rowDot = guvectorize((x: View, y: View) => {
 *   let s = 0;
 *   for (let i = 0; i < x.shape[0]; i++) s += x.get(i) * y.get(i);
 *   return s;
 * }, '(n),(n)->()');
 * rowDot(asarray([[1, 2], [3, 4]]), asarray([1, 1])); // ndarray [3, 7]
 */
export function guvectorize<L extends string>(
  fn: GufuncKernel,
  layout: L,
  options?: GuvectorizeOptions,
): Gufunc<L> {
  const core = new GufuncCore(fn, layout, options);
  // A call takes a per-call `timeout` (parallel target) in its options.
  const timed = (args: unknown[]) =>
    withTimeoutOption(core.name, core.target, args, core.layout.nin, (a) => callGufunc(core, a));
  const call = (...args: unknown[]) => timed(args);
  const g = call as unknown as Gufunc<L>;
  Object.defineProperties(g, {
    async: {
      value: (...args: unknown[]) => targetFor(core.target).runAsync(() => timed(args)),
    },
    nin: { value: core.layout.nin, enumerable: true },
    nout: { value: core.layout.nout, enumerable: true },
    signature: { value: core.layout.source, enumerable: true },
    types: { get: () => core.types, enumerable: true },
    ufuncName: { value: core.name, enumerable: true },
    inspect: {
      // A target may add a note (`parallel`: which path the last call took and why).
      value: (sig?: string) => withInspectNote(core.target, core, inspectGufunc(core, sig)),
    },
  });
  return g;
}

function inspectGufunc(core: GufuncCore, sig?: string): string {
  const { layout, name } = core;
  const sigs = (sig === undefined ? core.types : [sig]).map((s) => parseGufuncSignature(s, layout));
  if (sigs.length === 0) {
    return `// ${name}: no loops compiled yet (call it, or pass a signature to inspect)`;
  }
  return sigs
    .map((s) => {
      let k = core.signatures
        ? core.resolve(s.ins.map((t) => ({ kind: 'array' as const, a: zerosOf(t) })))
        : core.kernelFor(s.ins);
      if (!core.signatures && k.t.outTypes.some((t, j) => t !== s.outs[j])) {
        k = core.kernelFor(s.ins, s.outs);
      }
      const t = k.t;
      const src = gufuncLoopSource(
        t,
        {
          layout,
          arrTypes: [...t.inTypes, ...t.outTypes],
          ndim: 1,
          strides: layout.operands.map((o) => o.map((_, d) => (d === o.length - 1 ? '1' : 'n'))),
          missing: layout.dims.map(() => false),
          zeroOffsets: layout.operands.map(() => false),
          alias: layout.operands.map((_, o) => o),
          loopStrides: layout.operands.map((o) => [o.length > 0 ? 'b' : '1']),
        },
        core.boundscheck,
      );
      return [
        `// ${name}: ${formatSignature({ ins: t.inTypes, outs: t.outTypes })}, layout ${layout.source}`,
        '// one loop dim, C-contiguous core dims (other layouts differ in the index arithmetic)',
        src,
        CPU.describeGufuncEngine!(t.typed),
      ].join('\n');
    })
    .join('\n\n');
}

function zerosOf(t: DType): NdArray {
  return zeros([0], t);
}
