/**
 * `jit` / `njit`: Numba's dispatcher for TypeScript. A whole function — loops over n-d
 * arrays, scalar accumulators, arrays created inside, several results — is compiled once per
 * combination of argument types (dtype, rank, layout class; number kinds) on first use, and
 * the compiled version is cached. `signatures` compile eagerly and restrict calls to them.
 */

import {
  type CalleeVersion,
  checkFunctions,
  JIT_CALLABLE,
  type KernelFunctions,
} from '../compiler/callable.js';
import { type Constants, checkConstants } from '../compiler/infer.js';
import { type ParsedKernel, parseKernel } from '../compiler/parse.js';
import {
  type ArrayLike,
  asarray,
  castScalar,
  dtypeOf,
  isNdarray,
  type NdArray,
} from '../core/array.js';
import { type DType, describe } from '../core/dtypes.js';
import { CompileError } from '../core/errors.js';
import { checkOptionKeys } from '../core/option-keys.js';
import { SpecCache } from '../core/spec-cache.js';
import type { FunctionEngine } from '../plan/function.js';
import { type CompiledFunction, compileFunction } from './emit.js';
import { inferFunction, type JitCallable, type TypedFunction } from './infer.js';
import {
  lastRunOf,
  type ParallelDiagnostics,
  type ParallelPlan,
  type PrangeLoopReport,
  planParallel,
} from './parallel.js';
import {
  formatJitSignature,
  INT64,
  isArrayType,
  type JitSignature,
  type JitType,
  layoutOf,
  parseJitSignature,
  returnName,
  sameType,
  typeName,
} from './types.js';
import { functionEngine, ON_JS } from './wasm.js';

/** Options of `jit` (Numba's `@jit` keyword arguments). */
export interface JitOptions {
  /**
   * Compile these versions eagerly, in Numba's notation (`'float64(float64[:], int32)'`,
   * `'(float64[:, ::1], int64)'`), and accept only calls that match one of them.
   */
  signatures?: readonly string[];
  /** Check every `get`/`set` index against its axis (an `IndexError` otherwise). Default false, as in Numba. */
  boundscheck?: boolean;
  /** Numbers and booleans the function reads by name, compiled in. */
  constants?: Readonly<Record<string, number | boolean>>;
  /** jit functions and vectorize ufuncs the function calls by name; compiled into the caller. */
  functions?: Readonly<Record<string, Function>>;
  /** Name used in messages and generated code (default: the function's name). */
  name?: string;
  /** Numba's `nopython`: numbats always compiles the whole function (there is no object mode). */
  nopython?: boolean;
  /** Numba's `cache`: numbats compiles in about a millisecond, so nothing is written to disk. */
  cache?: boolean;
  /**
   * Reassociation of float arithmetic is allowed: reductions may keep several accumulators.
   * Without it a serial reduction adds in exact left-to-right order.
   */
  fastmath?: boolean;
  /**
   * The outermost `prange` loop of each loop nest runs on the worker pool of the `parallel`
   * target, with reductions into locals combined in chunk order (see `diagnostics()`).
   */
  parallel?: boolean;
}

/**
 * How a jit kernel may annotate an array parameter: an ndarray that also has `ndim` and
 * can be iterated (`for (const x of a)` over a 1-d array), as it can inside a kernel.
 */
export type JitArray = NdArray & Iterable<number> & { readonly ndim: number };

/** An argument of a jit function: arrays (any array-like) where the kernel takes arrays. */
export type JitArg<P> = P extends number | boolean ? number | boolean : ArrayLike;

/** The arguments of a jit function, parameter by parameter. */
export type JitArgs<P extends readonly unknown[]> = { [K in keyof P]: JitArg<P[K]> };

