/**
 * Elementwise calls on WebAssembly: one module per (kernel, operand dtypes, number of loop
 * dims, innermost stride class of each operand, mask), whose `run` walks the same loop nest
 * as the `cpu` target's JS loop over operands that live on the numbats heap. The innermost
 * loop is SIMD (f64x2, f32x4, i32x4, i16x8, i8x16) when every operand is unit-stride or
 * broadcast there, every array and the kernel are typed in one dtype and the kernel is
 * branch-free (conditionals become `bitselect`); the rest of a row, and every other case the
 * lowering handles, runs a scalar wasm loop. Results equal the JS loop's bit for bit.
 *
 * Reductions of a reorderable ufunc along the inner loop: integer rows take several SIMD
 * accumulators (the order is free there: wrapping + and min/max are associative); float
 * runs are reduced in NumPy's pairwise order by the module's recursive `pw` function, the
 * tree the JS loop follows (SIMD partials for unit-stride runs), so floats match too.
 *
 * This module depends on the typed IR and plain plan data only (no kind imports it back).
 */

import type { TypedKernel } from '../../compiler/ir.js';
import { type DType, STORAGE, type TypedArray } from '../../core/dtypes.js';
import { existingHeap, type Heap } from '../../core/heap.js';
import { OwnedCaches } from '../../core/spec-cache.js';
import { instantiateAsync, instantiateSync, wasmRefused } from './compile.js';
import { jsFasterReason } from './cost.js';
import { encodeModule, FuncBuilder, moduleText, type ValType } from './encode.js';
import {
  Imports,
  LANES,
  NotLowerable,
  NotSimd,
  ScalarLowering,
  SimdLowering,
  valType,
} from './lower.js';

/** What an elementwise call hands to the wasm target: dtypes and the planned loop nest. */
export interface WasmMapPlan {
  readonly typed: TypedKernel;
  /** Array dtypes: inputs, then outputs, then the mask (when `hasMask`). */
  readonly dtypes: readonly DType[];
  readonly nin: number;
  readonly nout: number;
  readonly hasMask: boolean;
  readonly D: readonly TypedArray[];
  /** Start offsets, in elements. */
  readonly P: readonly number[];
  /** Loop extents, outermost first. */
  readonly N: readonly number[];
  /** Strides in elements, flattened [op][dim]; empty means 1 everywhere (one flat loop). */
  readonly S: readonly number[];
  /** A reduction (input 0 is output 0, the accumulator). */
  readonly accumulate?: boolean;
  /**
   * The ufunc is reorderable (it has an identity): an integer reduction along the innermost
   * loop may use several SIMD accumulators instead of the left-to-right order (float ones
   * follow `pairwise`).
   */
  readonly reorderable?: boolean;
  /**
   * Float runs of this reduction are summed pairwise in NumPy's order (the JS loop's
   * `pairwiseSource`): a reduction along the innermost loop calls the module's `pw`, which
   * follows the very same tree, so both paths give the same bits.
   */
  readonly pairwise?: boolean;
  /**
   * An accumulate (scan): input 0 is the output one step back along the scan axis, so each
   * element needs the one before it and the loop stays scalar, in order.
   */
  readonly scan?: boolean;
  /**
   * The scan walks its axis in the innermost loop (output 0 is input 0 one inner step
   * ahead): the running value stays in a local, as in the JS loop, instead of being read
   * back from the element just stored.
   */
  readonly scanRegister?: boolean;
}

const heapAll =
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.NUMBATS_HEAP === 'all';

/**
 * Settings of the wasm target. `minElements` is 0 under NUMBATS_HEAP=all (the test suite's
 * heap run: every array on the heap and every call on it through wasm).
 */
export const wasmConfig = {
  /** Run wasm kernels at all (they need the heap too). */
  enabled: typeof WebAssembly !== 'undefined',
  /** Calls on fewer elements stay on the JS loops (the call into wasm costs more there). */
  minElements: heapAll ? 0 : 2048,
  /**
   * Elementwise kernels dominated by calls into JS `Math` run the JS loop (cost.ts); the
   * wasm tests switch it off to compare both paths on every kernel.
   */
  costRule: true,
};

/** A compiled loop module, or why there is none. */
export interface WasmLoop {
  readonly key: string;
  readonly run?: (...args: number[]) => void;
  /** Why the JS loop runs instead (no `run`). */
  readonly reason?: string;
  /** The SIMD shape of the inner loop, or null for a scalar wasm loop. */
  readonly simd: string | null;
  /** The inner loop reduces its run in the pairwise order (through the module's `pw`). */
  readonly pairwise: boolean;
  readonly text: string;
  /** Milliseconds to emit the binary and to compile + instantiate it. */
  readonly emitMs: number;
  readonly compileMs: number;
  readonly bytes: number;
  /**
   * The compiled module and the names of its `js` imports, in order: what the `parallel`
   * target's workers instantiate on the same shared memory (set once `run` is).
   */
  readonly module?: WebAssembly.Module;
  readonly importNames?: readonly string[];
}

