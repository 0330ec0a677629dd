/**
 * guvectorize calls on WebAssembly: one module per (typed gufunc kernel, operand dtypes,
 * number of loop dims, absent optional dims) whose `run` walks the loop nest over the
 * broadcast dims, as the `cpu` target's JS loop (ufunc/gufunc/loops.ts) does, and runs the
 * kernel's core in scalar wasm at each step, views lowered to loads and stores at
 * `base + Σ index·stride`. Sizes and strides are parameters, so one module serves every
 * shape. Results equal the JS loop's bit for bit. The kernel is first rewritten to hold
 * provably-i32 loop variables as int32 (counters.ts) and to run float element rows in
 * f64x2/f32x4 lanes (gufunc-simd.ts); `auto` mode picks this loop or the JS one by timing both
 * (gufunc-choice.ts).
 *
 * A view index the JS loop would send outside its TypedArray (where a read gives
 * `undefined` and a write is dropped) would touch a neighbouring heap block here, so every
 * index is checked against its view's extent (the runner checked that each view's whole
 * span lies inside its buffer), except those the counter analysis proved inside: an index
 * outside stops the call, and the JS loop runs it from the start, with its own semantics. That restart is only sound when the call can run
 * twice, so kernels that read their output views and calls whose outputs overlap their
 * inputs stay on the JS loop.
 *
 * This module depends on the typed IR and plan types only (no kind imports it back).
 */

import type { Expr, Stmt, Ty, TypedKernel } from '../../compiler/ir.js';
import { castScalar } from '../../core/array.js';
import { type DType, STORAGE, type TypedArray } from '../../core/dtypes.js';
import { existingHeap } from '../../core/heap.js';
import { OwnedCaches } from '../../core/spec-cache.js';
import type { GufuncCall, GufuncLayout, TypedGufunc } from '../../plan/gufunc.js';
import { instantiateSync, wasmRefused } from './compile.js';
import { type CheckedViewRef, withI32Counters } from './counters.js';
import { encodeModule, FuncBuilder, moduleText, type ValType } from './encode.js';
import { PathChoice, sizeClass, wasmGufuncConfig } from './gufunc-choice.js';
import { type SimdRowData, withSimdRows } from './gufunc-simd.js';
import { Imports, NotLowerable, ScalarLowering, valType } from './lower.js';
import { LOAD, lastWasmPath, noteJsPath, notePath, STORE, wasmConfig } from './map.js';

/** A compiled gufunc loop module, or why there is none. */
export interface WasmGufuncLoop {
  readonly key: string;
  readonly run?: (...args: number[]) => void;
  readonly reason?: string;
  readonly text: string;
  readonly bytes: number;
  /** Which kernel locals the loop holds as i32 and how many view indices go unchecked. */
  readonly counters?: string;
  /** `auto` mode's trials and choices, by core size class. */
  readonly choices?: Map<number, PathChoice>;
  /**
   * The compiled module and the names of its `js` imports, in order: what the `parallel`
   * target's workers instantiate on the same shared memory (set once `run` is).
   */
  readonly module?: WebAssembly.Module;
  readonly importNames?: readonly string[];
}

/** Thrown by the `oob` import: a view index left its buffer (the JS loop reruns the call). */
const OUT_OF_BUFFER = new Error('numbats: a view index left its view');
const oob = () => {
  throw OUT_OF_BUFFER;
};

export { wasmGufuncConfig } from './gufunc-choice.js';

/** Core sizes and loop extents the wasm loop takes (i32 parameters; larger calls run on JS). */
const MAX_CORE_SIZE = 2 ** 31 - 1;

const cache = new OwnedCaches<TypedKernel, string, WasmGufuncLoop>();

/** The wasm loops compiled for a gufunc kernel so far. */
export function wasmGufuncLoops(k: TypedKernel): readonly WasmGufuncLoop[] {
  return [...(cache.peek(k)?.values() ?? [])];
}