/** A compiled function (Numba's `Dispatcher`): callable like the original. */
export interface Dispatcher<F extends (...args: any[]) => any = (...args: any[]) => any> {
  (...args: JitArgs<Parameters<F>>): ReturnType<F>;
  /** The compiled versions in Numba's notation, e.g. `['(float64[::1]) -> float64']`. */
  readonly signatures: string[];
  /** Generated JavaScript of one version (`'(float64[::1])'`, compiled if needed), or of all. */
  inspect(signature?: string): string;
  /** Every variable's inferred type with its line (Numba's `inspect_types`). */
  inspectTypes(signature?: string): string;
  /** The original function, uncompiled (Numba's `py_func`). */
  readonly pyFunc: F;
  /**
   * Numba's `parallel_diagnostics`: for each compiled version (or the one `signature`
   * selects, compiled if needed), every `prange` loop — whether it runs on the worker pool
   * and why, the reductions found with their operator, the writes that may race and why,
   * and how the last call ran it.
   */
  diagnostics(signature?: string): ParallelDiagnostics[];
  /**
   * The same call as a Promise. With `parallel: true` it waits for the pool without
   * blocking, which is how a browser's main thread (which may not block) runs prange loops
   * on the workers; otherwise it runs the function synchronously and resolves with its result.
   */
  async(...args: JitArgs<Parameters<F>>): Promise<ReturnType<F>>;
}

const OPTION_KEYS = new Set([
  'signatures',
  'boundscheck',
  'constants',
  'functions',
  'name',
  'nopython',
  'cache',
  'fastmath',
  'parallel',
]);

/** One compiled version. */
interface Version {
  readonly args: readonly JitType[];
  readonly typed: TypedFunction;
  readonly code: CompiledFunction;
  readonly signature: string;
  /** Converts the result to a declared return type (signatures), if any. */
  readonly convert: ((r: unknown) => unknown) | null;
  readonly par: ParallelPlan;
  /** The version on the wasm engine (arguments on the numbats heap). */
  readonly wasm: FunctionEngine;
}

class JitCore implements JitCallable {
  readonly name: string;
  readonly parsed: ParsedKernel;
  private readonly constants: Constants;
  private readonly functions: KernelFunctions;
  private readonly boundscheck: boolean;
  private readonly parallel: boolean;
  private readonly fastmath: boolean;
  /** Versions by argument key (what a call's arguments look like). */
  private readonly byKey = new SpecCache<string, Version>();
  /** Versions in compilation order. */
  private readonly versions: Version[] = [];
  private readonly declared: readonly JitSignature[] | null;
  private readonly declaredVersions: Version[] = [];
  private compiling = false;

  constructor(
    readonly fn: Function,
    options: JitOptions,
  ) {
    if (typeof fn !== 'function') throw new TypeError('jit: the first argument must be a function');
    if (options === null || typeof options !== 'object')
      throw new TypeError('jit: options must be an object');
    checkOptionKeys(options, OPTION_KEYS, 'jit');
    for (const k of ['boundscheck', 'nopython', 'cache', 'fastmath', 'parallel'] as const) {
      if (options[k] !== undefined && typeof options[k] !== 'boolean') {
        throw new TypeError(`jit: ${k} must be a boolean; got ${describe(options[k])}`);
      }
    }
    if (options.nopython === false) {
      throw new TypeError(
        'jit: nopython: false (object mode) does not exist in numbats: every jit function is compiled whole',
      );
    }
    if (options.name !== undefined && typeof options.name !== 'string')
      throw new TypeError('jit: name must be a string');
    this.name = options.name ?? (fn.name || 'jitted');
    this.boundscheck = options.boundscheck ?? false;
    this.parallel = options.parallel ?? false;
    this.fastmath = options.fastmath ?? false;
    this.constants = checkConstants(options.constants);
    this.functions = checkFunctions(options.functions);
    this.parsed = parseKernel(fn);
    if (options.signatures !== undefined) {
      if (!Array.isArray(options.signatures) || options.signatures.length === 0) {
        throw new TypeError('jit: signatures must be a non-empty array of strings');
      }
      this.declared = options.signatures.map(parseJitSignature);
      for (const s of this.declared) {
        if (s.args.length !== this.parsed.params.length) {
          throw new TypeError(
            `jit: signature (${s.args.map(typeName).join(', ')}) has ${s.args.length} argument(s) but ${this.name} takes ${this.parsed.params.length}`,
          );
        }
        this.declaredVersions.push(this.compile(s.args, s));
      }
    } else this.declared = null;
  }