/**
 * Operands off the heap up to this many bytes (the heap's default `minBytes`: what numbats
 * itself keeps off the heap) are copied onto it for a call; larger ones are the user's own
 * buffers, and the call runs the JS loop.
 */
export const SMALL_COPY = 4096;

/** Vector accumulators per row in SIMD reductions. */
const ACCS = 4;

/** Rows folded into each output vector per pass when rows accumulate into one row. */
const ROW_BLOCK = 8;

const cache = new OwnedCaches<TypedKernel, string, WasmLoop>();
const lastByKernel = new WeakMap<TypedKernel, string>();
let lastAny = '';
/** Records the path a call took, per kernel and overall. */
const last = {
  set(k: TypedKernel, path: string): void {
    lastByKernel.set(k, path);
    lastAny = path;
  },
};

/** One letter per dtype, for loop keys. */
export const CODES: Record<DType, string> = {
  float64: 'd',
  float32: 'f',
  int8: 'b',
  int16: 'h',
  int32: 'i',
  uint8: 'B',
  uint16: 'H',
  uint32: 'I',
  uint8_clamped: 'C',
  bool: '?',
};

/** The load instruction (and its value type) of each dtype's elements. */
export const LOAD: Record<DType, [string, ValType]> = {
  float64: ['f64.load', 'f64'],
  float32: ['f32.load', 'f32'],
  int32: ['i32.load', 'i32'],
  uint32: ['i32.load', 'i32'],
  int16: ['i32.load16_s', 'i32'],
  uint16: ['i32.load16_u', 'i32'],
  int8: ['i32.load8_s', 'i32'],
  uint8: ['i32.load8_u', 'i32'],
  bool: ['i32.load8_u', 'i32'],
  uint8_clamped: ['i32.load8_u', 'i32'],
};
/** The store instruction of each dtype's elements. */
export const STORE: Record<DType, string> = {
  float64: 'f64.store',
  float32: 'f32.store',
  int32: 'i32.store',
  uint32: 'i32.store',
  int16: 'i32.store16',
  uint16: 'i32.store16',
  int8: 'i32.store8',
  uint8: 'i32.store8',
  bool: 'i32.store8',
  uint8_clamped: 'i32.store8',
};

/** 0: broadcast (stride 0) in the innermost loop, 1: unit stride, n: any other stride. */
function innerClasses(p: WasmMapPlan, nd: number): string {
  let s = '';
  const nops = p.D.length;
  for (let o = 0; o < nops; o++) {
    const st = p.S.length === 0 ? 1 : p.S[o * nd + nd - 1];
    s += st === 0 ? '0' : st === 1 ? '1' : 'n';
  }
  return s;
}

const isBrowserMainThread =
  typeof (globalThis as { process?: unknown }).process === 'undefined' &&
  typeof (globalThis as { document?: unknown }).document !== 'undefined';

/**
 * Builds (or finds) the loop for a plan. Modules up to 4 KB compile synchronously (a tiny
 * module compiles in a fraction of a millisecond, and browsers allow synchronous compiles of
 * that size on the main thread); larger ones in a browser's main thread compile in the
 * background while the JS loop serves the calls.
 */
export function wasmLoop(p: WasmMapPlan): WasmLoop {
  const nd = p.N.length;
  const classes = innerClasses(p, nd);
  let key = `${nd}|${classes}|`;
  for (const d of p.dtypes) key += CODES[d];
  if (p.hasMask) key += 'm';
  if (p.accumulate) key += p.reorderable ? 'R' : 'a';
  if (p.scan) key += p.scanRegister ? 'Sr' : 'S';
  if (p.pairwise) key += 'p';
  return cache.of(p.typed).get(key, () => buildLoop(p, nd, classes, key, existingHeap()!));
}

function buildLoop(p: WasmMapPlan, nd: number, classes: string, key: string, heap: Heap): WasmLoop {
  const t0 = performance.now();
  let emitted: ReturnType<typeof emitLoop>;
  try {
    try {
      emitted = emitLoop(p, nd, classes, true);
    } catch (e) {
      if (!(e instanceof NotSimd)) throw e;
      emitted = emitLoop(p, nd, classes, false);
    }
  } catch (e) {
    if (!(e instanceof NotLowerable)) throw e;
    return {
      key,
      reason: e.message,
      simd: null,
      pairwise: false,
      text: '',
      emitMs: performance.now() - t0,
      compileMs: 0,
      bytes: 0,
    };
  }
  const t1 = performance.now();
  const { bytes, imports, text, simd, pairwise } = emitted;
  const importNames = imports.list.map((i) => i.name);
  const base = { key, simd, pairwise, text, emitMs: t1 - t0, bytes: bytes.length, importNames };
  return instantiateLoop(base, bytes, imports, heap);
}

/** What {@link instantiateLoop} adds to a loop's description. */
export interface Instantiated<F> {
  run?: F;
  /** The compiled module (the `parallel` workers instantiate it on the same memory). */
  module?: WebAssembly.Module;
  reason?: string;
  compileMs: number;
}