/** For `inspect`: which path the kernel's last call on heap arrays took and why, and its wasm loops. */
export function describeWasmGufunc(k: TypedKernel): string {
  const lines = [`// last call on heap arrays: ${lastWasmPath(k) ?? 'none yet'}`];
  for (const l of wasmGufuncLoops(k)) {
    if (!l.run) {
      lines.push(`// wasm loop ${l.key}: not built (${l.reason})`);
      continue;
    }
    lines.push(`// wasm loop ${l.key}: scalar, ${l.bytes} bytes; ${l.counters}`, l.text);
  }
  return lines.join('\n');
}

/**
 * Runs a planned gufunc call on wasm when every operand lives on the heap and the kernel
 * lowers; returns false (the caller runs the JS loop) otherwise, recording why.
 */
export function runWasmGufunc(c: GufuncCall): boolean {
  const heap = existingHeap();
  const typed = c.kernel.typed;
  if (!heap || !wasmConfig.enabled) return false;
  const { size, core } = elementsOf(c);
  if (wasmGufuncConfig.mode !== 'never' && size < wasmConfig.minElements) return false;
  const loop = checkedLoop(c);
  if (typeof loop === 'string') {
    noteJsPath(typed, loop);
    return false;
  }
  let choice: PathChoice | undefined;
  if (wasmGufuncConfig.mode === 'auto' && c.runJs) {
    const cls = sizeClass(core);
    choice = loop.choices!.get(cls);
    if (!choice) loop.choices!.set(cls, (choice = new PathChoice()));
    if (choice.next() === 'js') {
      if (choice.chosen) {
        noteJsPath(typed, `the JS loop, faster for this loop and core size: ${choice.describe()}`);
        return false;
      }
      choice.trial('js', size, c.runJs);
      noteJsPath(typed, 'the JS loop, timed against the wasm loop (auto)');
      return true;
    }
  }
  const args = gufuncRunArgs(c, c.P, c.N);
  const run = loop.run!;
  try {
    if (choice && !choice.chosen) choice.trial('wasm', size, () => run(...args));
    else run(...args);
  } catch (e) {
    // A float index the conversion traps on is one the JS loop gives its own meaning too.
    if (e !== OUT_OF_BUFFER && !(e instanceof WebAssembly.RuntimeError)) throw e;
    // In `auto`, the loop's next calls of this size class go straight to JS: the same
    // kernel on like shapes would leave its view again, after running part of the call.
    choice?.leftView();
    noteJsPath(typed, 'a view index left its view: the JS loop ran the call');
    return false;
  }
  const why = !choice
    ? ''
    : choice.chosen
      ? `, faster for this loop and core size: ${choice.describe()}`
      : ', timed against the JS loop (auto)';
  notePath(typed, `wasm: scalar gufunc loop ${loop.key}${why}`);
  return true;
}

/** The call's elements (loop elements times core elements) and its core elements. */
function elementsOf(c: GufuncCall): { size: number; core: number } {
  let size = 1;
  for (const n of c.N) size *= n;
  let core = 1;
  for (const z of c.C.slice(0, c.layout.dims.length)) core *= z;
  return { size: size * core, core };
}

/**
 * The call's wasm loop, compiled, when the call may run on it (every operand on the heap
 * and its view inside its buffer, no output sharing memory with an input, sizes in i32,
 * a kernel that lowers); otherwise why not. The caller checked that the heap exists and
 * the engine is on.
 */
