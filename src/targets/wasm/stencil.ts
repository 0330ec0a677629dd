/**
 * Stencil interiors on WebAssembly. The interior band of a call (the cells none of whose
 * reads leaves the array) is a loop nest in one module per (kernel typing, number of loop
 * levels, innermost stride class of each operand, dtypes); every read `u(-1, 0)` there is a
 * load at the cell's address plus a byte delta the caller computes once per call from the
 * strides, so one module serves every axis order, view and shape. The innermost loop is SIMD
 * (f64x2, f32x4, i32x4, i16x8, i8x16) when every operand is unit-stride along it, the arrays
 * share one dtype and the kernel is branch-free or its conditionals become `bitselect`;
 * otherwise it is a scalar wasm loop. The border bands (where reads are remapped by the
 * boundary mode, or cells filled with `cval`) stay on the `cpu` target's JS loop, generated
 * without its interior. Results equal the JS loop's bit for bit.
 *
 * Reads at computed offsets (`u(i, 0)`, checked at run time) keep the whole call on the JS
 * loop. This module depends on the typed IR and plain plan data only (no kind imports it
 * back).
 */

import type { TypedKernel } from '../../compiler/ir.js';
import { type DType, STORAGE } from '../../core/dtypes.js';
import { existingHeap, type Heap } from '../../core/heap.js';
import { OwnedCaches } from '../../core/spec-cache.js';
import type { RelData, WasmStencilPlan } from '../../plan/stencil.js';
import { encodeModule, FuncBuilder, moduleText, type ValType } from './encode.js';
import {
  type ExtExpr,
  Imports,
  LANES,
  NotLowerable,
  NotSimd,
  ScalarLowering,
  SimdLowering,
  valType,
} from './lower.js';
import { CODES, instantiateLoop, LOAD, STORE } from './map.js';
import {
  isChunked,
  type RowGroup,
  rowRead,
  stencilTuning as tuning,
  tuningKey,
} from './stencil-rows.js';

/** A compiled interior module, or why there is none. */
export interface WasmStencilLoop {
  readonly key: string;
  run?: (...args: number[]) => void;
  /** Why the JS loop runs the interior instead (no `run`). */
  reason?: string;
  /** The SIMD shape of the innermost loop, or null for a scalar wasm loop. */
  readonly simd: string | null;
  readonly text: string;
  /** The compiled module (the `parallel` workers instantiate it on the same memory). */
  module?: WebAssembly.Module;
  /** Milliseconds to emit the binary and to compile + instantiate it. */
  readonly emitMs: number;
  compileMs: number;
  readonly bytes: number;
}

const cache = new OwnedCaches<TypedKernel, string, WasmStencilLoop>();
const lastPath = new WeakMap<TypedKernel, string>();
let lastAny = '';

/** The key of a read: parameter and constant offsets. */
function siteKey(d: RelData): string {
  return `${d.param}:${d.offsets.join(',')}`;
}

const sitesOf = new WeakMap<TypedKernel, RelData[]>();

/** The distinct reads of a plan, in its order (per kernel); computed offsets are not lowered. */
function distinctSites(p: WasmStencilPlan): RelData[] {
  let out = sitesOf.get(p.typed);
  if (!out) {
    out = findSites(p);
    sitesOf.set(p.typed, out);
  }
  return out;
}