/**
 * Compiles and instantiates a loop module on the heap's memory; its exported `run` goes into
 * the result. Modules up to 4 KB compile synchronously; larger ones in a browser's main
 * thread compile in the background (the result has a `reason` until `run` arrives, and the
 * JS loop serves the calls meanwhile). A failed compile (a page whose CSP forbids
 * 'wasm-unsafe-eval') leaves the reason.
 */
export function instantiateLoop<B extends object, F extends Function>(
  base: B,
  bytes: Uint8Array,
  imports: Imports,
  heap: Heap,
): B & Instantiated<F> {
  const t1 = performance.now();
  const imp = imports.object(heap.memory as WebAssembly.Memory);
  if (isBrowserMainThread && bytes.length > 4096) {
    const pending: B & Instantiated<F> = {
      ...base,
      reason: 'the wasm module is still compiling',
      compileMs: 0,
    };
    instantiateAsync(bytes, imp, (r) => {
      if ('reason' in r) {
        pending.reason = r.reason;
        return;
      }
      pending.module = r.module;
      pending.run = r.exports.run as unknown as F;
      pending.compileMs = performance.now() - t1;
      pending.reason = undefined;
    });
    return pending;
  }
  // A page whose CSP forbids 'wasm-unsafe-eval' gets a reason here, not an exception.
  const r = instantiateSync(bytes, imp);
  const compileMs = performance.now() - t1;
  if ('reason' in r) return { ...base, reason: r.reason, compileMs };
  return { ...base, run: r.exports.run as unknown as F, module: r.module, compileMs };
}

