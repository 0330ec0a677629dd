export {
  type Dispatcher,
  type JitArg,
  type JitArgs,
  type JitArray,
  type JitOptions,
  jit,
  njit,
  prange,
} from './jit.js';
export type {
  ParallelDiagnostics,
  PrangeLoopReport,
  RaceReport,
  ReductionOperator,
  ReductionReport,
} from './parallel.js';
