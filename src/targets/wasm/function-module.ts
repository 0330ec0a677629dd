/**
 * Whole functions (`jit`) on WebAssembly: one module per compiled version, built on first
 * use and kept with the version's plan, whose exported `run` takes each array argument as its
 * block's address and parts (see `function.ts`) and each number as itself. A version the
 * lowering refuses keeps the reason, and the caller runs the JS path.
 */

import ndarray from 'ndarray';
import { type DType, STORAGE, type TypedArray } from '../../core/dtypes.js';
import { existingHeap, type Heap } from '../../core/heap.js';
import type { FunctionValueType, HeapArrayArg, WholeFunctionPlan } from '../../plan/function.js';
import { encodeModule, FuncBuilder, moduleText } from './encode.js';
import { FunctionLowering, functionParams, functionResults } from './function.js';
import { allocatedBlock, startCall } from './function-allocs.js';
import { Imports, NotLowerable } from './lower.js';
import { instantiateLoop } from './map.js';

/** A compiled whole function, or why there is none. */
export interface WasmFunction {
  run?: (...args: number[]) => unknown;
  /** Why the JS path runs instead (no `run`). */
  reason?: string;
  readonly text: string;
  readonly emitMs: number;
  compileMs: number;
  readonly bytes: number;
}

const cache = new WeakMap<WholeFunctionPlan, WasmFunction>();

/** The module of a plan: its binary, imports and text. Throws NotLowerable. */
export function emitFunction(plan: WholeFunctionPlan): {
  bytes: Uint8Array;
  imports: Imports;
  text: string;
} {
  const imports = new Imports();
  const f = new FuncBuilder('run', functionParams(plan), functionResults(plan));
  new FunctionLowering(plan, f, imports).emit();
  const bytes = encodeModule(imports.list, [f], 65536);
  return { bytes, imports, text: moduleText(imports.list, [f]) };
}

/** The compiled module of a plan (built on first use), or the reason there is none. */
export function wasmFunction(plan: WholeFunctionPlan): WasmFunction {
  let w = cache.get(plan);
  if (!w) {
    w = build(plan, existingHeap()!);
    cache.set(plan, w);
  }
  return w;
}

/** The compiled module of a plan if one was built (for `inspect`). */
export function builtWasmFunction(plan: WholeFunctionPlan): WasmFunction | undefined {
  return cache.get(plan);
}

function build(plan: WholeFunctionPlan, heap: Heap): WasmFunction {
  const t0 = performance.now();
  let emitted: ReturnType<typeof emitFunction>;
  try {
    emitted = emitFunction(plan);
  } catch (e) {
    if (!(e instanceof NotLowerable)) throw e;
    return { reason: e.message, text: '', emitMs: performance.now() - t0, compileMs: 0, bytes: 0 };
  }
  const { bytes, imports, text } = emitted;
  const base = { text, emitMs: performance.now() - t0, bytes: bytes.length };
  return instantiateLoop<typeof base, (...a: number[]) => unknown>(base, bytes, imports, heap);
}

/**
 * How an ndarray on the heap is passed: a C-contiguous array (the `C` layout class) is
 * rebased to its first element, as the JS path passes `data.subarray(offset)`.
 */
export function heapArg(
  data: TypedArray,
  dtype: DType,
  offset: number,
  shape: readonly number[],
  stride: readonly number[],
  layoutC: boolean,
): HeapArrayArg {
  const bpe = STORAGE[dtype].BYTES_PER_ELEMENT;
  if (layoutC) {
    return {
      data: offset === 0 ? data : data.subarray(offset),
      address: data.byteOffset + offset * bpe,
      length: Math.max(0, data.length - offset),
      offset: 0,
      shape,
      stride,
    };
  }
  return { data, address: data.byteOffset, length: data.length, offset, shape, stride };
}

/** Runs a compiled function on its arguments; the result as the JS path returns it. */
export function callWasmFunction(
  w: WasmFunction,
  plan: WholeFunctionPlan,
  args: readonly (number | HeapArrayArg)[],
): unknown {
  const flat: number[] = [];
  args.forEach((a) => {
    if (typeof a === 'number') flat.push(a);
    else flat.push(a.address, a.length, a.offset, ...a.shape, ...a.stride);
  });
  startCall();
  const out = w.run!(...flat);
  const r = plan.ret;
  if (r.kind === 'none') return undefined;
  const vals = out as number[];
  if (vals[0] === 0) return undefined;
  let at = 1;
  const next = (t: FunctionValueType): unknown => {
    if (typeof t !== 'object') return fromWasm(vals[at++], t);
    // An array: a view over the block it came from, as the JS path's ndarray(d, n, s, o).
    const origin = vals[at++];
    const offset = vals[at++];
    const shape = vals.slice(at, at + t.ndim);
    const stride = vals.slice(at + t.ndim, at + 2 * t.ndim);
    at += 2 * t.ndim;
    const data = origin >= 0 ? allocatedBlock(origin) : (args[-1 - origin] as HeapArrayArg).data;
    return ndarray(data, shape, stride, offset);
  };
  if (r.kind === 'one') return next(r.ty);
  return r.tys.map(next);
}

/** A returned number as the JS path gives it (booleans as booleans, uint32 unsigned). */
function fromWasm(v: number, t: FunctionValueType): unknown {
  if (t === 'bool') return v !== 0;
  if (t === 'uint32') return v >>> 0;
  return v;
}

/**
 * Whether every element of a view lies inside its block (what lets the lowering skip the
 * check of indices bounded by the view's own extents); an empty view always does.
 */
export function viewInside(a: HeapArrayArg): boolean {
  let lo = a.offset;
  let hi = a.offset;
  for (let k = 0; k < a.shape.length; k++) {
    if (a.shape[k] === 0) return true;
    const span = (a.shape[k] - 1) * a.stride[k];
    if (span < 0) lo += span;
    else hi += span;
  }
  return lo >= 0 && hi < a.length;
}
