/**
 * The `gpu` target as the registry sees it: kernels lowered to GLSL through gpu.js, each
 * call run whole (pack, launch, unpack). A jitclass method works on records of several
 * columns, which this lowering has no form for.
 */
import type { TypedKernel } from '../../compiler/ir.js';
import { checkGpuGufunc, runGpuGufunc } from './gufunc.js';
import { GpuEmitter } from './lower.js';
import { runGpuMap } from './map.js';
import { checkGpuStencil, runGpuStencil } from './stencil.js';

export const gpuTarget = {
  name: 'gpu',
  kinds: {
    vectorize: true,
    guvectorize: true,
    stencil: true,
    jitclass:
      "jitclass runs on the 'cpu' and 'parallel' targets; the 'gpu' target has no record layout",
  },
  // gpu.js launches are synchronous: the call runs on the calling thread, after the current one.
  runAsync: <T>(call: () => T): Promise<T> => Promise.resolve().then(call),
  checkUfuncKernel: (typed: TypedKernel, name: string): void => GpuEmitter.check(typed, name),
  checkGufuncKernel: checkGpuGufunc,
  checkStencilKernel: checkGpuStencil,
  runMapCall: runGpuMap,
  runGufuncCall: runGpuGufunc,
  runStencilCall: runGpuStencil,
} as const;
