/**
 * A whole function (`jit`) as the wasm engine lowers it: the typed IR of one compiled
 * version, with Numba's scalar typing already applied (integers are the IR's `wint`, held
 * exactly in a double), and the options its lowering depends on. The `jit` kind produces it
 * from its `TypedFunction`; `targets/wasm/function.ts` lowers it. Nothing here names a kind.
 */
import type { ArrayType, Stmt, Ty } from '../compiler/ir.js';
import type { TypedArray } from '../core/dtypes.js';

/** The type of a value of a whole function: a scalar or an array. */
export type FunctionValueType = Ty | ArrayType;

/** What a whole function returns: nothing, one value, or a tuple. */
export type FunctionReturn =
  | { readonly kind: 'none' }
  | { readonly kind: 'one'; readonly ty: FunctionValueType }
  | { readonly kind: 'tuple'; readonly tys: readonly FunctionValueType[] };

/** One typed version of a whole function, for a target to lower. */
export interface WholeFunctionPlan {
  /** Parameter types (parameters are locals 0..n-1). */
  readonly params: readonly FunctionValueType[];
  /** Type of every local, by id. */
  readonly localTypes: readonly FunctionValueType[];
  readonly body: readonly Stmt[];
  readonly ret: FunctionReturn;
  /** `prange` loops run on the worker pool (`parallel: true`): the JS path splits them. */
  readonly parallel: boolean;
  /** `fastmath`: the JS path may reassociate reductions (several accumulators). */
  readonly fastmath: boolean;
}

/** How an array argument reaches a whole function on the heap: its parts, in elements. */
export interface HeapArrayArg {
  /**
   * The data the function sees (a C-contiguous argument's rebased to its first element, as
   * the JS path passes `data.subarray(offset)`): what a returned view of it is built over.
   */
  readonly data: TypedArray;
  /** Byte address of the block's element 0 on the heap. */
  readonly address: number;
  /** Elements in the block from element 0 (reads and writes stay inside it). */
  readonly length: number;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
}

/** Returned by {@link FunctionEngine.run} when the JS path must run the call. */
export const ON_JS: unique symbol = Symbol('jit: JS path');

/**
 * The engine side of one compiled version, made by the target (`Target.functionEngine`):
 * it runs a call itself when it can (arguments on the numbats heap), and says why not.
 */
export interface FunctionEngine {
  /** `wasm` or `js: <reason>`, for the last call (empty before the first). */
  readonly lastPath: string;
  /** Runs the call (its result), or returns {@link ON_JS} with the reason noted. */
  run(vals: readonly unknown[]): unknown;
  /** Comment lines for `inspect()`: the last path, and the engine's code once built. */
  describe(): string;
}