function findSites(p: WasmStencilPlan): RelData[] {
  const seen = new Set<string>();
  const out: RelData[] = [];
  for (const s of p.sites) {
    if (s.offsets.includes(null))
      throw new NotLowerable('a read at a computed offset (checked at run time on the JS loop)');
    const key = siteKey(s);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

/** '1': unit stride along the innermost level, 'n': any other. */
function innerClasses(p: WasmStencilPlan): string {
  const nd = p.N.length;
  let s = '';
  for (let o = 0; o <= p.nin; o++) s += p.S[o * nd + nd - 1] === 1 ? '1' : 'n';
  return s;
}

/** The loop module for a plan (built on first use and cached per kernel and key). */
export function wasmStencilLoop(p: WasmStencilPlan): WasmStencilLoop {
  const nd = p.N.length;
  const classes = innerClasses(p);
  // The innermost axis fixes which offsets are immediates in SIMD rows.
  let key = `${nd}|${classes}|`;
  for (const d of p.dtypes) key += CODES[d];
  if (nd > 1) key += `|a${p.perm[nd - 1]}`;
  key += tuningKey();
  return cache.of(p.typed).get(key, () => buildStencilLoop(p, classes, key, existingHeap()!));
}

function buildStencilLoop(
  p: WasmStencilPlan,
  classes: string,
  key: string,
  heap: Heap,
): WasmStencilLoop {
  const t0 = performance.now();
  let emitted: ReturnType<typeof emitStencil>;
  try {
    try {
      emitted = emitStencil(p, classes, true);
    } catch (e) {
      if (!(e instanceof NotSimd)) throw e;
      emitted = emitStencil(p, classes, false);
    }
  } catch (e) {
    if (!(e instanceof NotLowerable)) throw e;
    const why = e.message;
    return { key, reason: why, simd: null, text: '', emitMs: 0, compileMs: 0, bytes: 0 };
  }
  const { bytes, imports, text, simd } = emitted;
  const base = { key, simd, text, emitMs: performance.now() - t0, bytes: bytes.length };
  return instantiateLoop<typeof base, (...a: number[]) => void>(base, bytes, imports, heap);
}

/**
 * The module: `run(base…, count…, stride…, delta…, scalar…)` with, per operand (inputs, then
 * the output), the byte address of its first interior cell; per level, the interior's length;
 * byte strides `[operand][level]`; the byte delta of each distinct read; and the number
 * parameters (f64 for weak numbers, i32 for booleans).
 */
export function emitStencil(
  p: WasmStencilPlan,
  classes: string,
  allowSimd: boolean,
): { bytes: Uint8Array; imports: Imports; text: string; simd: string | null } {
  const k = p.typed;
  const nd = p.N.length;
  const nops = p.nin + 1;
  const out = p.nin;
  for (const d of p.dtypes)
    if (d === 'uint8_clamped') throw new NotLowerable('uint8_clamped arrays');
  const sites = distinctSites(p);
  const siteIndex = new Map(sites.map((s, i) => [siteKey(s), i]));
  const scalars = [...p.scalarOf.entries()].sort((x, y) => x[1] - y[1]).map(([param]) => param);
  const params: ValType[] = new Array<ValType>(nops + nd + nops * nd + sites.length).fill('i32');
  for (const param of scalars) params.push(valType(k.paramTypes[param]));
  const f = new FuncBuilder('run', params, []);
  const imports = new Imports();
  const baseOf = (o: number) => o;
  const countOf = (l: number) => nops + l;
  const strideOf = (o: number, l: number) => nops + nd + o * nd + l;
  const deltaOf = (i: number) => nops + nd + nops * nd + i;
  const scalarOf = (j: number) => nops + nd + nops * nd + sites.length + j;
  const q: number[][] = Array.from({ length: nops }, () =>
    Array.from({ length: nd }, () => f.local('i32')),
  );
  const count: number[] = Array.from({ length: nd }, () => f.local('i32'));
  const inner = nd - 1;
  const top = f.mark();

  /** Pushes the address of a read in the current innermost cell; returns its dtype. */
  const address = (e: ExtExpr): DType => {
    if (e.op !== 'rel') throw new NotLowerable(`kernel construct '${e.op}'`);
    const data = e.data as RelData;
    const i = siteIndex.get(siteKey(data));
    if (i === undefined) throw new NotLowerable('a read the plan does not list');
    const o = p.operandOf.get(data.param)!;
    f.get(q[o][inner]).get(deltaOf(i)).op('i32.add');
    return p.dtypes[o];
  };
  const scalar = new ScalarLowering(k, f, imports, (e) => {
    f.mem(LOAD[address(e)][0]);
  });

  let simd: SimdLowering | null = null;
  const t = p.dtypes[0];
  const lane = LANES[t];
  // SIMD rows: the reads of one operand that differ only along the innermost axis (one row
  // of a 2-D neighborhood) share a pointer, bumped once per step, and their offsets along the
  // row are known here (unit stride), so each is the load's immediate offset. A row of two
  // or more reads (u(0,-1), u(0,0), u(0,1)) is "chunked" when its pointer is 16-byte aligned
  // at run time: each aligned 16-byte chunk is loaded once per unrolled iteration and the
  // reads are byte shuffles of two neighbouring chunks (see `rowRead`).
  const groups: RowGroup[] = [];
  const groupOf: { group: number; imm: number }[] = [];
  /** Bytes into the current SIMD step of the unrolled body (a multiple of 16). */
  let step = 0;
  /** True while the aligned (chunked) body is emitted. */
  let chunkedBody = false;
  if (allowSimd && !classes.includes('n') && lane && p.dtypes.every((d) => d === t)) {
    const align = Math.log2(lane.bytes);
    const innerAxis = p.perm[inner];
    const byRow = new Map<string, number>();
    sites.forEach((site, i) => {
      const o = p.operandOf.get(site.param)!;
      const v = site.offsets[innerAxis] as number;
      const row = `${o}:${site.offsets.map((x, a) => (a === innerAxis ? '' : x)).join(',')}`;
      let g = byRow.get(row);
      if (g === undefined) {
        g = groups.length;
        byRow.set(row, g);
        groups.push({
          site: i,
          o,
          min: v,
          reads: 0,
          bias: 0,
          ptr: f.local('i32'),
          chunks: new Map(),
        });
      }
      groups[g].min = Math.min(groups[g].min, v);
      groups[g].reads++;
      groupOf[i] = { group: g, imm: v };
    });
    // Aligning the output, a chunked row's pointer sits `bias` bytes before its smallest
    // offset, on the 16-byte grid of the output's cells (for inputs laid out like it).
    if (tuning.rowChunks && tuning.peel === 'output')
      for (const g of groups) if (isChunked(g)) g.bias = (g.min * lane.bytes) & 15;
    for (const g of groupOf) {
      const row = groups[g.group];
      g.imm = (g.imm - row.min) * lane.bytes + row.bias;
    }
    // Number parameters: their value cast to `t` (as the kernel's cast nodes do), in lanes,
    // set once at the top.
    const params = new Map<number, number>();
    scalars.forEach((param, j) => {
      const v = f.local('v128');
      f.get(scalarOf(j));
      scalar.convert(k.paramTypes[param], k.localTypes[param]);
      scalar.convert(k.localTypes[param], t);
      f.op(`${lane.shape}.splat`).set(v);
      params.set(param, v);
    });
    simd = new SimdLowering(k, f, t, {
      params,
      ext: (e) => {
        if (e.op !== 'rel') throw new NotLowerable(`kernel construct '${e.op}'`);
        const i = siteIndex.get(siteKey(e.data as RelData));
        if (i === undefined) throw new NotLowerable('a read the plan does not list');
        const { group, imm } = groupOf[i];
        const g = groups[group];
        if (chunkedBody && isChunked(g)) rowRead(f, g, imm + step);
        else f.get(g.ptr).mem('v128.load', imm + step, align);
      },
      storesTo: t,
      hoistConstants: true,
    });
  }

  const cell = () => {
    scalar.kernel((i) => f.get(scalarOf(scalars.indexOf(i))));
    const d = p.dtypes[out];
    const kt = k.outTypes[0];
    f.get(q[out][inner]);
    f.get(scalar.outs[0]);
    // The JS store: bool arrays get 0/1, others a TypedArray store's conversion.
    scalar.convert(kt, d === 'bool' && kt !== 'bool' ? 'bool' : d);
    f.mem(STORE[d]);
  };

  /** The rest of a row (all of it without SIMD), one cell at a time. */
  const scalarLoop = () => {
    const c = count[inner];
    f.open('block');
    f.open('loop');
    f.get(c).op('i32.eqz').brIf(1);
    cell();
    for (let o = 0; o < nops; o++)
      f.get(q[o][inner]).get(strideOf(o, inner)).op('i32.add').set(q[o][inner]);
    f.get(c).i32(1).op('i32.sub').set(c);
    f.br(0);
    f.op('end');
    f.op('end');
  };

  /**
   * The SIMD part of a row. With `tuning.peel`, when the output's pointer (or the first
   * chunked row's) is not 16-byte aligned, one step of `lanes` cells with a load per read,
   * then every pointer moves on only to the next aligned cell (the next step writes some
   * cells again, with the same values: inputs never overlap the output here). Then steps
   * of `lanes` cells, unrolled `tuning.unroll` times while they fit, then one step at a
   * time, then the scalar loop for the rest of the row. The row-group pointers start at
   * the row's first SIMD cell (biased by the group's smallest offset); the inputs' own
   * pointers skip the cells done here afterwards. When every chunked row's pointer is
   * aligned, the body with chunked rows runs, else the body of one load per read (same
   * results).
   */
  const simdLoop = (s: SimdLowering, ln: NonNullable<typeof lane>) => {
    const c = count[inner];
    const bpe = ln.bytes;
    const unroll = Math.max(1, tuning.unroll);
    const chunked = tuning.rowChunks ? groups.filter(isChunked) : [];
    const groupPointers = () => {
      for (const g of groups) {
        const site = sites[g.site];
        const v = site.offsets[p.perm[inner]] as number;
        // q + delta(site) is the site's address; minus its own row offset plus the group's
        // smallest one.
        f.get(q[g.o][inner]).get(deltaOf(g.site)).op('i32.add');
        const shift = (g.min - v) * bpe - g.bias;
        if (shift !== 0) f.i32(shift).op('i32.add');
        f.set(g.ptr);
      }
    };
    /** One step of `lanes` cells at `step` bytes from the pointers. */
    const simdStep = () =>
      s.kernel(
        () => {
          throw new Error('internal: a stencil kernel with SIMD has no number parameters');
        },
        (_j, value) => {
          f.get(q[out][inner]);
          value();
          f.mem('v128.store', step, Math.log2(bpe));
        },
      );
    if (tuning.peel) {
      const n = f.local('i32');
      f.open('block');
      f.get(c).i32(ln.lanes).op('i32.lt_u').brIf(0);
      groupPointers();
      // (-address mod 16) bytes to the next aligned cell.
      f.i32(0)
        .get(chunked.length && tuning.peel === 'row' ? chunked[0].ptr : q[out][inner])
        .op('i32.sub')
        .i32(15)
        .op('i32.and')
        .tee(n)
        .op('i32.eqz')
        .brIf(0);
      step = 0;
      simdStep();
      for (let o = 0; o < nops; o++) f.get(q[o][inner]).get(n).op('i32.add').set(q[o][inner]);
      f.get(c).get(n);
      if (bpe > 1) f.i32(Math.log2(bpe)).op('i32.shr_u');
      f.op('i32.sub').set(c);
      f.op('end');
    }
    const c0 = f.local('i32');
    f.get(c).set(c0);
    groupPointers();
    const body = (steps: number, loop: boolean) => {
      f.open('block');
      f.open('loop');
      f.get(c)
        .i32(ln.lanes * steps)
        .op('i32.lt_u')
        .brIf(1);
      for (const g of groups) g.chunks.forEach((x) => void (x.loaded = false));
      for (let u = 0; u < steps; u++) {
        step = 16 * u;
        simdStep();
      }
      step = 0;
      for (const g of groups)
        f.get(g.ptr)
          .i32(16 * steps)
          .op('i32.add')
          .set(g.ptr);
      f.get(q[out][inner])
        .i32(16 * steps)
        .op('i32.add')
        .set(q[out][inner]);
      f.get(c)
        .i32(ln.lanes * steps)
        .op('i32.sub')
        .set(c);
      if (loop) f.br(0);
      f.op('end');
      f.op('end');
    };
    const bodies = () => {
      if (unroll > 1) body(unroll, true);
      // After the unrolled loop, fewer than `unroll` steps are left.
      body(1, unroll !== 2);
    };
    if (chunked.length) {
      f.get(chunked[0].ptr);
      for (let i = 1; i < chunked.length; i++) f.get(chunked[i].ptr).op('i32.or');
      f.i32(15).op('i32.and').op('i32.eqz');
      f.open('if');
      chunkedBody = true;
      bodies();
      chunkedBody = false;
      f.op('else');
      bodies();
      f.op('end');
    } else bodies();
    // The inputs' pointers move past the cells done (c0 - c of them).
    for (let o = 0; o < p.nin; o++) {
      f.get(q[o][inner]);
      f.get(c0).get(c).op('i32.sub');
      if (bpe > 1) f.i32(Math.log2(bpe)).op('i32.shl');
      f.op('i32.add').set(q[o][inner]);
    }
    scalarLoop();
  };

  /** Inside a strip (see `strips`): its start pointers per operand and its cell count. */
  let strip: { readonly starts: number[]; readonly n: number } | null = null;
  const level = (l: number) => {
    if (tuning.strip > 0 && nd >= 2 && l === nd - 2 && strip === null) {
      strips(l);
      return;
    }
    for (let o = 0; o < nops; o++) {
      f.get(strip && l === nd - 2 ? strip.starts[o] : l === 0 ? baseOf(o) : q[o][l - 1]);
      f.set(q[o][l]);
    }
    const c = count[l];
    f.get(strip && l === inner ? strip.n : countOf(l)).set(c);
    if (l === inner) {
      if (simd && lane) simdLoop(simd, lane);
      else scalarLoop();
      return;
    }
    f.open('block');
    f.open('loop');
    f.get(c).op('i32.eqz').brIf(1);
    level(l + 1);
    for (let o = 0; o < nops; o++) f.get(q[o][l]).get(strideOf(o, l)).op('i32.add').set(q[o][l]);
    f.get(c).i32(1).op('i32.sub').set(c);
    f.br(0);
    f.op('end');
    f.op('end');
  };
  /**
   * Level `l` (the rows) run once per strip of `tuning.strip` bytes of the output's rows
   * (a multiple of 16 cells): the rows a neighborhood reads then stay in the L1 cache from
   * one row to the next, instead of coming back from L2 or memory. Cells are independent
   * (inputs never overlap the output here), so the order changes no result.
   */
  const strips = (l: number) => {
    const bpe = STORAGE[p.dtypes[out]].BYTES_PER_ELEMENT;
    const w = Math.max(16, Math.floor(tuning.strip / bpe / 16) * 16);
    const starts = Array.from({ length: nops }, () => f.local('i32'));
    const rest = f.local('i32');
    const n = f.local('i32');
    for (let o = 0; o < nops; o++) f.get(l === 0 ? baseOf(o) : q[o][l - 1]).set(starts[o]);
    f.get(countOf(inner)).set(rest);
    f.open('block');
    f.open('loop');
    f.get(rest).op('i32.eqz').brIf(1);
    f.i32(w).get(rest).i32(w).get(rest).op('i32.lt_u').op('select').set(n);
    strip = { starts, n };
    level(l);
    strip = null;
    for (let o = 0; o < nops; o++)
      f.get(starts[o]).get(n).get(strideOf(o, inner)).op('i32.mul').op('i32.add').set(starts[o]);
    f.get(rest).get(n).op('i32.sub').set(rest);
    f.br(0);
    f.op('end');
    f.op('end');
  };
  level(0);
  if (simd) {
    const s = simd;
    f.insertAt(top, (g) => s.emitHoisted(g));
  }
  const bytes = encodeModule(imports.list, [f], 65536);
  return {
    bytes,
    imports,
    text: moduleText(imports.list, [f]),
    simd: simd && lane ? lane.shape : null,
  };
}

/** The interior of a call as its module runs it: the loop and `run`'s arguments. */
export interface WasmStencilCall {
  readonly loop: WasmStencilLoop;
  /** `run`'s arguments; null when the interior is empty (the module must not be called). */
  readonly args: number[] | null;
}

/**
 * The loop and arguments of a call's interior when every operand lives on the heap and the
 * kernel lowers, or why the JS loop must run the whole call. The `parallel` target calls it
 * once per row band (a plan whose rows are the band's), so every band runs the very module
 * the `cpu` target runs.
 */
export function wasmStencilCall(p: WasmStencilPlan): WasmStencilCall | string {
  const heap = existingHeap();
  if (!heap) return 'no heap';
  const nd = p.N.length;
  const nops = p.nin + 1;
  if (nd === 0) return 'a 0-d call has no loop';
  for (let o = 0; o < nops; o++) {
    if (!heap.owns(p.D[o]))
      return `${o === p.nin ? 'the output' : `input ${o}`} is outside the heap`;
    // A view reaching outside its TypedArray reads undefined (NaN) in JS and drops its
    // writes; on wasm it would touch a neighbouring heap block.
    let lo = p.P[o];
    let hi = lo;
    for (let l = 0; l < nd; l++) {
      const span = (p.N[l] - 1) * p.S[o * nd + l];
      if (span < 0) lo += span;
      else hi += span;
    }
    if (lo < 0 || hi >= p.D[o].length) return `operand ${o}'s view reaches outside its buffer`;
  }
  const loop = wasmStencilLoop(p);
  if (!loop.run) return loop.reason ?? 'no wasm loop';
  const sites = distinctSites(p);
  const levelOf: number[] = [];
  p.perm.forEach((a, l) => {
    levelOf[a] = l;
  });
  const args: number[] = [];
  let empty = false;
  for (let o = 0; o < nops; o++) {
    let first = p.P[o];
    for (let l = 0; l < nd; l++) first += p.R[2 * l] * p.S[o * nd + l];
    args.push(p.D[o].byteOffset + first * STORAGE[p.dtypes[o]].BYTES_PER_ELEMENT);
  }
  for (let l = 0; l < nd; l++) {
    const n = p.R[2 * l + 1] - p.R[2 * l];
    if (n <= 0) empty = true;
    args.push(n);
  }
  for (let o = 0; o < nops; o++) {
    const bpe = STORAGE[p.dtypes[o]].BYTES_PER_ELEMENT;
    for (let l = 0; l < nd; l++) args.push(p.S[o * nd + l] * bpe);
  }
  for (const s of sites) {
    const o = p.operandOf.get(s.param)!;
    let delta = 0;
    s.offsets.forEach((v, a) => {
      delta += (v as number) * p.S[o * nd + levelOf[a]];
    });
    args.push(delta * STORAGE[p.dtypes[o]].BYTES_PER_ELEMENT);
  }
  for (const [, j] of [...p.scalarOf.entries()].sort((x, y) => x[1] - y[1])) args.push(p.A[j]);
  // An empty interior (an axis no longer than the neighborhood) leaves every cell to the
  // border loop; the module is not called (its bases may point past the array).
  return { loop, args: empty ? null : args };
}

/**
 * Runs the interior of a stencil call on wasm when every operand lives on the heap and the
 * kernel lowers; returns false (the caller's JS loop then runs the whole call) otherwise,
 * recording why. On true, the caller runs the border bands only.
 */
export function runWasmStencil(p: WasmStencilPlan): boolean {
  if (!existingHeap()) return false;
  const call = wasmStencilCall(p);
  if (typeof call === 'string') return note(p.typed, call);
  const { loop, args } = call;
  if (args) loop.run!(...args);
  record(
    p.typed,
    `wasm interior: ${loop.simd ? `SIMD ${loop.simd}` : 'scalar'} loop ${loop.key}; border bands on the JS loop`,
  );
  return true;
}

/** Records the path a call of `k` took (the `parallel` target's stencil calls record theirs). */
export function recordStencilPath(k: TypedKernel, path: string): void {
  record(k, path);
}

function record(k: TypedKernel, path: string): void {
  lastPath.set(k, path);
  lastAny = path;
}

function note(k: TypedKernel, reason: string): false {
  record(k, `js: ${reason}`);
  return false;
}

/** The path of the last large stencil call of any kernel (tests use it). */
export function lastStencilPathOfAnyCall(): string {
  return lastAny;
}

/** Records a reason the JS loop ran the whole call (a caller-side condition, like its size). */
export function noteJsStencil(k: TypedKernel, reason: string): void {
  note(k, reason);
}

/** Which path the kernel's last large call took, and why (for `inspect`). */
export function lastWasmStencilPath(k: TypedKernel): string | undefined {
  return lastPath.get(k);
}

/** The wasm loops compiled for a kernel so far. */
export function wasmStencilLoops(k: TypedKernel): readonly WasmStencilLoop[] {
  return [...(cache.peek(k)?.values() ?? [])];
}
