/**
 * The targets, registered once. Each target folder exports a plain descriptor (its name and,
 * per kernel kind, `true` or the reason it cannot run that kind); this file lists them, and
 * the `target` option of every kind is checked here, with one message. Adding a target is
 * its folder plus one entry in `TARGETS`.
 */
import type { TypedKernel } from '../compiler/ir.js';
import type { NdArray } from '../core/array.js';
import { describe, type TypedArray } from '../core/dtypes.js';
import type { FunctionEngine, WholeFunctionPlan } from '../plan/function.js';
import type { GufuncLayout, GufuncLoopCall, ShapePlan, TypedGufunc } from '../plan/gufunc.js';
import type { MapCallOperands, MapKernel, MapPlan, MapSplit } from '../plan/map.js';
import type { RangeCall } from '../plan/range.js';
import type { RecordLoopSource } from '../plan/records.js';
import type { StencilCallPlan, StencilLoopCall } from '../plan/stencil.js';
import { cpuTarget } from './cpu/target.js';
import { gpuTarget } from './gpu/target.js';
import { parallelTarget } from './parallel/target.js';

/** The kernel kinds a target can run (jit has no `target` option yet). */
export type KernelKind = 'vectorize' | 'guvectorize' | 'stencil' | 'jitclass';

export interface Target {
  readonly name: string;
  /** Per kind: `true`, or the reason the kind cannot run here (the error message). */
  readonly kinds: Readonly<Record<KernelKind, true | string>>;
  /** `.async`: runs `call` so its work may finish later; resolves with its result. */
  runAsync<T>(call: () => T): Promise<T>;
  /** A first line for `inspect()` on how `kernel`'s last call ran (targets that track it). */
  inspectNote?(kernel: object): string;
  /**
   * Runs `call` under the per-call `timeout` option `value` (checked here, `what` names it
   * in messages). Absent: the target's calls cannot be stopped, so it has no such option.
   */
  withTimeout?<T>(value: unknown, what: string, call: () => T): T;
  /** guvectorize's `boundscheck` option runs here (kernels with index checks). */
  readonly boundscheck?: true;
  /**
   * Kernels may call jit functions and ufuncs (the `functions` option): their compiled
   * versions live in this thread, so only a target running loops here can call them.
   */
  readonly callsFunctions?: true;
  /**
   * Elementwise calls, reductions and scans: whether a call over `elements` elements is
   * planned for chunks (`runMap` then may split it). Absent: never.
   */
  splitsMap?(elements: number): boolean;
  /**
   * Runs a planned elementwise call, choosing the engine (wasm or the JS loop) and, for a
   * target with workers, whether to split it. Absent: as on `cpu` (the calling thread).
   */
  runMap?(k: MapKernel, plan: MapPlan, how: MapSplit): void;
  /**
   * Runs a planned stencil call, choosing the engine (wasm interior or the JS loop) and, for
   * a target with workers, the row bands. Absent: as on `cpu`.
   */
  runStencil?(call: StencilLoopCall): void;
  /**
   * Runs a `jit` `prange` loop over workers: the chunks' reduction partials, or null when
   * it should run inline (`.async` calls use `runRangeAsync`). Only targets with workers.
   */
  runRange?(call: RangeCall): Float64Array | null;
  runRangeAsync?(call: RangeCall): Promise<Float64Array | null>;
  /** Test hook: cut every parallel loop into `n` chunks (null: the target's own count). */
  setRangeChunks?(n: number | null): void;
  /**
   * The engine of one compiled `jit` version: it runs calls itself when it can (the `cpu`
   * target: on wasm, arrays on the heap) and otherwise leaves them to the JS path.
   */
  functionEngine?(plan: WholeFunctionPlan): FunctionEngine;
  /**
   * `inspect()`'s engine lines (the `cpu` target, whose engines every loop-running target
   * shares): the path of a kernel's last large call, and the wasm loops built so far.
   */
  describeMapEngine?(typed: TypedKernel): string;
  describeStencilEngine?(
    name: string,
    typings: readonly { readonly typed: TypedKernel; readonly wrapped: TypedKernel }[],
  ): string;
  describeGufuncEngine?(typed: TypedKernel): string;
  /** Runs `f` with only the JS loops (`inspect()` showing a kind's whole loop). */
  withJsLoopsOnly?<T>(f: () => T): T;
  /** Runs a planned gufunc call: engine (wasm or the JS loop) and split. Absent: as on `cpu`. */
  runGufunc?(call: GufuncLoopCall): void;

