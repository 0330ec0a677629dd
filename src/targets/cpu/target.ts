/**
 * The `cpu` target as the registry sees it: the reference target, running every kind's
 * loops on the calling thread. Kinds build their loop nests as loop IR
 * (`compiler/loops.ts`); `./lower-loops.ts` prints them as JS, `./loops.ts` compiles the
 * elementwise ones, and `./map.ts` chooses the engine of a planned elementwise call.
 */

import type { TypedKernel } from '../../compiler/ir.js';
import type { FunctionEngine, WholeFunctionPlan } from '../../plan/function.js';
import type { MapKernel, MapPlan } from '../../plan/map.js';
import { WasmFunctionEngine } from './function.js';
import { runGufuncInline } from './gufunc.js';
import {
  describeGufuncEngine,
  describeMapEngine,
  describeStencilEngine,
  withJsLoopsOnly,
} from './inspect.js';
import { runMapInline } from './map.js';
import { runStencilInline } from './stencil.js';

export const cpuTarget = {
  name: 'cpu',
  kinds: { vectorize: true, guvectorize: true, stencil: true, jitclass: true },
  // The call runs on the calling thread, after the current one.
  runAsync: <T>(call: () => T): Promise<T> => Promise.resolve().then(call),
  boundscheck: true,
  callsFunctions: true,
  runMap: (k: MapKernel, plan: MapPlan): void => runMapInline(k, plan),
  runStencil: runStencilInline,
  runGufunc: runGufuncInline,
  functionEngine: (plan: WholeFunctionPlan): FunctionEngine => new WasmFunctionEngine(plan),
  describeMapEngine: (typed: TypedKernel): string => describeMapEngine(typed),
  describeStencilEngine: (
    name: string,
    typings: readonly { readonly typed: TypedKernel; readonly wrapped: TypedKernel }[],
  ): string => describeStencilEngine(name, typings),
  describeGufuncEngine: (typed: TypedKernel): string => describeGufuncEngine(typed),
  withJsLoopsOnly: <T>(f: () => T): T => withJsLoopsOnly(f),
} as const;
