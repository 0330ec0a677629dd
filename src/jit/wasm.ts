/**
 * The `jit` kind's side of the engine choice: each compiled version's plan
 * (`plan/function.ts`), handed to the `cpu` target's `functionEngine`, which runs a call on
 * the wasm engine when its arrays live on the numbats heap (`targets/cpu/function.ts`).
 */
import type { FunctionEngine } from '../plan/function.js';
import { CPU } from '../targets/registry.js';
import type { TypedFunction } from './infer.js';

export { ON_JS } from '../plan/function.js';

/** The engine of one compiled version (`parallel`, `fastmath`: the version's options). */
export function functionEngine(
  typed: TypedFunction,
  parallel: boolean,
  fastmath: boolean,
): FunctionEngine {
  return CPU.functionEngine!({
    params: typed.params,
    localTypes: typed.localTypes,
    body: typed.body,
    ret: typed.ret,
    parallel,
    fastmath,
  });
}
