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
