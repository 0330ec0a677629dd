/**
 * The state behind one gufunc: options, layout, the kernel's form (outputs as view
 * parameters, or returned), and its typed kernels (eager per signature, or one per
 * combination of input types under dynamic typing) with their generated loops.
 */
import { checkKernelFunctions } from '../../compiler/callable.js';
import { checkConstants } from '../../compiler/infer.js';
import { parseKernel } from '../../compiler/parse.js';
import type { Operand } from '../../core/call-args.js';
import { type DType, describe } from '../../core/dtypes.js';
import { snapshotOptions } from '../../core/guard.js';
import { checkOptionKeys } from '../../core/option-keys.js';
import { SpecCache } from '../../core/spec-cache.js';
import type { GufuncLayout, TypedGufunc } from '../../plan/gufunc.js';
import { checkTarget, targetFor } from '../../targets/registry.js';
import { resolveWeak, selectSignature, type Target } from '../dispatcher.js';
import { formatSignature, type LoopSignature } from '../signatures.js';
import { type GufuncForm, typeGufunc } from './compile.js';
import { parseLayout } from './layout.js';
import { buildGufuncLoop, type GufuncLoopFn, type GufuncLoopSpec } from './loops.js';
import { parseGufuncSignature } from './signature.js';

/** Options of `guvectorize`. */
export interface GuvectorizeOptions {
  /**
   * Loops compiled eagerly, in Numba's form (`'void(float64[:], float64[:], float64[:])'`,
   * `float64[:,:]`, `float64` for a `()` operand) or NumPy's (`'float64,float64->float64'`).
   * A call uses the first one every input casts to safely: list narrow types first.
   */
  signatures?: string | readonly string[];
  /** Where the loops run (default 'cpu'; 'parallel' splits the loop dims over workers). */
  target?: Target;
  /** Name used in error messages and `inspect` (default: the function's name or 'gufunc'). */
  name?: string;
  /** Values of free variables the kernel reads (numbers or booleans), compiled in as constants. */
  constants?: Readonly<Record<string, number | boolean>>;
  /**
   * Check every view index against the core shape (Numba's `boundscheck`): an index
   * outside it is an IndexError naming the index, axis, view and shape instead of a read
   * of a neighbouring row or NaN. Off by default (it costs a call per access); `cpu` target.
   */
  boundscheck?: boolean;
  /**
   * jit functions and vectorize ufuncs the kernel calls by name (on numbers), compiled into
   * its loop (no temporary arrays). `cpu` target only.
   */
  functions?: Readonly<Record<string, Function>>;
}

const OPTION_KEYS = new Set([
  'signatures',
  'target',
  'name',
  'constants',
  'boundscheck',
  'functions',
]);

/** Loops with literal core sizes a kernel may make before it sticks to generic ones. */
const MAX_LITERAL_LOOPS = 8;

/** A typed kernel and the loops generated for it so far. */
export class CompiledGufunc {
  private readonly loops = new SpecCache<string, GufuncLoopFn>();
  private literalLoops = 0;
  constructor(
    readonly t: TypedGufunc,
    /** View indices are checked (the JS loops only: the wasm engine is skipped). */
    readonly boundscheck = false,
  ) {}

  /** May a call get a loop specialised for its literal sizes `key` (bounded, so varied shapes stay cheap)? */
  literalOk(key: string): boolean {
    return this.loops.has(key) || this.literalLoops < MAX_LITERAL_LOOPS;
  }

  loop(key: string, spec: () => GufuncLoopSpec): GufuncLoopFn {
    return this.loops.get(key, () => {
      const sp = spec();
      if (sp.literal) this.literalLoops++;
      return buildGufuncLoop(this.t, sp, this.boundscheck);
    });
  }
}

export class GufuncCore {
  readonly form: GufuncForm;
  readonly name: string;
  readonly layout: GufuncLayout;
  readonly signatures: readonly LoopSignature[] | null;
  /** Where the loops run. */
  readonly target: Target;
  /** Whether view indices are checked (the `boundscheck` option). */
  readonly boundscheck: boolean;
  private readonly sigKernels: CompiledGufunc[] = [];
  private readonly kernels = new SpecCache<string, CompiledGufunc>();
  private checked?: [string, CompiledGufunc];

