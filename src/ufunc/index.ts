export type { AtIndices } from './at.js';
export type { UfuncResult } from './call.js';
export type { Identity, Target, VectorizeOptions } from './dispatcher.js';
export type { AxisOptions, CallOptions, OuterOptions, ReduceOptions } from './options.js';
export {
  type ScalarKernel,
  type Ufunc,
  type UfuncInputs,
  type UfuncReturn,
  vectorize,
} from './vectorize.js';