  /** Compiles the version for `args` (or returns it when it exists). */
  private compile(args: readonly JitType[], declared?: JitSignature): Version {
    const found = this.versions.find((v) => v.args.every((t, i) => sameType(t, args[i])));
    if (found && !declared) return found;
    if (this.compiling) {
      throw new CompileError(
        `${this.name} calls itself: recursive jit functions are not supported`,
      );
    }
    this.compiling = true;
    try {
      const typed = inferFunction(this.parsed, args, {
        constants: this.constants,
        functions: this.functions,
        boundscheck: this.boundscheck,
      });
      const convert =
        declared?.ret !== undefined ? returnConverter(typed, declared.ret, this.name) : null;
      const par = planParallel(typed, this.parallel);
      const code = compileFunction(typed, this.name, this.parallel ? par : null, this.fastmath);
      const ret = convert ? declaredReturn(declared!.ret!) : typed.ret;
      const v: Version = {
        args: args.slice(),
        typed,
        code,
        signature: formatJitSignature(args, ret),
        convert,
        par,
        wasm: functionEngine(typed, this.parallel, this.fastmath),
      };
      if (!found) this.versions.push(v);
      this.warnRaces(v);
      return v;
    } finally {
      this.compiling = false;
    }
  }

  specialise(given: readonly JitType[]): CalleeVersion {
    // A caller's weak float (a vectorize kernel's literal) is a float64 here.
    const args = given.map((t) => (t === 'wfloat' ? 'float64' : t));
    let v: Version;
    if (this.declared) {
      const i = this.declared.findIndex((s) => s.args.every((t, k) => sameType(t, args[k])));
      if (i < 0) {
        throw new TypeError(
          `no matching definition for argument type(s) ${args.map(typeName).join(', ')} (${this.name} has ${this.signatures().join(' | ')})`,
        );
      }
      v = this.declaredVersions[i];
    } else v = this.compile(args);
    const r = v.typed.ret;
    if (r.kind !== 'one' || isArrayType(r.ty)) {
      throw new CompileError(
        `${this.name} returns ${returnName(r)}: a function called from a kernel must return one number or boolean`,
      );
    }
    return { fn: v.code.inner, params: v.args, ret: r.ty };
  }

  signatures(): string[] {
    return this.versions.map((v) => v.signature);
  }

  /** With `parallel`: how the last call ran each parallel loop, as comment lines. */
  private runNotes(v: Version): string {
    if (!this.parallel) return '';
    return v.par.loops
      .filter((l) => l.parallel)
      .map((l) => {
        const r = lastRunOf(v.code.owner, l.loop - 1);
        return `// prange loop ${l.loop} (line ${l.line}): ${r ? `last call ran ${r.path === 'workers' ? 'on the workers' : 'inline on the calling thread'} (${r.reason})` : 'not run yet (loops below the pool threshold run inline)'}\n`;
      })
      .join('');
  }

  /** Once per compiled version: a process warning (console in a browser) naming the races. */
  private warnRaces(v: Version): void {
    if (!this.parallel) return;
    const lines = v.par.loops.flatMap((l) =>
      l.races.map((r) => `prange loop ${l.loop} (line ${l.line}): ${r.why}`),
    );
    if (lines.length === 0) return;
    const note = `${this.name} ${v.signature}: a parallel loop may race, so its results are not promised:\n  ${lines.join('\n  ')}\n(see ${this.name}.diagnostics())`;
    const proc = (globalThis as { process?: { emitWarning?: (m: string, t: string) => void } })
      .process;
    if (typeof proc?.emitWarning === 'function') proc.emitWarning(note, 'NumbatsParallelRace');
    else if (typeof console !== 'undefined') console.warn(`NumbatsParallelRace: ${note}`);
  }

