/**
 * jitclass `.call` on the `parallel` target: a compiled method touches only its own
 * record, so the records are cut into contiguous ranges and each worker instantiates the
 * class's loop factory over its range of every column (`subarray` views) and runs it.
 */

import type { TypedArray } from '../../core/dtypes.js';
import type { RecordLoopSource } from '../../plan/records.js';
import { declined } from './last-call.js';
import { type Chunk, dispatch, loopRef } from './map.js';
import { chunkRanges } from './split.js';

/** Runs `call` over records `0..n-1`; `R` receives a value-returning method's results. */
export function runRecordsParallel(
  call: RecordLoopSource,
  cols: readonly TypedArray[],
  n: number,
  values: readonly number[],
  R: TypedArray | undefined,
): boolean {
  if (n < 2) return declined('one record cannot be cut');
  const nc = cols.length;
  const ref = loopRef(
    call,
    'records',
    () =>
      `'use strict';const make=new Function('H','C',${JSON.stringify(call.source)});\n` +
      'return function(D,P,lo,hi,vals,hasR){const C=[];' +
      `for(let k=0;k<${nc};k++)C.push(D[k].subarray(P[k]+lo,P[k]+hi));const loop=make(H,C);` +
      `if(hasR)loop(hi-lo,...vals,D[${nc}].subarray(P[${nc}]+lo,P[${nc}]+hi));else loop(hi-lo,...vals);};`,
  );
  const D = R ? [...cols, R] : cols.slice();
  const P = D.map(() => 0);
  const chunks: Chunk[] = chunkRanges(n).map(([lo, hi]) => ({
    ref,
    P,
    args: [lo, hi, values, R !== undefined],
  }));
  // Every column may be written (methods assign fields): all are copied back if copied in.
  dispatch(
    D,
    D.map(() => 0),
    D.map(() => n - 1),
    0,
    D.length,
    chunks,
  );
  return true;
}
