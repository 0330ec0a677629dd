/**
 * numbats: Numba's array compilers for TypeScript. `vectorize` turns a scalar function into
 * a broadcasting NumPy-style ufunc compiled to specialised JS loops.
 */
export {
  type AllocOptions,
  type ArrayLike,
  asarray,
  astype,
  copy,
  dtypeOf,
  empty,
  full,
  isNdarray,
  type NdArray,
  type NestedArray,
  toArray,
  toNested,
  zeros,
} from './core/array.js';
export { broadcastShapes } from './core/broadcast.js';
export {
  arange,
  type CreationOptions,
  concatenate,
  type EyeOptions,
  eye,
  type JoinOptions,
  type LinspaceOptions,
  linspace,
  ravel,
  reshape,
  stack,
} from './core/creation.js';
export {
  BoolArray,
  canCastSafely,
  canCastSameKind,
  DTYPES,
  type DType,
  promote as resultType,
  type TypedArray,
} from './core/dtypes.js';
export {
  AxisError,
  BroadcastError,
  CompileError,
  IndexError,
  TimeoutError,
  ValueError,
} from './core/errors.js';
export {
  configureHeap,
  free,
  HeapExhaustedError,
  type HeapOptions,
  type HeapStatus,
  heapStatus,
} from './core/heap.js';
export {
  type IntegersOptions,
  integers,
  type NormalOptions,
  normal,
  type RandomOptions,
  random,
  type UniformOptions,
} from './core/random.js';
export * from './jit/index.js';
export * from './jitclass/index.js';
export * from './stencil/index.js';
export {
  type GpuBackend,
  type GpuStatus,
  gpuStatus,
  setGpuBackend,
} from './targets/gpu/backend.js';
export * from './targets/parallel/index.js';
export * from './ufunc/guvectorize.js';
export * from './ufunc/index.js';
export { where } from './ufunc/where.js';