/** The module for a plan: `run(ptr…, n…, stride…)` with byte addresses and byte strides. */
export function emitLoop(
  p: WasmMapPlan,
  nd: number,
  classes: string,
  allowSimd: boolean,
): {
  bytes: Uint8Array;
  imports: Imports;
  text: string;
  simd: string | null;
  pairwise: boolean;
} {
  const k = p.typed;
  const nops = p.D.length;
  const { nin, nout } = p;
  for (const d of p.dtypes)
    if (d === 'uint8_clamped') throw new NotLowerable('uint8_clamped arrays');
  const params: ValType[] = new Array(nops + nd + nops * nd).fill('i32');
  const f = new FuncBuilder('run', params, []);
  const imports = new Imports();
  const ptr = (o: number) => o;
  const ext = (l: number) => nops + l;
  const stride = (o: number, l: number) => nops + nd + o * nd + l;
  // q[o][l]: operand o's address at loop level l (level 0 starts from the parameter).
  const q: number[][] = Array.from({ length: nops }, () => []);
  for (let o = 0; o < nops; o++) for (let l = 0; l < nd; l++) q[o][l] = f.local('i32');
  const count: number[] = Array.from({ length: nd }, () => f.local('i32'));
  const inner = nd - 1;
  const scalar = new ScalarLowering(k, f, imports);

  // SIMD for the inner loop: unit or zero strides, one dtype, no mask.
  let simd: SimdLowering | null = null;
  let lane: (typeof LANES)[DType] | undefined;
  const t0 = p.dtypes[0];
  // A reorderable (integer) reduction along the inner loop: several SIMD accumulators per row.
  let reduceRow = false;
  if (allowSimd && !p.scan && !p.hasMask && /^[01]+$/.test(classes) && classes.includes('1')) {
    lane = LANES[t0];
    const outsMove = classes
      .slice(nin, nin + nout)
      .split('')
      .every((c) => c === '1');
    // Not for pairwise (float) reductions: their order is the pairwise tree (below).
    reduceRow =
      !!p.accumulate &&
      !!p.reorderable &&
      !p.pairwise &&
      nin === 2 &&
      nout === 1 &&
      classes === '010';
    if (lane && (outsMove || reduceRow) && p.dtypes.every((d) => d === t0)) {
      simd = new SimdLowering(k, f, t0);
    }
  }

  const load = (o: number, addr: () => void, kernelType: DType) => {
    const d = p.dtypes[o];
    addr();
    f.mem(LOAD[d][0]);
    scalar.convert(d, kernelType);
  };

  // The running value of a scan along the inner loop (see WasmMapPlan.scanRegister).
  const scanReg =
    p.scan && p.scanRegister && nin >= 1 && nout >= 1 ? f.local(valType(k.paramTypes[0])) : -1;

  const scalarBody = (l: number) => {
    let masked = false;
    if (p.hasMask) {
      const m = nin + nout;
      f.get(q[m][l]);
      f.mem(LOAD[p.dtypes[m]][0]);
      const mv = LOAD[p.dtypes[m]][1];
      if (mv === 'f64') f.f64(0).op('f64.ne');
      else if (mv === 'f32') f.f32(0).op('f32.ne');
      f.open('if');
      masked = true;
    }
    scalar.kernel((i) => {
      if (i === 0 && scanReg >= 0 && l === inner) f.get(scanReg);
      else load(i, () => f.get(q[i][l]), k.paramTypes[i]);
    });
    for (let j = 0; j < nout; j++) {
      const o = nin + j;
      const d = p.dtypes[o];
      const kt = k.outTypes[j];
      f.get(q[o][l]);
      f.get(scalar.outs[j]);
      // The JS store: bool arrays get 0/1, others a TypedArray store's conversion.
      scalar.convert(kt, d === 'bool' && kt !== 'bool' ? 'bool' : d);
      f.mem(STORE[d]);
    }
    if (scanReg >= 0 && l === inner) {
      // The value as stored, read back as input 0 would read it.
      const d = p.dtypes[nin];
      const kt = k.outTypes[0];
      const stored = d === 'bool' && kt !== 'bool' ? 'bool' : d;
      f.get(scalar.outs[0]);
      scalar.convert(kt, stored);
      scalar.convert(stored, k.paramTypes[0]);
      f.set(scanReg);
    }
    if (masked) f.op('end');
  };

  const scalarLoop = (l: number, setCount: boolean) => {
    const c = count[l];
    if (setCount) f.get(ext(l)).set(c);
    if (scanReg >= 0 && l === inner) load(0, () => f.get(q[0][l]), k.paramTypes[0]);
    if (scanReg >= 0 && l === inner) f.set(scanReg);
    f.open('block');
    f.open('loop');
    f.get(c).op('i32.eqz').brIf(1);
    scalarBody(l);
    for (let o = 0; o < nops; o++) {
      if (classes[o] === '0') continue;
      f.get(q[o][l]).get(stride(o, l)).op('i32.add').set(q[o][l]);
    }
    f.get(c).i32(1).op('i32.sub').set(c);
    f.br(0);
    f.op('end');
    f.op('end');
  };

  const simdLoop = (l: number) => {
    const s = simd!;
    const ln = lane!;
    const c = count[l];
    // Broadcast inputs: one splat before the loop.
    const hoisted: number[] = [];
    for (let o = 0; o < nin; o++) {
      if (classes[o] !== '0') continue;
      hoisted[o] = f.local('v128');
      f.get(q[o][l]);
      f.mem(LOAD[t0][0]);
      f.op(`${ln.shape}.splat`);
      f.set(hoisted[o]);
    }
    f.get(ext(l)).set(c);
    f.open('block');
    f.open('loop');
    f.get(c).i32(ln.lanes).op('i32.lt_u').brIf(1);
    s.kernel(
      (i) => {
        if (classes[i] === '0') f.get(hoisted[i]);
        else f.get(q[i][l]).mem('v128.load', 0, Math.log2(ln.bytes));
      },
      (j, value) => {
        f.get(q[nin + j][l]);
        value();
        f.mem('v128.store', 0, Math.log2(ln.bytes));
      },
    );
    for (let o = 0; o < nops; o++) {
      if (classes[o] === '0') continue;
      f.get(q[o][l]).i32(16).op('i32.add').set(q[o][l]);
    }
    f.get(c).i32(ln.lanes).op('i32.sub').set(c);
    f.br(0);
    f.op('end');
    f.op('end');
    // The rest of the row, one element at a time.
    scalarLoop(l, false);
  };

  /**
   * One row of a reorderable (integer, not pairwise) reduction: ACCS vector accumulators
   * start from the row's first ACCS vectors and take every ACCS-th vector after; they are
   * combined pairwise ((a0 ⊕ a1) ⊕ (a2 ⊕ a3)), then their lanes pairwise, then that value is
   * folded into the output element, then the rest of the row (fewer than ACCS vectors) in
   * order. Rows shorter than ACCS vectors run in order from the start.
   */
  const reduceLoop = (l: number) => {
    const s = simd!;
    const ln = lane!;
    const c = count[l];
    const block = ACCS * ln.lanes;
    const align = Math.log2(ln.bytes);
    const accs = Array.from({ length: ACCS }, () => f.local('v128'));
    const x = q[1][l];
    f.get(ext(l)).set(c);
    f.get(c).i32(block).op('i32.ge_u');
    f.open('if');
    for (let a = 0; a < ACCS; a++)
      f.get(x)
        .mem('v128.load', 16 * a, align)
        .set(accs[a]);
    f.get(x)
      .i32(16 * ACCS)
      .op('i32.add')
      .set(x);
    f.get(c).i32(block).op('i32.sub').set(c);
    f.open('block');
    f.open('loop');
    f.get(c).i32(block).op('i32.lt_u').brIf(1);
    for (let a = 0; a < ACCS; a++) {
      s.apply2(
        () => f.get(accs[a]),
        () => f.get(x).mem('v128.load', 16 * a, align),
      );
      f.set(accs[a]);
    }
    f.get(x)
      .i32(16 * ACCS)
      .op('i32.add')
      .set(x);
    f.get(c).i32(block).op('i32.sub').set(c);
    f.br(0);
    f.op('end');
    f.op('end');
    // The accumulators pairwise into accs[0].
    for (let w = ACCS; w > 1; w >>= 1) {
      for (let a = 0; a < w / 2; a++) {
        s.apply2(
          () => f.get(accs[2 * a]),
          () => f.get(accs[2 * a + 1]),
        );
        f.set(accs[a]);
      }
    }
    // Then the lanes pairwise, as scalars of the kernel's type.
    const vt = LOAD[t0][1];
    const narrowLanes = ln.shape.startsWith('i8') || ln.shape.startsWith('i16');
    const ex = narrowLanes
      ? `${ln.shape}.extract_lane_${t0.startsWith('u') ? 'u' : 's'}`
      : `${ln.shape}.extract_lane`;
    let vals = Array.from({ length: ln.lanes }, (_, i) => {
      const v = f.local(vt);
      f.get(accs[0]).lane(ex, i).set(v);
      return v;
    });
    while (vals.length > 1) {
      const next: number[] = [];
      for (let i = 0; i < vals.length; i += 2) {
        const a = vals[i];
        const b = vals[i + 1];
        scalar.kernel((j) => f.get(j === 0 ? a : b));
        f.get(scalar.outs[0]).set(a);
        next.push(a);
      }
      vals = next;
    }
    // Into the output element: out = out ⊕ partial.
    scalar.kernel((j) => {
      if (j === 0) f.get(q[0][l]).mem(LOAD[t0][0]);
      else f.get(vals[0]);
    });
    f.get(q[2][l]);
    f.get(scalar.outs[0]);
    f.mem(STORE[t0]);
    f.op('end');
    // The rest of the row (or all of a short row), in order.
    scalarLoop(l, false);
  };

  // A run reduced pairwise: out = K(out, pw(run)), as the JS loop does it. `pw` is the
  // function after `run`; the kernel's imports are all registered before its index is taken
  // (imports come first in the function index space), and checked unchanged at the end.
  const pairwise = pairwiseRun(p, classes);
  let pw: { f: FuncBuilder; simd: string | null } | null = null;
  let pwIndex = -1;
  if (pairwise) {
    primeImports(p, imports);
    pwIndex = imports.list.length + 1;
    pw = emitPairwise(p, imports, pwIndex, allowSimd && classes[1] === '1');
  }
  const accReg = pairwise ? f.local(valType(k.outTypes[0])) : -1;
  const pairwiseCall = (l: number) => {
    const t = p.dtypes[nin];
    f.get(q[nin][l]).mem(LOAD[t][0]).set(accReg);
    f.get(ext(l));
    f.open('if');
    scalar.kernel((j) => {
      if (j === 0) f.get(accReg);
      else f.get(q[1][l]).get(stride(1, l)).get(ext(l)).call(pwIndex, 'pw');
    });
    f.get(scalar.outs[0]).set(accReg);
    f.op('end');
    f.get(q[nin][l]).get(accReg).mem(STORE[t]);
  };

  // Rows accumulated into one output row (a sum along axis 0 of a C array): blocks of rows
  // go into each output vector in turn (see `blockRows`).
  const rowBlocks =
    !!simd &&
    !reduceRow &&
    !pairwise &&
    !!p.accumulate &&
    nd >= 2 &&
    nin === 2 &&
    nout === 1 &&
    classes === '111';

  /**
   * Blocks of ROW_BLOCK rows of a reduction whose output row is the same for every row of
   * loop level l (operands 0 and 2 have stride 0 there, checked at run time): each output
   * vector is loaded once, folded with the ROW_BLOCK rows' vectors in row order and stored,
   * so every element sees exactly the JS loop's sequence out = K(out, a[i][j]) for i = 0, 1,
   * …, with a ROW_BLOCK-th of the output traffic. The rest of a row past the last whole
   * vector runs the same folds in scalar wasm; rows left over after the last block run the
   * ordinary row loop (the caller's).
   */
  const blockRows = (l: number) => {
    const s = simd!;
    const ln = lane!;
    const c = count[l];
    const align = Math.log2(ln.bytes);
    const bpe = STORAGE[t0].BYTES_PER_ELEMENT;
    const off = Array.from({ length: ROW_BLOCK }, () => f.local('i32'));
    const x = f.local('i32');
    const o = f.local('i32');
    const cc = f.local('i32');
    const acc = f.local('v128');
    const sacc = f.local(valType(k.outTypes[0]));
    const rowInput = (r: number) => {
      f.get(x);
      if (r > 0) f.get(off[r]).op('i32.add');
    };
    f.get(stride(0, l)).get(stride(2, l)).op('i32.or').op('i32.eqz');
    f.get(q[0][l]).get(q[2][l]).op('i32.eq').op('i32.and');
    f.open('if');
    for (let r = 1; r < ROW_BLOCK; r++) f.get(stride(1, l)).i32(r).op('i32.mul').set(off[r]);
    f.open('block');
    f.open('loop');
    f.get(c).i32(ROW_BLOCK).op('i32.lt_u').brIf(1);
    f.get(q[1][l]).set(x);
    f.get(q[0][l]).set(o);
    f.get(ext(inner)).set(cc);
    // Whole vectors of the output row.
    f.open('block');
    f.open('loop');
    f.get(cc).i32(ln.lanes).op('i32.lt_u').brIf(1);
    f.get(o).mem('v128.load', 0, align).set(acc);
    for (let r = 0; r < ROW_BLOCK; r++) {
      s.apply2(
        () => f.get(acc),
        () => {
          rowInput(r);
          f.mem('v128.load', 0, align);
        },
      );
      f.set(acc);
    }
    f.get(o).get(acc).mem('v128.store', 0, align);
    f.get(o).i32(16).op('i32.add').set(o);
    f.get(x).i32(16).op('i32.add').set(x);
    f.get(cc).i32(ln.lanes).op('i32.sub').set(cc);
    f.br(0);
    f.op('end');
    f.op('end');
    // The rest of the row, one element at a time.
    f.open('block');
    f.open('loop');
    f.get(cc).op('i32.eqz').brIf(1);
    load(0, () => f.get(o), k.paramTypes[0]);
    f.set(sacc);
    for (let r = 0; r < ROW_BLOCK; r++) {
      scalar.kernel((j) => {
        if (j === 0) f.get(sacc);
        else load(1, () => rowInput(r), k.paramTypes[1]);
      });
      f.get(scalar.outs[0]).set(sacc);
    }
    f.get(o).get(sacc).mem(STORE[t0]);
    f.get(o).i32(bpe).op('i32.add').set(o);
    f.get(x).i32(bpe).op('i32.add').set(x);
    f.get(cc).i32(1).op('i32.sub').set(cc);
    f.br(0);
    f.op('end');
    f.op('end');
    // Next block of rows.
    f.get(q[1][l]).get(stride(1, l)).i32(ROW_BLOCK).op('i32.mul').op('i32.add').set(q[1][l]);
    f.get(c).i32(ROW_BLOCK).op('i32.sub').set(c);
    f.br(0);
    f.op('end');
    f.op('end');
    f.op('end');
  };

  const level = (l: number) => {
    for (let o = 0; o < nops; o++) f.get(l === 0 ? ptr(o) : q[o][l - 1]).set(q[o][l]);
    if (l === inner) {
      if (pairwise) pairwiseCall(l);
      else if (simd && reduceRow) reduceLoop(l);
      else if (simd) simdLoop(l);
      else scalarLoop(l, true);
      return;
    }
    const c = count[l];
    f.get(ext(l)).set(c);
    if (rowBlocks && l === inner - 1) blockRows(l);
    f.open('block');
    f.open('loop');
    f.get(c).op('i32.eqz').brIf(1);
    level(l + 1);
    for (let o = 0; o < nops; o++) f.get(q[o][l]).get(stride(o, l)).op('i32.add').set(q[o][l]);
    f.get(c).i32(1).op('i32.sub').set(c);
    f.br(0);
    f.op('end');
    f.op('end');
  };
  level(0);
  const funcs = pw ? [f, pw.f] : [f];
  if (pw && imports.list.length + 1 !== pwIndex)
    throw new Error('internal: the pairwise kernel added imports after pw was numbered');
  const bytes = encodeModule(imports.list, funcs, 65536);
  return {
    bytes,
    imports,
    text: moduleText(imports.list, funcs),
    simd: pw ? pw.simd : simd ? lane!.shape : null,
    pairwise,
  };
}

