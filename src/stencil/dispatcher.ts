/**
 * The state behind one stencil: the parsed kernel, what its accessors read (ndim and
 * neighborhood, found once at construction), its typings per parameter dtypes, and the
 * loops compiled so far.
 */
import { checkKernelFunctions, type KernelFunctions } from '../compiler/callable.js';
import { type Constants, checkConstants, inferKernel } from '../compiler/infer.js';
import type { Ty, TypedKernel } from '../compiler/ir.js';
import { type ParsedKernel, parseKernel } from '../compiler/parse.js';
import type { DType } from '../core/dtypes.js';
import { CompileError } from '../core/errors.js';
import { SpecCache } from '../core/spec-cache.js';
import type { StencilLoopSource } from '../plan/stencil.js';
import { type TargetOf, targetFor } from '../targets/registry.js';
import { accessorParams, type RelNode, relExtension, relNodes } from './accessors.js';
import { buildStencilLoop, type LoopSpec, type StencilLoop } from './codegen.js';
import { deferIntegerWraps } from './defer-wraps.js';
import { checkStencilOptions } from './options.js';
import type { Boundary, Extent } from './types.js';

/** The kernel typed for one combination of parameter dtypes. */
export interface Typing {
  /** The typed kernel the JS loops run (integer sums wrap once, at the end of a chain). */
  readonly typed: TypedKernel;
  /** The same kernel with a wrap after every integer operation (what the wasm loops lower). */
  readonly wrapped: TypedKernel;
  readonly sites: readonly RelNode[];
}

interface CompiledLoop {
  readonly fn: StencilLoop;
  readonly source: string;
  readonly label: string;
}

export class StencilCore implements StencilLoopSource {
  readonly parsed: ParsedKernel;
  readonly name: string;
  /** Parameters read through accessors (they take arrays); the others take numbers. */
  readonly accessors: ReadonlySet<number>;
  readonly nparams: number;
  /** Axes the kernel indexes (null when it uses no accessor). */
  readonly ndim: number | null;
  /** Declared or inferred `[lo, hi]` per axis (null with ndim). */
  readonly neighborhood: readonly Extent[] | null;
  private readonly declared: readonly Extent[] | null;
  readonly boundary: Boundary | readonly Boundary[];
  readonly cval: number;
  readonly dtype: DType | null;
  readonly target: TargetOf<'stencil'>;
  private readonly constants: Constants;
  private readonly functions: KernelFunctions;
  private readonly typings = new SpecCache<string, Typing>();
  private readonly loops = new SpecCache<string, CompiledLoop>();

  constructor(fn: Function, options: unknown) {
    if (typeof fn !== 'function') throw new TypeError('stencil: the kernel must be a function');
    const o = checkStencilOptions(options);
    this.name = o.name ?? (fn.name || 'stencil');
    this.boundary = o.boundary;
    this.cval = o.cval;
    this.dtype = o.dtype;
    this.target = o.target;
    this.declared = o.neighborhood;
    this.constants = checkConstants(o.constants);
    this.functions = checkKernelFunctions(o.functions, targetFor(this.target), this.name);
    this.parsed = parseKernel(fn);
    this.nparams = this.parsed.params.length;
    this.accessors = accessorParams(this.parsed);
    // Type once with float64 everywhere: compile errors surface now, and the accessor
    // reads (which do not depend on dtypes) give the ndim and the neighborhood.
    const { sites, typed } = this.typing(new Array<DType>(this.nparams).fill('float64'));
    targetFor(this.target).checkStencilKernel?.(typed, this.name);
    let ndim: number | null = this.declared ? this.declared.length : null;
    if (ndim === null && sites.length > 0) ndim = sites[0].data.offsets.length;
    this.ndim = ndim;
    this.neighborhood = this.declared ?? (ndim === null ? null : inferNeighborhood(sites, ndim));
    if (Array.isArray(this.boundary) && ndim !== null && this.boundary.length !== ndim) {
      throw new TypeError(
        `${this.name}: boundary gives ${this.boundary.length} mode(s) but the kernel indexes ${ndim} axes`,
      );
    }
  }

