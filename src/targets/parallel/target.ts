/**
 * The `parallel` target as the registry sees it: the `cpu` loops, split into chunks over
 * the worker pool (`./pool.ts`), for every kind. Calls can be given a `timeout`, `.async`
 * calls leave their jobs pending instead of blocking, and `inspect()` tells which path a
 * kernel's last call took.
 */
import type { MapKernel, MapPlan, MapSplit } from '../../plan/map.js';
import type { RangeCall } from '../../plan/range.js';
import { runDeferred } from './deferred.js';
import { requireNoFreeNames } from './free-names.js';
import { runGufuncOnPool } from './gufunc.js';
import { decideWorkers, parallelInspectNote } from './last-call.js';
import { runMapParallel } from './map.js';
import { checkTimeout, useWorkers, withCallTimeout } from './pool.js';
import { runRange, runRangeAsync, setRangeChunks } from './range.js';
import { runRecordsParallel } from './records.js';
import { runStencilOnPool } from './stencil.js';

export const parallelTarget = {
  name: 'parallel',
  kinds: { vectorize: true, guvectorize: true, stencil: true, jitclass: true },
  runAsync: runDeferred,
  inspectNote: parallelInspectNote,
  withTimeout: <T>(value: unknown, what: string, call: () => T): T =>
    withCallTimeout(checkTimeout(value, what), call),
  checkUfuncKernel: requireNoFreeNames,
  splitsMap: useWorkers,
  // Typed here rather than `typeof runMapParallel`, so the package's public types do not
  // reach the wasm engine's (whose WebAssembly types a consumer without the DOM lib lacks).
  runMap: (k: MapKernel, plan: MapPlan, how: MapSplit): void => runMapParallel(k, plan, how),
  sharesOutputs: useWorkers,
  workersFor: decideWorkers,
  runGufunc: runGufuncOnPool,
  runStencil: runStencilOnPool,
  runRecords: runRecordsParallel,
  runRange: (call: RangeCall): Float64Array | null => runRange(call),
  runRangeAsync: (call: RangeCall): Promise<Float64Array | null> => runRangeAsync(call),
  setRangeChunks,
} as const;