  constructor(fn: unknown, layoutArg: unknown, options: GuvectorizeOptions = {}) {
    if (typeof fn !== 'function')
      throw new TypeError('guvectorize: the first argument must be a function');
    if (options === null || typeof options !== 'object') {
      throw new TypeError('guvectorize: options must be an object');
    }
    // Each option is read once, from a copy: a getter cannot pass a check and then change.
    options = snapshotOptions(options, 'guvectorize') as GuvectorizeOptions;
    checkOptionKeys(options, OPTION_KEYS, 'guvectorize');
    this.target = checkTarget(options.target, 'guvectorize');
    if (options.name !== undefined && typeof options.name !== 'string') {
      throw new TypeError('name must be a string');
    }
    this.name = options.name ?? (fn.name || 'gufunc');
    this.layout = parseLayout(layoutArg);
    if (options.boundscheck !== undefined && typeof options.boundscheck !== 'boolean') {
      throw new TypeError(`boundscheck must be a boolean; got ${describe(options.boundscheck)}`);
    }
    this.boundscheck = options.boundscheck === true;
    if (this.boundscheck && !targetFor(this.target).boundscheck) {
      throw new TypeError(
        `boundscheck runs on the 'cpu' target only; debug the kernel there, then switch to target: '${this.target}'`,
      );
    }
    const { nin, nout, operands } = this.layout;
    const parsed = parseKernel(fn);
    const np = parsed.params.length;
    const scalarOuts = operands.slice(nin).every((o) => o.length === 0);
    if (np !== nin + nout && !(np === nin && scalarOuts)) {
      throw new TypeError(
        `${this.name}: the kernel takes ${np} parameter(s) but layout '${this.layout.source}' has ${nin} input(s) and ${nout} output(s): ` +
          `give it ${nin + nout} (the inputs, then the output views)${scalarOuts ? ` or ${nin} (and return the outputs)` : ''}`,
      );
    }
    this.form = {
      name: this.name,
      parsed,
      layout: this.layout,
      constants: checkConstants(options.constants),
      functions: checkKernelFunctions(options.functions, targetFor(this.target), this.name),
      returns: np !== nin + nout,
    };
    if (options.signatures !== undefined) {
      const list =
        typeof options.signatures === 'string' ? [options.signatures] : options.signatures;
      if (!Array.isArray(list) || list.length === 0) {
        throw new TypeError('signatures must be a string or a non-empty array of strings');
      }
      this.signatures = list.map((s) => parseGufuncSignature(s, this.layout));
      for (const s of this.signatures) {
        this.sigKernels.push(
          new CompiledGufunc(typeGufunc(this.form, s.ins, s.outs), this.boundscheck),
        );
      }
      for (const k of this.sigKernels)
        targetFor(this.target).checkGufuncKernel?.(k.t, this.layout, this.name);
    } else {
      this.signatures = null;
      // Type-check once with float64 inputs so unsupported constructs fail at construction;
      // the result serves a first float64 call (`types` lists it only from then on).
      const f64: DType[] = new Array(nin).fill('float64');
      this.checked = [
        kernelKey(f64),
        new CompiledGufunc(typeGufunc(this.form, f64), this.boundscheck),
      ];
      targetFor(this.target).checkGufuncKernel?.(this.checked[1].t, this.layout, this.name);
    }
  }

  /** NumPy `types`: the compiled loops (every signature, or the dynamic ones so far). */
  get types(): string[] {
    const ks = this.signatures ? this.sigKernels : [...this.kernels.values()];
    return ks.map((k) => formatSignature({ ins: k.t.inTypes, outs: k.t.outTypes }));
  }

  /** The dynamic kernel for these input types (output types fixed, or inferred). */
  kernelFor(ins: readonly DType[], outs?: readonly DType[]): CompiledGufunc {
    const key = kernelKey(ins, outs);
    return this.kernels.get(key, () => {
      const k =
        this.checked?.[0] === key
          ? this.checked[1]
          : new CompiledGufunc(typeGufunc(this.form, ins, outs), this.boundscheck);
      this.checked = undefined;
      return k;
    });
  }

  /**
   * The kernel for a call. Dynamic: inputs keep their dtypes (weak scalars take the arrays'
   * result type); with `dtype`, inputs and outputs are all `dtype`. With signatures: the
   * first loop every input casts to safely (same_kind when `dtype` picks the outputs).
   */
  resolve(ops: readonly Operand[], dtype?: DType): CompiledGufunc {
    if (this.signatures) return this.resolveSignature(ops, dtype);
    if (dtype !== undefined) {
      return this.kernelFor(
        ops.map(() => dtype),
        this.layout.operands.slice(this.layout.nin).map(() => dtype),
      );
    }
    return this.kernelFor(resolveWeak(ops));
  }

  private resolveSignature(ops: readonly Operand[], dtype?: DType): CompiledGufunc {
    return this.sigKernels[selectSignature(this.name, this.signatures!, ops, dtype)];
  }
}

function kernelKey(ins: readonly DType[], outs?: readonly DType[]): string {
  return `${ins.join(',')}->${outs ? outs.join(',') : '*'}`;
}