  /** The mode of each of `nd` axes (a per-axis list must match the inputs' ndim). */
  modesFor(nd: number): Boundary[] {
    const b = this.boundary;
    if (typeof b === 'string') return new Array<Boundary>(nd).fill(b);
    if (b.length !== nd) {
      throw new TypeError(
        `${this.name}: boundary gives ${b.length} mode(s) but the inputs have ${nd} axes`,
      );
    }
    return b.slice();
  }

  /** `[lo, hi]` per axis for inputs of `nd` dims ([0, 0] everywhere when nothing is read). */
  extentsFor(nd: number): Extent[] {
    return this.neighborhood
      ? this.neighborhood.slice()
      : Array.from({ length: nd }, () => [0, 0] as const);
  }

  /**
   * The kernel typed with these parameter types (cached): dtypes for arrays, weak literal
   * types (`wint`/`wfloat`) for numbers.
   */
  typing(paramTypes: readonly Ty[]): Typing {
    const key = paramTypes.join(',');
    return this.typings.get(key, () => {
      const ext = relExtension(this.accessors, paramTypes, this.declared);
      // inferKernel's parameter types are declared as dtypes, but its walker types locals
      // with any Ty, weak ones included, and the emitter leaves weak parameters unconverted:
      // a weak parameter is a literal whose value arrives at run time.
      const typed = inferKernel(
        this.parsed,
        paramTypes as readonly DType[],
        this.constants,
        ext,
        this.functions,
      );
      if (typed.outTypes.length !== 1) {
        throw new CompileError(
          `${this.name}: a stencil kernel returns one value, not ${typed.outTypes.length}`,
        );
      }
      if (typed.freeNames.length > 0) {
        throw new CompileError(
          `${this.name}: the kernel reads ${typed.freeNames.map((n) => `'${n}'`).join(', ')} from the enclosing scope; ` +
            'pass such values as extra arguments (they arrive as numbers) or as `constants: { name: value }`',
          undefined,
          [...typed.freeNames],
        );
      }
      const fast = deferIntegerWraps(typed);
      return { typed: fast, wrapped: typed, sites: relNodes(fast.body) };
    });
  }

  /** The loop for a specialisation key, generated on first use. */
  loop(key: string, spec: () => LoopSpec): StencilLoop {
    return this.loops.get(key, () => {
      const s = spec();
      const { fn, source } = buildStencilLoop(s);
      return { fn, source, label: describeSpec(s) };
    }).fn;
  }

  /** Body source of a compiled loop (for the parallel target's workers). */
  loopSource(key: string): string {
    return this.loops.peek(key)!.source;
  }

  /** The kernel's typings so far (the wasm engine's loops and paths are kept per typing). */
  typingsSoFar(): Typing[] {
    return [...this.typings.values()];
  }

  /** Sources of the loops compiled so far. */
  sources(): string[] {
    return [...this.loops.values()].map((l) => `// ${l.label}\n${l.source}`);
  }
}

/** `[min, max]` of the constant offsets per axis (0 on an axis only read through computed offsets). */
function inferNeighborhood(sites: readonly RelNode[], nd: number): Extent[] {
  const lo = new Array<number>(nd).fill(Number.POSITIVE_INFINITY);
  const hi = new Array<number>(nd).fill(Number.NEGATIVE_INFINITY);
  for (const s of sites) {
    s.data.offsets.forEach((v, a) => {
      if (v === null) return;
      if (v < lo[a]) lo[a] = v;
      if (v > hi[a]) hi[a] = v;
    });
  }
  return lo.map((l, a) => (l > hi[a] ? ([0, 0] as const) : ([l, hi[a]] as const)));
}

function describeSpec(s: LoopSpec): string {
  const ins = s.typed.paramTypes.join(', ');
  const part = s.borderOnly ? '; border bands only (the interior runs on wasm)' : '';
  return `${s.name}(${ins}) -> ${s.outDtype}; ${s.nd}-d, boundary [${s.modes.join(', ')}] per axis, loop levels over axes [${s.perm.join(', ')}] (outermost first)${part}`;
}