/**
 * Whether the inner loop reduces a run the JS loop sums pairwise: exactly the conditions of
 * cpu/loops.ts `usesPairwise` (input 1 moves, the output does not, every kernel type is the
 * output's dtype), so both paths choose the same order for every plan.
 */
function pairwiseRun(p: WasmMapPlan, classes: string): boolean {
  const k = p.typed;
  const t = k.outTypes[0];
  return (
    !!p.pairwise &&
    !!p.accumulate &&
    !p.scan &&
    !p.hasMask &&
    p.S.length > 0 &&
    p.nin === 2 &&
    p.nout === 1 &&
    k.paramTypes.length === 2 &&
    k.outTypes.length === 1 &&
    classes[2] === '0' &&
    classes[1] !== '0' &&
    p.dtypes[2] === t &&
    k.paramTypes[0] === t &&
    k.paramTypes[1] === t
  );
}

/** Registers every import the kernel (and the load of a run element) needs. */
function primeImports(p: WasmMapPlan, imports: Imports): void {
  const k = p.typed;
  const f = new FuncBuilder('prime', [], []);
  const sc = new ScalarLowering(k, f, imports);
  sc.kernel((i) => {
    const v = valType(k.paramTypes[i]);
    if (v === 'f64') f.f64(0);
    else if (v === 'f32') f.f32(0);
    else f.i32(0);
  });
  sc.convert(p.dtypes[1], k.paramTypes[1]);
}