  diagnostics(signature?: string): ParallelDiagnostics[] {
    return this.select(signature).map((v) => {
      const loops: PrangeLoopReport[] = v.par.loops.map((l) => ({
        ...l,
        lastRun: lastRunOf(v.code.owner, l.loop - 1),
      }));
      return {
        signature: v.signature,
        parallel: this.parallel,
        fastmath: this.fastmath,
        loops,
        text: diagnosticsText(this.name, v.signature, this.parallel, this.fastmath, loops),
      };
    });
  }

  callAsync(args: unknown[]): Promise<unknown> {
    return new Promise((resolve) => resolve(this.call(args, true)));
  }

  call(args: unknown[], async = false): unknown {
    const n = this.parsed.params.length;
    if (args.length !== n) {
      throw new TypeError(`${this.name} takes ${n} argument(s), got ${args.length}`);
    }
    let key = '';
    const vals = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const a = args[i];
      if (typeof a === 'number') {
        key += Number.isSafeInteger(a) && !Object.is(a, -0) ? 'i|' : 'f|';
        vals[i] = a;
      } else if (typeof a === 'boolean') {
        key += 'b|';
        vals[i] = a ? 1 : 0;
      } else {
        const arr = toArray(a, i, this.name);
        key += `${dtypeOf(arr)}${arr.shape.length}${layoutOf(arr.shape, arr.stride)}|`;
        vals[i] = arr;
      }
    }
    const v = this.byKey.get(key, () => this.resolve(vals, args));
    if (this.declared) {
      // A declared scalar type converts the argument (Numba: int32 arguments wrap).
      for (let i = 0; i < n; i++) {
        const t = v.args[i];
        if (!isArrayType(t) && typeof vals[i] === 'number' && t !== INT64 && t !== 'float64') {
          vals[i] = castScalar(vals[i] as number, t as DType);
        } else if (t === INT64 && typeof vals[i] === 'number')
          vals[i] = Math.trunc(vals[i] as number);
      }
    }
    if (async && v.code.entryAsync) {
      const conv = v.convert;
      return v.code.entryAsync(...vals).then((r) => (conv ? conv(r) : r));
    }
    let r = v.wasm.run(vals);
    if (r === ON_JS) r = v.code.entry(...vals);
    return v.convert ? v.convert(r) : r;
  }

  /** The version for a call's (converted) arguments. */
  private resolve(vals: readonly unknown[], args: readonly unknown[]): Version {
    const types = vals.map((v, i) => (typeof args[i] === 'boolean' ? 'bool' : typeOfValue(v)));
    if (!this.declared) return this.compile(types);
    const i = this.declared.findIndex((s) => s.args.every((t, k) => accepts(t, types[k], vals[k])));
    if (i < 0) {
      throw new TypeError(
        `${this.name}: no matching definition for argument type(s) ${types.map(typeName).join(', ')}; compiled signatures: ${this.signatures().join(' | ')}`,
      );
    }
    return this.declaredVersions[i];
  }

  /** The versions a signature text selects (compiling it when the dispatcher is dynamic). */
  private select(signature?: string): Version[] {
    if (signature === undefined) return this.versions;
    const s = parseJitSignature(signature);
    const v = this.versions.find(
      (x) => x.args.length === s.args.length && x.args.every((t, i) => sameType(t, s.args[i])),
    );
    if (v) return [v];
    if (this.declared) {
      throw new TypeError(
        `${this.name}: no compiled version for (${s.args.map(typeName).join(', ')}); compiled: ${this.signatures().join(' | ')}`,
      );
    }
    if (s.args.length !== this.parsed.params.length) {
      throw new TypeError(
        `${this.name} takes ${this.parsed.params.length} argument(s), the signature gives ${s.args.length}`,
      );
    }
    return [this.compile(s.args)];
  }

  inspect(signature?: string): string {
    const vs = this.select(signature);
    if (vs.length === 0)
      return `// ${this.name}: nothing compiled yet (call it, or pass a signature to inspect)`;
    return vs
      .map(
        (v) =>
          `// ${this.name} ${v.signature}\n${this.runNotes(v)}${v.code.source}\n\n${v.wasm.describe()}`,
      )
      .join('\n\n');
  }

  inspectTypes(signature?: string): string {
    const vs = this.select(signature);
    if (vs.length === 0)
      return `${this.name}: nothing compiled yet (call it, or pass a signature to inspect)`;
    return vs.map((v) => this.typesOf(v)).join('\n\n');
  }

  private typesOf(v: Version): string {
    const t = v.typed;
    const src = this.parsed.source.split('\n');
    const byLine = new Map<number, string[]>();
    t.localNames.forEach((name, id) => {
      const line = t.localLines[id];
      if (line === 0) return;
      const list = byLine.get(line) ?? [];
      list.push(
        `${name}: ${typeName(t.localTypes[id])}${id < t.params.length ? ' (argument)' : ''}`,
      );
      byLine.set(line, list);
    });
    const width = String(src.length).length;
    const out = [`${this.name} ${v.signature}`];
    src.forEach((text, i) => {
      out.push(`${String(i + 1).padStart(width)} | ${text}`);
      for (const d of byLine.get(i + 1) ?? []) out.push(`${' '.repeat(width)} |   // ${d}`);
    });
    out.push(`returns ${returnName(t.ret)}`);
    return out.join('\n');
  }
}

