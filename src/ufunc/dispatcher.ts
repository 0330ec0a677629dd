/**
 * The state behind one ufunc: its parsed kernel, options, and compiled kernels, plus type
 * resolution (NumPy 2 rules with weak JS scalars) shared by every method.
 */

import { checkKernelFunctions, type KernelFunctions } from '../compiler/callable.js';
import { type Constants, checkConstants, inferKernel } from '../compiler/infer.js';
import { type ParsedKernel, parseKernel } from '../compiler/parse.js';
import { allocData, castScalar, dtypeOf, isNdarray, type NdArray, wrap } from '../core/array.js';
import type { Operand } from '../core/call-args.js';
import { canCastSafely, type DType, INFO, isDType, promoteAll } from '../core/dtypes.js';
import { CompileError } from '../core/errors.js';
import { snapshotOptions } from '../core/guard.js';
import { checkOptionKeys } from '../core/option-keys.js';
import { SpecCache } from '../core/spec-cache.js';
import { checkTarget, type TargetName, targetFor } from '../targets/registry.js';
import { type Casting, canCast } from './casting.js';
import { CompiledKernel } from './kernel.js';
import { formatSignature, type LoopSignature, parseSignature } from './signatures.js';

/** Where a ufunc runs. */
/** Where a kind's loops run: declared once, by the target registry. */
export type Target = TargetName;

/** A reduction identity: a number, `'reorderable'` (no value, but any axis order), or null. */
export type Identity = number | 'reorderable' | null;

export interface VectorizeOptions {
  /** Loops compiled eagerly, in NumPy's or Numba's notation; list narrow types first. */
  signatures?: readonly string[];
  /** Identity for reductions (default null: not reorderable, no empty reductions). */
  identity?: Identity;
  /** Where the loops run (default 'cpu'). */
  target?: Target;
  /** Name used in error messages and `inspect` (default: the function's name or 'ufunc'). */
  name?: string;
  /** Values of free variables the kernel reads (numbers or booleans), compiled in as constants. */
  constants?: Readonly<Record<string, number | boolean>>;
  /**
   * jit functions and vectorize ufuncs the kernel calls by name (on numbers), compiled into
   * its loop (no temporary arrays). `cpu` target only.
   */
  functions?: Readonly<Record<string, Function>>;
}

const VECTORIZE_OPTION_KEYS: ReadonlySet<string> = new Set([
  'signatures',
  'identity',
  'target',
  'name',
  'constants',
  'functions',
]);

export class UfuncCore {
  readonly parsed: ParsedKernel;
  readonly name: string;
  readonly identity: Identity;
  readonly nin: number;
  readonly nout: number;
  readonly constants: Constants;
  readonly functions: KernelFunctions;
  readonly signatures: readonly LoopSignature[] | null;
  /** Where the loops run. */
  readonly target: Target;
  private readonly kernels = new SpecCache<string, CompiledKernel>();
  private readonly sigKernels: CompiledKernel[] = [];