function checkedLoop(c: GufuncCall): WasmGufuncLoop | string {
  const heap = existingHeap()!;
  if (wasmGufuncConfig.mode === 'never') return "gufunc wasm loops are off (mode 'never')";
  const refused = wasmRefused();
  if (refused !== undefined) return refused;
  for (const n of c.N) if (n > MAX_CORE_SIZE) return 'a loop dim of 2^31 or more elements';
  for (let l = 0; l < c.layout.dims.length; l++)
    if (c.C[l] > MAX_CORE_SIZE) return 'a core dim of 2^31 or more elements';
  const nop = c.D.length;
  for (let o = 0; o < nop; o++) {
    if (!heap.owns(c.D[o])) return `operand ${o} is not on the numbats heap`;
    if (!spanInside(c, o)) return `operand ${o}'s view reaches outside its buffer`;
  }
  const nin = c.layout.nin;
  for (let o = nin; o < nop; o++)
    for (let i = 0; i < nin; i++)
      if (overlaps(c.D[o], c.D[i])) return `output ${o - nin} shares memory with input ${i}`;
  const loop = gufuncLoop(c);
  return loop.run ? loop : (loop.reason ?? 'no wasm loop');
}

/**
 * The call's wasm loop as the `parallel` target's workers would run it, chunk by chunk, or
 * why they run their JS loops. Besides the calling thread's conditions (`checkedLoop`), the
 * module must check no view index at run time: an index leaving its view stops the call
 * for the JS loop to rerun it from the start, which only the calling thread can do. In
 * `auto` mode the workers take wasm unless the calling thread's timing chose the JS loop
 * for this loop and core size class (the workers time nothing: a choice still open, or one
 * for wasm, runs wasm; both give the same bits, so this changes only speed).
 */
export function wasmGufuncForWorkers(c: GufuncCall): WasmGufuncLoop | string {
  const loop = checkedLoop(c);
  if (typeof loop === 'string') return loop;
  if (loop.importNames!.includes('oob'))
    return 'a view index is checked at run time (leaving its view, the calling thread would rerun the call on the JS loop)';
  if (wasmGufuncConfig.mode === 'auto') {
    const choice = loop.choices!.get(sizeClass(elementsOf(c).core));
    if (choice?.chosen === 'js')
      return `the JS loop was faster for this loop and core size on the calling thread: ${choice.describe()}`;
  }
  return loop;
}

/**
 * The module's `run` arguments for the call's loop nest from offsets `P` (elements) with
 * extents `N`: a chunk of the call is its own offsets and extents with the call's strides
 * and core sizes.
 */
export function gufuncRunArgs(c: GufuncCall, P: readonly number[], N: readonly number[]): number[] {
  const nop = c.D.length;
  const args: number[] = [];
  for (let o = 0; o < nop; o++) {
    const d = c.D[o];
    const bpe = STORAGE[c.arrTypes[o]].BYTES_PER_ELEMENT;
    args.push(d.byteOffset + P[o] * bpe, d.byteOffset, d.byteOffset + (d.length - 1) * bpe);
  }
  const nd = N.length;
  for (let l = 0; l < nd; l++) args.push(N[l]);
  for (let o = 0; o < nop; o++) {
    const bpe = STORAGE[c.arrTypes[o]].BYTES_PER_ELEMENT;
    for (let l = 0; l < nd; l++) args.push(c.S[o * nd + l] * bpe);
  }
  const ndims = c.layout.dims.length;
  for (let l = 0; l < ndims; l++) args.push(c.C[l]);
  let k = ndims;
  for (let o = 0; o < nop; o++) {
    const bpe = STORAGE[c.arrTypes[o]].BYTES_PER_ELEMENT;
    for (let d = 0; d < c.layout.operands[o].length; d++) args.push(c.C[k++] * bpe);
  }
  return args;
}

/** Whether operand o's loop and core extents stay inside its TypedArray. */
function spanInside(c: GufuncCall, o: number): boolean {
  const nd = c.N.length;
  let lo = c.P[o];
  let hi = lo;
  const add = (n: number, s: number) => {
    const span = (n - 1) * s;
    if (span < 0) lo += span;
    else hi += span;
  };
  for (let l = 0; l < nd; l++) if (c.N[l] > 0) add(c.N[l], c.S[o * nd + l]);
  let k = c.layout.dims.length;
  for (let p = 0; p < o; p++) k += c.layout.operands[p].length;
  c.layout.operands[o].forEach((label, d) => {
    const n = c.missing[label] ? 1 : c.C[label];
    if (n > 0) add(n, c.C[k + d]);
  });
  return lo >= 0 && hi < c.D[o].length;
}

