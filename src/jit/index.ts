export {
  type Dispatcher,
  type JitArg,
  type JitArgs,
  type JitOptions,
  jit,
  njit,
  prange,
} from './jit.js';