  constructor(
    readonly fn: Function,
    options: VectorizeOptions = {},
  ) {
    if (typeof fn !== 'function')
      throw new TypeError('vectorize: the first argument must be a function');
    if (options === null || typeof options !== 'object')
      throw new TypeError('vectorize: options must be an object');
    // Each option is read once, from a copy: a getter cannot pass a check and then change.
    options = snapshotOptions(options, 'vectorize') as VectorizeOptions;
    checkOptionKeys(options, VECTORIZE_OPTION_KEYS, 'vectorize');
    this.target = checkTarget(options.target, 'vectorize');
    const id = options.identity ?? null;
    if (!(id === null || id === 'reorderable' || typeof id === 'number')) {
      throw new TypeError(
        `identity must be a number, 'reorderable' or null; got ${JSON.stringify(id)}`,
      );
    }
    this.identity = id;
    if (options.name !== undefined && typeof options.name !== 'string')
      throw new TypeError('name must be a string');
    this.name = options.name ?? (fn.name || 'ufunc');
    this.constants = checkConstants(options.constants);
    this.functions = checkKernelFunctions(options.functions, targetFor(this.target), this.name);
    this.parsed = parseKernel(fn);
    this.nin = this.parsed.params.length;
    if (this.nin === 0)
      throw new CompileError(`${this.name}: a ufunc kernel needs at least one parameter`);
    if (options.signatures !== undefined) {
      if (!Array.isArray(options.signatures) || options.signatures.length === 0) {
        throw new TypeError('signatures must be a non-empty array of strings');
      }
      this.signatures = options.signatures.map(parseSignature);
      for (const s of this.signatures) {
        if (s.ins.length !== this.nin) {
          throw new TypeError(
            `signature ${formatSignature(s)} has ${s.ins.length} input(s) but the kernel takes ${this.nin}`,
          );
        }
        this.sigKernels.push(
          new CompiledKernel(fn, this.parsed, s.ins, this.constants, s.outs, this.functions),
        );
      }
      // Every signature's output count was checked against the kernel when it compiled.
      this.nout = this.signatures[0].outs.length;
    } else {
      this.signatures = null;
      // Type-check once with float64 arguments so unsupported constructs fail at construction.
      const typed = inferKernel(
        this.parsed,
        new Array(this.nin).fill('float64'),
        this.constants,
        undefined,
        this.functions,
      );
      this.nout = typed.outTypes.length;
      targetFor(this.target).checkUfuncKernel?.(typed, this.name);
    }
    for (const k of this.sigKernels) targetFor(this.target).checkUfuncKernel?.(k.typed, this.name);
  }

  /** NumPy `types`: the compiled loops (all signatures, or the dynamic ones made so far). */
  get types(): string[] {
    if (this.signatures) return this.signatures.map(formatSignature);
    return [...this.kernels.values()].map((k) =>
      formatSignature({ ins: k.inTypes, outs: k.outTypes }),
    );
  }

  /** The kernel for dynamic typing with these parameter types. */
  kernelFor(inTypes: readonly DType[], outTypes?: readonly DType[]): CompiledKernel {
    const key = outTypes ? `${inTypes.join(',')}->${outTypes.join(',')}` : inTypes.join(',');
    return this.kernels.get(
      key,
      () =>
        new CompiledKernel(this.fn, this.parsed, inTypes, this.constants, outTypes, this.functions),
    );
  }

  /**
   * Chooses the kernel for a call. Dynamic: each input keeps its dtype (weak scalars take the
   * arrays' result type); with `dtype`, every input is typed as `dtype`. With signatures: the
   * first loop every input casts to safely (same_kind when `dtype` picks the output).
   */
  resolve(ops: readonly Operand[], dtype?: DType, casting?: Casting): CompiledKernel {
    if (this.signatures) return this.resolveSignature(ops, dtype, casting);
    // `dtype` is the loop's type (NumPy: signature (dtype, …) -> dtype): inputs are read as
    // dtype and the kernel's result is cast to it before it reaches `out`.
    if (dtype !== undefined)
      return this.kernelFor(
        ops.map(() => dtype),
        new Array(this.nout).fill(dtype),
      );
    // Repeated calls with the same array dtypes (the common case in a loop) skip the lookup.
    const last = this.lastArrays;
    if (last && ops.length === last.dtypes.length) {
      let same = true;
      for (let i = 0; i < ops.length && same; i++) {
        const op = ops[i];
        same = op.kind === 'array' && dtypeOf(op.a) === last.dtypes[i];
      }
      if (same) return last.kernel;
    }
    const types = resolveWeak(ops);
    const kernel = this.kernelFor(types);
    if (ops.every((o) => o.kind === 'array')) this.lastArrays = { dtypes: types, kernel };
    return kernel;
  }