  // Compile-time checks: a kernel this target cannot run fails at construction.
  checkUfuncKernel?(typed: TypedKernel, name: string): void;
  checkGufuncKernel?(t: TypedGufunc, layout: GufuncLayout, name: string): void;
  checkStencilKernel?(typed: TypedKernel, name: string): void;

  // Targets that run whole calls themselves instead of the `cpu` loops (`gpu`).
  runMapCall?(typed: TypedKernel, call: MapCallOperands): void;
  runGufuncCall?(
    t: TypedGufunc,
    layout: GufuncLayout,
    plan: ShapePlan,
    all: readonly NdArray[],
    outGiven: boolean,
  ): void;
  runStencilCall?(call: StencilCallPlan): void;

  // Targets that run the `cpu` loops in chunks on workers (`parallel`).
  /** Whether outputs of a call over `elements` elements should be allocated shared. */
  sharesOutputs?(elements: number): boolean;
  /** Whether this call of `kernel` goes to the workers (the decision is recorded). */
  workersFor?(kernel: object, name: string, elements: number): boolean;
  /** Each returns false (nothing done) when the call cannot be split; it then runs inline. */
  runRecords?(
    call: RecordLoopSource,
    cols: readonly TypedArray[],
    n: number,
    values: readonly number[],
    R: TypedArray | undefined,
  ): boolean;
}

/** Every target, in the order error messages list them. */
const TARGETS = [cpuTarget, parallelTarget, gpuTarget] as const satisfies readonly Target[];

/** A target's name: the values of the `target` option. */
export type TargetName = (typeof TARGETS)[number]['name'];

/** The targets running `kind`. */
export type TargetOf<K extends KernelKind> = Extract<
  (typeof TARGETS)[number],
  { kinds: Record<K, true> }
>['name'];

export const TARGET_NAMES: readonly TargetName[] = TARGETS.map((t) => t.name);

const BY_NAME = new Map<string, Target>(TARGETS.map((t) => [t.name, t]));

/** The registered target of that name (names come checked from `checkTarget`). */
export function targetFor(name: TargetName): Target {
  return BY_NAME.get(name)!;
}

/** The reference target: where hooks a target leaves out run. */
export const CPU: Target = cpuTarget;

/** `text` with the target's `inspect()` note on `kernel` above it, if it has one. */
export function withInspectNote(name: TargetName, kernel: object, text: string): string {
  const note = targetFor(name).inspectNote?.(kernel);
  return note === undefined ? text : `${note}\n${text}`;
}

function listNames(names: readonly string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  return quoted.length < 2
    ? quoted.join('')
    : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/**
 * Checks a `target` option for `kind` (`undefined` means 'cpu'): a name that is no target
 * gets one message for every kind, a target that cannot run the kind gets its own reason.
 */
export function checkTarget<K extends KernelKind>(value: unknown, kind: K): TargetOf<K> {
  const name = value ?? 'cpu';
  const target = typeof name === 'string' ? BY_NAME.get(name) : undefined;
  if (!target) {
    throw new TypeError(`target must be ${listNames(TARGET_NAMES)}; got ${describe(name)}`);
  }
  const support = target.kinds[kind];
  if (support !== true) throw new TypeError(support);
  return target.name as TargetOf<K>;
}