/** The numbats array an argument stands for (TypedArrays and nested arrays as `asarray` converts them). */
function toArray(a: unknown, i: number, name: string): NdArray {
  if (isNdarray(a)) return a;
  if (ArrayBuffer.isView(a) || Array.isArray(a)) return asarray(a as ArrayLike);
  throw new TypeError(
    `${name}: argument ${i + 1} must be an ndarray, a TypedArray, a nested array of numbers, a number or a boolean; got ${describe(a)}`,
  );
}

/** The jit type of a (converted) argument value. */
function typeOfValue(v: unknown): JitType {
  if (typeof v === 'number')
    return Number.isSafeInteger(v) && !Object.is(v, -0) ? INT64 : 'float64';
  const a = v as NdArray;
  return { dtype: dtypeOf(a), ndim: a.shape.length, layout: layoutOf(a.shape, a.stride) };
}

/** Does a declared argument type accept an argument of type `t`? */
function accepts(declared: JitType, t: JitType, value: unknown): boolean {
  if (isArrayType(declared) || isArrayType(t)) {
    return (
      isArrayType(declared) &&
      isArrayType(t) &&
      declared.dtype === t.dtype &&
      declared.ndim === t.ndim &&
      (declared.layout === 'A' || t.layout === 'C')
    );
  }
  // Scalars: an integer-valued number goes to any numeric type, a fraction only to floats.
  if (t === INT64 || typeof value !== 'number') return true;
  return declared === 'float64' || declared === 'float32';
}

function declaredReturn(r: JitType | readonly JitType[] | null): import('./types.js').JitReturn {
  if (r === null) return { kind: 'none' };
  if (Array.isArray(r)) return { kind: 'tuple', tys: r.slice() };
  return { kind: 'one', ty: r as JitType };
}