/**
 * `pw(x, st, n)`: the kernel K folded over the n >= 1 run elements at byte addresses
 * x + i*st, in the JS loop's order (cpu/loops.ts `pairwiseSource`, a port of NumPy's
 * `pairwise_sum`): n < 8 in order; n <= 128 with eight partials p0..p7 started from the
 * first eight elements, p_j = K(p_j, a[i+j]) for each further block of eight, combined as
 * ((p0 ⊕ p1) ⊕ (p2 ⊕ p3)) ⊕ ((p4 ⊕ p5) ⊕ (p6 ⊕ p7)), then the last n % 8 in order; longer
 * runs split at h = n/2 rounded down to a multiple of 8, each half by a recursive call, and
 * K(left, right). K's argument order is the JS loop's everywhere (it matters for NaN
 * payloads and kernels that are not symmetric in their bits).
 *
 * With `simdOk` (a unit-stride run of the kernel's own dtype and a kernel that lowers to
 * lanes) the partials live in vectors: f64x2 ×4 hold (p0,p1) … (p6,p7), f32x4 ×2 hold
 * (p0..p3), (p4..p7), so one lane-wise K over eight consecutive elements is exactly the
 * eight scalar steps; the lanes are extracted into p0..p7 before the combination.
 */
function emitPairwise(
  p: WasmMapPlan,
  imports: Imports,
  self: number,
  simdOk: boolean,
): { f: FuncBuilder; simd: string | null } {
  const k = p.typed;
  const t = k.outTypes[0] as DType;
  const T = valType(t);
  const d = p.dtypes[1];
  const f = new FuncBuilder('pw', ['i32', 'i32', 'i32'], [T]);
  const X = 0;
  const ST = 1;
  const N = 2;
  const sc = new ScalarLowering(k, f, imports);
  const lane = simdOk && d === t ? LANES[t] : undefined;
  const vec = lane ? new SimdLowering(k, f, t) : null;
  const r = f.local(T);
  const y = f.local('i32');
  const c = f.local('i32');
  const m = f.local('i32');
  const ps = Array.from({ length: 8 }, () => f.local(T));
  const load = () => {
    f.get(y).mem(LOAD[d][0]);
    sc.convert(d, t);
  };
  /** dst = K(a, b). */
  const K = (a: () => void, b: () => void, dst: number) => {
    sc.kernel((j) => (j === 0 ? a() : b()));
    f.get(sc.outs[0]).set(dst);
  };
  const step = () => f.get(y).get(ST).op('i32.add').set(y);
  /** while (c > 0) { r = K(r, *y); y += st; c-- } */
  const inOrder = () => {
    f.open('block');
    f.open('loop');
    f.get(c).op('i32.eqz').brIf(1);
    K(() => f.get(r), load, r);
    step();
    f.get(c).i32(1).op('i32.sub').set(c);
    f.br(0);
    f.op('end');
    f.op('end');
  };

  // n < 8: in order.
  f.get(N).i32(8).op('i32.lt_u');
  f.open('if');
  f.get(X).set(y);
  load();
  f.set(r);
  step();
  f.get(N).i32(1).op('i32.sub').set(c);
  inOrder();
  f.get(r).op('return');
  f.op('end');

  // n <= 128: eight partials.
  f.get(N).i32(128).op('i32.le_u');
  f.open('if');
  f.get(N).get(N).i32(7).op('i32.and').op('i32.sub').set(m);
  let accs: number[] = [];
  if (vec && lane) {
    const align = Math.log2(lane.bytes);
    accs = Array.from({ length: 8 / lane.lanes }, () => f.local('v128'));
    accs.forEach((v, a) => {
      f.get(X)
        .mem('v128.load', 16 * a, align)
        .set(v);
    });
    f.get(X)
      .i32(16 * accs.length)
      .op('i32.add')
      .set(y);
    f.i32(8).set(c);
    f.open('block');
    f.open('loop');
    f.get(c).get(m).op('i32.ge_u').brIf(1);
    accs.forEach((v, a) => {
      vec.apply2(
        () => f.get(v),
        () => f.get(y).mem('v128.load', 16 * a, align),
      );
      f.set(v);
    });
    f.get(y)
      .i32(16 * accs.length)
      .op('i32.add')
      .set(y);
    f.get(c).i32(8).op('i32.add').set(c);
    f.br(0);
    f.op('end');
    f.op('end');
    ps.forEach((pj, j) => {
      f.get(accs[Math.floor(j / lane.lanes)]).lane(`${lane.shape}.extract_lane`, j % lane.lanes);
      f.set(pj);
    });
  } else {
    f.get(X).set(y);
    for (const pj of ps) {
      load();
      f.set(pj);
      step();
    }
    f.i32(8).set(c);
    f.open('block');
    f.open('loop');
    f.get(c).get(m).op('i32.ge_u').brIf(1);
    for (const pj of ps) {
      K(() => f.get(pj), load, pj);
      step();
    }
    f.get(c).i32(8).op('i32.add').set(c);
    f.br(0);
    f.op('end');
    f.op('end');
  }
  const [p0, p1, p2, p3, p4, p5, p6, p7] = ps;
  const pair = (a: number, b: number, dst: number) =>
    K(
      () => f.get(a),
      () => f.get(b),
      dst,
    );
  pair(p0, p1, p0);
  pair(p2, p3, p2);
  pair(p4, p5, p4);
  pair(p6, p7, p6);
  pair(p0, p2, p0);
  pair(p4, p6, p4);
  pair(p0, p4, r);
  // y is at element m here; the last n % 8 in order.
  f.get(N).get(m).op('i32.sub').set(c);
  inOrder();
  f.get(r).op('return');
  f.op('end');

  // n > 128: h = (n >> 1) - (n >> 1) % 8, pw(0, h) ⊕ pw(h, n).
  f.get(N).i32(1).op('i32.shr_u').set(m);
  f.get(m).get(m).i32(7).op('i32.and').op('i32.sub').set(m);
  f.get(X).get(ST).get(m).call(self, 'pw').set(r);
  f.get(X).get(m).get(ST).op('i32.mul').op('i32.add').get(ST).get(N).get(m).op('i32.sub');
  f.call(self, 'pw').set(p0);
  pair(r, p0, r);
  f.get(r);
  return { f, simd: vec && lane ? lane.shape : null };
}