  /** The kernel of the last all-array dynamic call, by its input dtypes. */
  private lastArrays: { dtypes: readonly DType[]; kernel: CompiledKernel } | undefined;

  private resolveSignature(
    ops: readonly Operand[],
    dtype?: DType,
    casting?: Casting,
  ): CompiledKernel {
    return this.sigKernels[selectSignature(this.name, this.signatures!, ops, dtype, casting)];
  }
}

/**
 * Index of the first signature every input casts to safely (NumPy's loop search; with
 * `dtype`, the loop must produce dtype and inputs cast same_kind, weak scalars included, as
 * in np.add(np.int32([7]), 1, dtype=np.int16)). Weak JS scalars first take their NumPy 2
 * dtype (an int8 array with 2.5 gives float64). Throws a TypeError naming the input types.
 */
export function selectSignature(
  name: string,
  sigs: readonly LoopSignature[],
  ops: readonly Operand[],
  dtype: DType | undefined,
  casting?: Casting,
): number {
  const weak = resolveWeak(ops);
  const rule = casting ?? 'same_kind';
  const cast = dtype !== undefined ? (f: DType, t: DType) => canCast(f, t, rule) : canCastSafely;
  const fits = (j: number, to: DType) => {
    if (cast(weak[j], to)) return true;
    // An integer-valued JS number also fills an integer slot it fits in, whatever the arrays
    // are (NumPy: np.ldexp(float_array, 3) uses the (float64, int32) loop).
    const op = ops[j];
    const info = INFO[to];
    return (
      op.kind === 'scalar' &&
      !op.bool &&
      (info.kind === 'i' || info.kind === 'u') &&
      Number.isInteger(op.v) &&
      op.v >= info.min &&
      op.v <= info.max
    );
  };
  for (let i = 0; i < sigs.length; i++) {
    const s = sigs[i];
    if (dtype !== undefined && s.outs.some((t) => t !== dtype)) continue;
    if (ops.every((_, j) => fits(j, s.ins[j]))) return i;
  }
  const got = ops
    .map((o) => (o.kind === 'array' ? dtypeOf(o.a) : o.bool ? 'bool' : 'number'))
    .join(', ');
  throw new TypeError(
    `ufunc '${name}' has no loop for input types (${got})${dtype ? ` with dtype ${dtype}` : ''}: ` +
      `no signature in [${sigs.map(formatSignature).join('; ')}] accepts them by safe casting`,
  );
}

/** The dtype each operand takes under dynamic typing. */
export function resolveWeak(ops: readonly Operand[]): DType[] {
  const strong: DType[] = [];
  for (const o of ops) if (o.kind === 'array') strong.push(dtypeOf(o.a));
  const s = strong.length ? promoteAll(strong) : undefined;
  return ops.map((o) => (o.kind === 'array' ? dtypeOf(o.a) : weakDType(o, s)));
}

function weakDType(o: Extract<Operand, { kind: 'scalar' }>, s: DType | undefined): DType {
  if (o.bool) return 'bool';
  if (s === undefined) return 'float64';
  const info = INFO[s];
  if (info.kind === 'f') return s;
  if (!Number.isInteger(o.v)) return 'float64';
  if (s === 'bool') return o.v >= -2147483648 && o.v <= 2147483647 ? 'int32' : 'float64';
  if (o.v < info.min || o.v > info.max) {
    throw new RangeError(
      `JS integer ${o.v} is out of bounds for ${s} (NumPy 2 raises OverflowError here)`,
    );
  }
  return s;
}

/** A weak scalar materialised as a 0-d array of `dtype`. */
export function scalarArray(v: number, dtype: DType): NdArray {
  const data = allocData(dtype, 1);
  data[0] = castScalar(v, dtype);
  return wrap(data, []);
}

export function operandArray(op: Operand, dtype: DType): NdArray {
  return op.kind === 'array' ? op.a : scalarArray(op.v, dtype);
}

export { isDType, isNdarray };