/** Converts results to a declared return type; a declared type the function cannot give is a CompileError. */
function returnConverter(
  typed: TypedFunction,
  declared: JitType | readonly JitType[] | null,
  name: string,
): (r: unknown) => unknown {
  const got = typed.ret;
  const mismatch = (): never => {
    throw new CompileError(
      `${name} returns ${returnName(got)} but its signature declares ${returnName(declaredReturn(declared))}`,
    );
  };
  const one = (want: JitType, have: JitType): ((x: unknown) => unknown) => {
    if (isArrayType(want) || isArrayType(have)) {
      if (
        !isArrayType(want) ||
        !isArrayType(have) ||
        want.dtype !== have.dtype ||
        want.ndim !== have.ndim
      )
        mismatch();
      return (x) => x;
    }
    if (want === 'bool') return (x) => Boolean(x);
    if (want === INT64) return (x) => Math.trunc(Number(x));
    if (want === 'float64') return (x) => Number(x);
    return (x) => castScalar(Number(x), want as DType);
  };
  if (declared === null) {
    if (got.kind !== 'none') mismatch();
    return () => undefined;
  }
  if (Array.isArray(declared)) {
    if (got.kind !== 'tuple' || got.tys.length !== declared.length) return mismatch();
    const fs = declared.map((d, i) => one(d, got.tys[i]));
    return (r) => (r as unknown[]).map((x, i) => fs[i](x));
  }
  if (got.kind !== 'one') return mismatch();
  return one(declared as JitType, got.ty);
}

/**
 * Compiles a whole function, Numba's `@jit`: loops over n-d arrays, scalar locals, arrays
 * created inside with `zeros`/`empty`/`full`, and results that are numbers, booleans,
 * ndarrays or tuples (`return [a, b]`). One version per argument types, compiled on first
 * use; `signatures` compile eagerly.
 *
 * @example
 * const trace = jit((a: NdArray) => {
 *   let s = 0;
 *   for (let i = 0; i < a.shape[0]; i++) s += Math.tanh(a.get(i, i));
 *   return s;
 * });
 */
export function jit<F extends (...args: any[]) => any>(
  fn: F,
  options: JitOptions = {},
): Dispatcher<F> {
  const core = new JitCore(fn, options);
  const d = ((...args: unknown[]) => core.call(args)) as unknown as Dispatcher<F>;
  Object.defineProperties(d, {
    name: { value: core.name },
    signatures: { get: () => core.signatures(), enumerable: true },
    inspect: { value: (sig?: string) => core.inspect(sig) },
    inspectTypes: { value: (sig?: string) => core.inspectTypes(sig) },
    pyFunc: { value: fn },
    diagnostics: { value: (sig?: string) => core.diagnostics(sig) },
    async: { value: (...args: unknown[]) => core.callAsync(args) },
    [JIT_CALLABLE]: { value: core },
  });
  return d;
}

/** Numba's `parallel_diagnostics` as text. */
function diagnosticsText(
  name: string,
  signature: string,
  parallel: boolean,
  fastmath: boolean,
  loops: readonly PrangeLoopReport[],
): string {
  const out = [
    `Parallel diagnostics for ${name} ${signature} (parallel: ${parallel}, fastmath: ${fastmath})`,
  ];
  if (loops.length === 0) out.push('  no prange loops');
  for (const l of loops) {
    out.push(
      `  loop #${l.loop} (line ${l.line}, prange over '${l.variable}'): ${l.parallel ? 'parallel' : 'serial'} — ${l.why}`,
    );
    for (const r of l.reductions) out.push(`    reduction: ${r.variable} (${r.operator})`);
    if (l.inputs.length) out.push(`    passed in: ${l.inputs.join(', ')}`);
    for (const r of l.races) out.push(`    may race: ${r.why}`);
    if (l.lastRun) out.push(`    last call: ${l.lastRun.path} (${l.lastRun.reason})`);
  }
  return out.join('\n');
}

/** Numba's `@njit`: the same as `jit` (numbats always compiles the whole function). */
export const njit = jit;

/**
 * Numba's `prange`: inside a jit function, `for (const i of prange(n))` is a counted loop
 * (with `parallel: true`, split over the worker pool). Called from plain JS it is an
 * ordinary range, so the same function runs uncompiled.
 */
export function prange(start: number, stop?: number, step = 1): Iterable<number> {
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new RangeError('prange() step must not be zero');
  return {
    *[Symbol.iterator]() {
      if (step > 0) for (let i = lo; i < hi; i += step) yield i;
      else for (let i = lo; i > hi; i += step) yield i;
    },
  };
}
