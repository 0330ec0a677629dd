/**
 * Compiles the `cpu` target's elementwise loops: the loop functions a kind built as loop IR
 * (`ufunc/loop-nest.ts`), printed by `lower-loops.ts` and made with `new Function`, one per
 * (kernel, operand dtypes, number of dims, layout class), cached by the caller.
 */

import { HELPERS } from '../../compiler/emit-js.js';
import type { LoopFunction } from '../../compiler/loops.js';
import { compileGenerated } from '../../core/codegen.js';
import type { MapLoop } from '../../plan/map.js';
import { printLoopFunction } from './lower-loops.js';

// The spec is a plan type (kinds build it, targets read it); re-exported for the kinds.
export type { LoopKernel, LoopSpec } from '../../plan/loop-spec.js';

/** A compiled elementwise loop (the plan's `MapLoop`). */
export type LoopFn = MapLoop;

/** The loop functions as source, one per line; the last is the entry point. */
export function loopFunctionsSource(fns: readonly LoopFunction[]): string {
  return fns.map(printLoopFunction).join('\n');
}

/** Compiles loop functions. `fallback` is the user's function, for kernels that call it per element. */
export function buildLoop(fns: readonly LoopFunction[], fallback?: Function): LoopFn {
  const entry = fns[fns.length - 1].name;
  const factory = compileGenerated(
    'H',
    'F',
    `'use strict';${loopFunctionsSource(fns)}\nreturn ${entry};`,
  );
  return factory(HELPERS, fallback) as LoopFn;
}