/**
 * Runs an elementwise plan on wasm when its operands live on the heap and the kernel
 * lowers; returns false (the caller runs the JS loop) otherwise, recording why.
 */
export function runWasmMap(p: WasmMapPlan): boolean {
  const heap = existingHeap();
  if (!heap) return false;
  const refused = wasmRefused();
  if (refused !== undefined) {
    last.set(p.typed, `js: ${refused}`);
    return false;
  }
  const slower = wasmConfig.costRule ? jsFasterReason(p.typed) : undefined;
  if (slower !== undefined) {
    last.set(p.typed, `js: ${slower}`);
    return false;
  }
  const nops = p.D.length;
  const nd = p.N.length;
  // A view reaching outside its TypedArray reads undefined (NaN) in JS and drops its writes;
  // on wasm it would touch a neighbouring heap block: such calls stay on the JS loops.
  for (let o = 0; o < nops; o++) {
    let lo = p.P[o];
    let hi = lo;
    for (let l = 0; l < nd; l++) {
      const span = (p.N[l] - 1) * (p.S.length === 0 ? 1 : p.S[o * nd + l]);
      if (span < 0) lo += span;
      else hi += span;
    }
    if (lo < 0 || hi >= p.D[o].length) {
      last.set(p.typed, `js: operand ${o}'s view reaches outside its buffer`);
      return false;
    }
  }
  // Small operands off the heap (0-d scalars, short broadcast rows, a reduction's small
  // result) are copied onto it, and outputs copied back after the call. Operands sharing one
  // TypedArray (a reduction's accumulator is input 0 and output 0) share one copy.
  let temps: Map<TypedArray, TypedArray> | undefined;
  let D = p.D;
  for (let o = 0; o < nops; o++) {
    const src = p.D[o];
    if (heap.owns(src)) continue;
    if (src.byteLength > SMALL_COPY) {
      last.set(
        p.typed,
        `js: operand ${o} is a ${src.length}-element array outside the numbats heap`,
      );
      if (temps) for (const t of temps.values()) heap.free(t);
      return false;
    }
    temps ??= new Map();
    let copy = temps.get(src);
    if (!copy) {
      copy = heap.alloc(p.dtypes[o], src.length);
      copy.set(src as never);
      temps.set(src, copy);
    }
    if (D === p.D) D = p.D.slice();
    (D as TypedArray[])[o] = copy;
  }
  try {
    const loop = wasmLoop(p);
    if (!loop.run) {
      last.set(p.typed, `js: ${loop.reason}`);
      return false;
    }
    const args: number[] = new Array(nops + nd + nops * nd);
    for (let o = 0; o < nops; o++) {
      const d = D[o];
      const bpe = STORAGE[p.dtypes[o]].BYTES_PER_ELEMENT;
      args[o] = d.byteOffset + p.P[o] * bpe;
      for (let l = 0; l < nd; l++)
        args[nops + nd + o * nd + l] = (p.S.length === 0 ? 1 : p.S[o * nd + l]) * bpe;
    }
    for (let l = 0; l < nd; l++) args[nops + l] = p.N[l];
    loop.run(...args);
    last.set(
      p.typed,
      `wasm: ${loop.simd ? `SIMD ${loop.simd}` : 'scalar'}${loop.pairwise ? ' pairwise' : ''} loop ${loop.key}`,
    );
    return true;
  } finally {
    if (temps) {
      for (let o = p.nin; o < p.nin + p.nout; o++) {
        const copy = temps.get(p.D[o]);
        if (copy) (p.D[o] as TypedArray).set(copy as never);
      }
      for (const t of temps.values()) heap.free(t);
    }
  }
}

/** Which path the kernel's last large call took, and why (for `inspect`). */
export function lastWasmPath(k: TypedKernel): string | undefined {
  return lastByKernel.get(k);
}

/** The path of the last large call of any kernel (tests use it). */
export function lastPathOfAnyCall(): string {
  return lastAny;
}

/** Records the path a call took, in full (a gufunc's, or the `parallel` target's calls, on wasm or not). */
export function notePath(k: TypedKernel, path: string): void {
  last.set(k, path);
}

/** Records a reason the JS loop ran (a caller-side condition, like the operands' size). */
export function noteJsPath(k: TypedKernel, reason: string): void {
  last.set(k, `js: ${reason}`);
}

/** The wasm loops compiled for a kernel so far. */
export function wasmLoops(k: TypedKernel): readonly WasmLoop[] {
  return [...(cache.peek(k)?.values() ?? [])];
}