function overlaps(a: TypedArray, b: TypedArray): boolean {
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

function gufuncLoop(c: GufuncCall): WasmGufuncLoop {
  const typed = c.kernel.typed;
  let key = `${c.N.length}|${c.arrTypes.join(',')}|`;
  for (const m of c.missing) key += m ? 'm' : '.';
  return cache.of(typed).get(key, () => buildGufuncLoop(c, key));
}

function buildGufuncLoop(c: GufuncCall, key: string): WasmGufuncLoop {
  let emitted: ReturnType<typeof emitGufuncLoop>;
  try {
    emitted = emitGufuncLoop(c.kernel, c.layout, c.arrTypes, c.missing, c.N.length);
  } catch (e) {
    if (!(e instanceof NotLowerable)) throw e;
    return { key, reason: e.message, text: '', bytes: 0 };
  }
  const { bytes, imports, text, counters } = emitted;
  const heap = existingHeap()!;
  const r = instantiateSync(bytes, imports.object(heap.memory as WebAssembly.Memory));
  if ('reason' in r) return { key, reason: r.reason, text, bytes: bytes.length };
  const run = r.exports.run as (...a: number[]) => void;
  return {
    key,
    run,
    text,
    bytes: bytes.length,
    counters,
    choices: new Map(),
    module: r.module,
    importNames: imports.list.map((i) => i.name),
  };
}

/** Whether a kernel reads one of its output views (a rerun would then see its own writes). */
function readsOutputs(body: readonly Stmt[], nin: number): boolean {
  let found = false;
  const visit = (e: Expr | undefined): void => {
    if (!e || found) return;
    if (e.k === 'ext' && e.op === 'get' && (e.data as { p: number }).p >= nin) found = true;
    for (const v of Object.values(e)) {
      if (Array.isArray(v)) for (const x of v) if (x && typeof x === 'object' && 'k' in x) visit(x);
      if (v && typeof v === 'object' && 'k' in v && 'ty' in v) visit(v as Expr);
    }
  };
  const walk = (list: readonly Stmt[]) => {
    for (const s of list) {
      for (const v of Object.values(s)) {
        if (Array.isArray(v))
          for (const x of v) {
            if (x && typeof x === 'object' && 'k' in x) {
              if ('ty' in x) visit(x as Expr);
              else walk([x as Stmt]);
            }
          }
        else if (v && typeof v === 'object' && 'k' in v) {
          if ('ty' in v) visit(v as Expr);
          else walk([v as Stmt]);
        }
      }
    }
  };
  walk(body);
  return found;
}

/**
 * The module: `run(ptr, lo, hi per operand…, n per loop dim…, loop strides [op][dim]…,
 * size per core label…, core strides per operand and dim…)`, addresses and strides in
 * bytes; `lo`/`hi` are the byte addresses of the first and last element of the operand's
 * TypedArray, the bounds every view access is checked against.
 */
export function emitGufuncLoop(
  g: TypedGufunc,
  layout: GufuncLayout,
  arrTypes: readonly DType[],
  missing: readonly boolean[],
  nd: number,
): { bytes: Uint8Array; imports: Imports; text: string; counters: string } {
  const k = g.typed;
  const nin = layout.nin;
  const nop = layout.operands.length;
  for (const d of arrTypes)
    if (d === 'uint8_clamped') throw new NotLowerable('uint8_clamped arrays');
  if (readsOutputs(k.body, nin)) throw new NotLowerable('the kernel reads an output view');
  const ndims = layout.dims.length;
  let ncore = 0;
  for (const labels of layout.operands) ncore += labels.length;
  const params: ValType[] = new Array(3 * nop + nd + nop * nd + ndims + ncore).fill('i32');
  const f = new FuncBuilder('run', params, []);
  // Parameters 3o+1 and 3o+2 (the buffer's first and last element) are spare: every
  // access is checked against the view's extent instead (see `address`).
  const ptr = (o: number) => 3 * o;
  const ext = (l: number) => 3 * nop + l;
  const stride = (o: number, l: number) => 3 * nop + nd + o * nd + l;
  const size = (label: number) => 3 * nop + nd + nop * nd + label;
  const coreStride = (o: number, d: number) => {
    let i = 3 * nop + nd + nop * nd + ndims;
    for (let p = 0; p < o; p++) i += layout.operands[p].length;
    return i + d;
  };
  const imports = new Imports();
  // Imported only by a module that checks some index at run time (the `parallel` target's
  // workers run only modules without it: they cannot rerun a call on the JS loop).
  const oobFn = () => imports.get('oob', [], [], oob);
  const q: number[][] = Array.from({ length: nop }, () =>
    Array.from({ length: nd }, () => f.local('i32')),
  );
  const count = Array.from({ length: nd }, () => f.local('i32'));
  const base = (o: number) => (nd === 0 ? ptr(o) : q[o][nd - 1]);
  const idx = f.local('f64');
  const elemOf = (p: number): DType => (p < nin ? g.inTypes[p] : g.outTypes[p - nin]);
  const ii = f.local('i32');
  // Loop variables held as i32 where they provably are i32 integers (counters.ts).
  const counters = withI32Counters(k, {
    shapeRange: (p, d) => {
      const label = layout.operands[p][d];
      const n = layout.dims[label].fixed ?? (missing[label] ? 1 : undefined);
      return n === undefined ? { lo: 0, hi: MAX_CORE_SIZE } : { lo: n, hi: n };
    },
    label: (p, d) => layout.operands[p][d],
  });

  /** Pushes view p's extent along core dim d as an i32. */
  const extent = (p: number, d: number) => {
    const label = layout.operands[p][d];
    const fixed = layout.dims[label].fixed;
    if (fixed !== undefined || missing[label]) f.i32(fixed ?? 1);
    else f.get(size(label));
  };
  /**
   * Pushes the i32 byte address of view p's element at the index expressions. An index
   * inside the view's extent addresses memory inside the buffer (the runner checked the
   * view's whole span); any other index (past the extent, negative, not an integer) leaves
   * through `oob` (or a trap of the float conversion), and the JS loop reruns the call with
   * its own semantics for it. Indices the counter analysis proved inside their extent
   * (`inBounds`) are not checked.
   */
  const address = (
    sl: ScalarLowering,
    p: number,
    indices: readonly Expr[],
    inBounds: readonly boolean[] | undefined,
  ) => {
    f.get(base(p));
    indices.forEach((e, d) => {
      sl.expr(e);
      const v = valType(e.ty);
      if (v === 'f32') throw new NotLowerable('a float32 view index');
      if (v === 'f64') {
        // A float-typed index (a weak integer the analysis could not bound): an integer
        // below 2^32, inside the extent.
        f.tee(idx)
          .op('i64.trunc_f64_s')
          .op('i32.wrap_i64')
          .tee(ii)
          .op('f64.convert_i32_u')
          .get(idx)
          .op('f64.ne')
          .get(ii);
        extent(p, d);
        f.op('i32.ge_u').op('i32.or');
        f.open('if');
        f.call(oobFn(), 'oob');
        f.op('end');
        f.get(ii);
      } else if (!inBounds?.[d]) {
        f.tee(ii);
        extent(p, d);
        f.op('i32.ge_u');
        f.open('if');
        f.call(oobFn(), 'oob');
        f.op('end');
        f.get(ii);
      }
      f.get(coreStride(p, d)).op('i32.mul').op('i32.add');
    });
  };

  /** Pushes the lanes (`sh`: f64x2 or f32x4) of a `simdRow` value from the counter's element on. */
  const lanes = (e: Expr, sl: ScalarLowering, sh: string): void => {
    switch (e.k) {
      case 'ext': {
        const { p, inBounds } = e.data as CheckedViewRef;
        address(sl, p, e.args, inBounds);
        f.mem('v128.load', 0, sh === 'f64x2' ? 3 : 2);
        return;
      }
      case 'local':
        f.get(sl.locals[e.id]).op(`${sh}.splat`);
        return;
      case 'const':
        if (sh === 'f64x2') f.f64(e.value);
        else f.f32(e.value);
        f.op(`${sh}.splat`);
        return;
      case 'cast':
        // A constant (gufunc-simd.ts admits no other cast): its value as the lanes' type.
        if (e.arg.k !== 'const') throw new Error('internal: a cast in a SIMD row');
        lanes({ k: 'const', value: castScalar(e.arg.value, e.ty as DType), ty: e.ty }, sl, sh);
        return;
      case 'binary':
        lanes(e.l, sl, sh);
        lanes(e.r, sl, sh);
        f.op(`${sh}.${{ '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' }[e.op as '+']}`);
        return;
      case 'unary':
        lanes(e.arg, sl, sh);
        if (e.op === '-') f.op(`${sh}.neg`);
        return;
      case 'math':
        lanes(e.args[0], sl, sh);
        f.op(`${sh}.${e.fn}`);
        return;
      default:
        throw new Error(`internal: ${e.k} in a SIMD row`);
    }
  };
  /** The views a SIMD row reads or writes. */
  const rowViews = (e: Expr, out: Set<number>): Set<number> => {
    if (e.k === 'ext' && (e.op === 'get' || e.op === 'set')) out.add(e.data.p);
    if (e.k === 'binary') rowViews(e.r, rowViews(e.l, out));
    if (e.k === 'unary' || e.k === 'cast') rowViews(e.arg, out);
    if (e.k === 'math' || e.k === 'ext') for (const a of e.args) rowViews(a, out);
    return out;
  };
  /**
   * A `simdRow` (gufunc-simd.ts): while `i + lanes - 1 < bound`, the write's elements
   * `i…i + lanes - 1` from one vector, `i += lanes`; only when every view it touches is
   * unit-stride along its last dim in this call. `i` and the bound are non-negative (the
   * indices are proved in bounds), so the unsigned compare of `i + lanes - 1` is exact.
   */
  const simdRow = (d: SimdRowData, sl: ScalarLowering) => {
    const i = sl.locals[d.id];
    const bytes = d.t === 'float64' ? 8 : 4;
    const sh = d.t === 'float64' ? 'f64x2' : 'f32x4';
    const ps = [...rowViews(d.write, new Set())];
    ps.forEach((p, n) => {
      f.get(coreStride(p, layout.operands[p].length - 1))
        .i32(bytes)
        .op('i32.eq');
      if (n > 0) f.op('i32.and');
    });
    f.open('if');
    f.open('block');
    f.open('loop');
    f.get(i)
      .i32(16 / bytes - 1)
      .op('i32.add');
    sl.expr(d.bound);
    f.op('i32.lt_u').op('i32.eqz').brIf(1);
    const w = d.write;
    const { p, inBounds } = w.data as CheckedViewRef;
    address(sl, p, w.args.slice(0, -1), inBounds);
    lanes(w.args[w.args.length - 1], sl, sh);
    f.mem('v128.store', 0, bytes === 8 ? 3 : 2);
    f.get(i)
      .i32(16 / bytes)
      .op('i32.add')
      .set(i);
    f.br(0);
    f.op('end');
    f.op('end');
    f.op('end');
    f.i32(0);
  };

  const views = (e: Extract<Expr, { k: 'ext' }>, sl: ScalarLowering) => {
    if (e.op === 'simdRow') {
      simdRow(e.data, sl);
      return;
    }
    const { p, dim, inBounds } = e.data as CheckedViewRef & { dim?: number };
    const arrTy = arrTypes[p];
    const elemTy = elemOf(p);
    switch (e.op) {
      case 'shape': {
        const label = layout.operands[p][dim!];
        const fixed = layout.dims[label].fixed;
        if (e.ty === 'int32') {
          // A size the counter analysis computes with (at most MAX_CORE_SIZE).
          if (fixed !== undefined || missing[label]) f.i32(fixed ?? 1);
          else f.get(size(label));
          return;
        }
        if (fixed !== undefined || missing[label]) f.f64(fixed ?? 1);
        else f.get(size(label)).op('f64.convert_i32_s');
        sl.convert('float64', e.ty);
        return;
      }
      case 'get':
        address(sl, p, e.args, inBounds);
        f.mem(LOAD[arrTy][0]);
        sl.convert(arrTy, elemTy);
        return;
      case 'set': {
        const stored: Ty = arrTy === 'bool' && elemTy !== 'bool' ? 'bool' : elemTy;
        const v = f.local(valType(stored));
        const value = e.args[e.args.length - 1];
        address(sl, p, e.args.slice(0, -1), inBounds);
        sl.expr(value);
        sl.convert(value.ty, elemTy);
        sl.convert(elemTy, stored);
        f.tee(v);
        sl.convert(stored, arrTy === 'bool' ? 'bool' : arrTy);
        f.mem(STORE[arrTy]);
        // The node's value: what the JS assignment gives back (the stored value's code).
        f.get(v);
        sl.convert(stored, e.ty);
        return;
      }
      default:
        throw new NotLowerable(`view construct '${e.op}'`);
    }
  };
  const simd = withSimdRows(counters.kernel, (p) => {
    const t = arrTypes[p];
    return (t === 'float64' || t === 'float32') && elemOf(p) === t ? t : undefined;
  });
  const scalar = new ScalarLowering(simd.kernel, f, imports, views);

  const body = () => {
    scalar.kernel((i) => {
      // A `()` input: its element at the operand's base.
      f.get(base(i)).mem(LOAD[arrTypes[i]][0]);
      scalar.convert(arrTypes[i], g.inTypes[i]);
    });
    if (g.views.length === nin) {
      // Returned outputs, stored at each output's element.
      g.outTypes.forEach((t, j) => {
        const o = nin + j;
        const d = arrTypes[o];
        f.get(base(o));
        f.get(scalar.outs[j]);
        scalar.convert(t, d === 'bool' && t !== 'bool' ? 'bool' : d);
        f.mem(STORE[d]);
      });
    }
  };

  const level = (l: number) => {
    for (let o = 0; o < nop; o++) f.get(l === 0 ? ptr(o) : q[o][l - 1]).set(q[o][l]);
    const c = count[l];
    f.get(ext(l)).set(c);
    f.open('block');
    f.open('loop');
    f.get(c).op('i32.eqz').brIf(1);
    if (l === nd - 1) body();
    else level(l + 1);
    for (let o = 0; o < nop; o++) f.get(q[o][l]).get(stride(o, l)).op('i32.add').set(q[o][l]);
    f.get(c).i32(1).op('i32.sub').set(c);
    f.br(0);
    f.op('end');
    f.op('end');
  };
  if (nd === 0) body();
  else level(0);
  const bytes = encodeModule(imports.list, [f], 65536);
  const names = counters.locals.map((id) => k.localNames[id]).join(', ');
  return {
    bytes,
    imports,
    text: moduleText(imports.list, [f]),
    counters: `${names ? `i32 locals: ${names}` : 'no i32 locals'}, ${counters.unchecked} view index(es) proved in bounds, ${simd.rows} SIMD row loop(s)`,
  };
}
