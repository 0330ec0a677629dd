/**
 * Generates a gufunc's `cpu` loop: a nest over the (planned) loop dims whose body is the
 * kernel, inlined, with each view lowered onto its operand's TypedArray. One function per
 * (kernel, array dtypes, loop depth, core stride classes), built with `new Function`.
 *
 * The function takes (D, P, N, S, C): data arrays and start offsets per operand (inputs,
 * then outputs), loop extents (outer→inner), loop strides (flattened [op][level]), and C:
 * the size of every core dim label, then every operand's core strides. Everything the body
 * needs lives in locals, so an iteration allocates nothing.
 */

import { HELPERS } from '../../compiler/emit-js.js';
import {
  call,
  decl,
  index,
  type LExpr,
  type LStmt,
  line,
  loop,
  mul,
  num,
  sum,
  v,
} from '../../compiler/loops.js';
import { compileGenerated } from '../../core/codegen.js';
import type { DType } from '../../core/dtypes.js';
import { IndexError } from '../../core/errors.js';
import type { GufuncLayout, TypedGufunc } from '../../plan/gufunc.js';
import { printLoops } from '../../targets/cpu/lower-loops.js';
import { type ViewPlace, viewLowering } from './views.js';

/** How a core stride is indexed: `0` adds nothing (stride 0, or extent ≤ 1), `1` adds `i`, `n` adds `i*t`. */
export type StrideClass = '0' | '1' | 'n';

export interface GufuncLoopSpec {
  readonly layout: GufuncLayout;
  /** dtype of each operand's array (inputs, then outputs). */
  readonly arrTypes: readonly DType[];
  /** Number of loop levels (0: a single call). */
  readonly ndim: number;
  /** Per operand, per core dim. */
  readonly strides: readonly (readonly StrideClass[])[];
  /** Per label: an optional dim absent in this call (its extent is the literal 1). */
  readonly missing: readonly boolean[];
  /**
   * Small cores: every label's size and every core stride compiled in as literals, so that
   * V8 folds `i*4` and knows the trip counts (a 4×4 matmul runs ~15% faster).
   */
  readonly literal?: {
    readonly sizes: readonly number[];
    /** Core strides per operand. */
    readonly strides: readonly (readonly number[])[];
    /** Loop strides per operand and level. */
    readonly loopStrides: readonly (readonly number[])[];
  };
  /** Per operand: its start offset is 0 (the term is left out, which V8 rewards). */
  readonly zeroOffsets: readonly boolean[];
  /**
   * Per operand: the first operand with the same start offset and loop strides (itself if
   * none). Such operands share one base offset, as in a hand-written `x[base+j]*y[base+j]`.
   */
  readonly alias: readonly number[];
  /**
   * Per operand and loop level, how its loop stride is written: `0` and `1` as such, `b`
   * when it is the operand's core block size (rows of a C-contiguous array: the product of
   * the core extents, which lets V8 relate `base + i` to the trip count `i < n` as in a
   * hand-written loop), `n` as a parameter. Ignored with `literal`.
   */
  readonly loopStrides: readonly (readonly LoopStrideClass[])[];
}

/** See {@link GufuncLoopSpec.loopStrides}. */
export type LoopStrideClass = '0' | '1' | 'b' | 'n';

export type GufuncLoopFn = (
  D: readonly ArrayLike<number>[],
  P: readonly number[],
  N: readonly number[],
  S: readonly number[],
  C: readonly number[],
) => void;

/** Position of operand `op`'s core stride `dim` in C (after one size per label). */
export function strideSlot(layout: GufuncLayout, op: number, dim: number): number {
  let k = layout.dims.length;
  for (let o = 0; o < op; o++) k += layout.operands[o].length;
  return k + dim;
}

/**
 * The loop's source: the hot function `numbatsGufunc`, taking every array, offset, extent
 * and stride as a parameter, and the returned entry point that unpacks (D, P, N, S, C)
 * into it. The hot function has no keyed loads outside its loops on purpose: V8 runs the
 * first call before the function has a feedback vector, and a prologue load left without
 * feedback makes the optimised loop deoptimise on every later call.
 */
export function gufuncLoopSource(k: TypedGufunc, s: GufuncLoopSpec, boundscheck = false): string {
  return printLoops(gufuncNest(k, s, boundscheck));
}

/** The loop nest of {@link gufuncLoopSource} in the loop IR. */
export function gufuncNest(k: TypedGufunc, s: GufuncLoopSpec, boundscheck = false): LStmt[] {
  const { layout, ndim: nd } = s;
  const nin = layout.nin;
  const nop = layout.operands.length;
  const ops = Array.from({ length: nop }, (_, o) => o);
  const params: string[] = [];
  const args: LExpr[] = [];
  const param = (name: string, arg: LExpr) => {
    params.push(name);
    args.push(arg);
  };
  const lit = s.literal;
  for (const o of ops) param(`d${o}`, index('D', o));
  const own = ops.filter((o) => s.alias[o] === o);
  for (const o of own) if (!s.zeroOffsets[o]) param(`p${o}`, index('P', o));
  for (let l = 0; l < nd; l++) param(`n${l}`, index('N', l));
  if (!lit) {
    for (const o of own) {
      for (let l = 0; l < nd; l++) {
        if (s.loopStrides[o][l] === 'n') param(`s${o}_${l}`, index('S', o * nd + l));
      }
    }
  }
  const consts: [string, LExpr][] = [];
  layout.dims.forEach((d, l) => {
    if (d.fixed !== undefined || s.missing[l]) return;
    if (lit) consts.push([`z${l}`, num(lit.sizes[l])]);
    else param(`z${l}`, index('C', l));
  });
  for (const o of ops) {
    s.strides[o].forEach((c, d) => {
      if (c !== 'n') return;
      if (!lit) param(`t${o}_${d}`, index('C', strideSlot(layout, o, d)));
      else consts.push([`t${o}_${d}`, num(lit.strides[o][d])]);
    });
  }
  const body: LStmt[] = consts.length ? [line, decl('const', consts), line] : [line];
  const extent = (label: number): LExpr => {
    const d = layout.dims[label];
    return d.fixed !== undefined ? num(d.fixed) : s.missing[label] ? num(1) : v(`z${label}`);
  };
  // Each level's base offsets derive from its counter (b = outer base + i*stride) rather
  // than being bumped: V8 then bounds the index arithmetic and drops overflow checks.
  const start = (o: number): LExpr | null => (s.zeroOffsets[o] ? null : v(`p${o}`));
  const base = (o: number): LExpr => {
    const a = s.alias[o];
    return nd === 0 ? (start(a) ?? num(0)) : v(`b${a}_${nd - 1}`);
  };
  /** Operand o's loop stride at level l. */
  const loopStride = (o: number, l: number): LExpr => {
    if (lit) return num(lit.loopStrides[o][l]);
    const cl = s.loopStrides[o][l];
    if (cl === '0' || cl === '1') return num(Number(cl));
    if (cl === 'n') return v(`s${o}_${l}`);
    // The core block: the product of the core extents, grouped as one factor.
    const ext = layout.operands[o].filter((lb) => !s.missing[lb]).map(extent);
    return ext.length === 0 ? num(1) : ext.reduce((a, b) => mul(a, b));
  };
  const baseDecl = (l: number): LStmt =>
    decl(
      'const',
      own.map((o) => {
        const outer = l === 0 ? start(o) : v(`b${o}_${l - 1}`);
        const st = loopStride(o, l);
        const i = v(`i${l}`);
        const step =
          st.k === 'num' && st.value === 0
            ? null
            : st.k === 'num' && st.value === 1
              ? i
              : mul(i, st);
        return [`b${o}_${l}`, outer && step ? sum(outer, step) : (outer ?? step ?? num(0))];
      }),
    );
  const places = ops.map((o): ViewPlace | null => {
    if (!k.views[o]) return null;
    return {
      data: `d${o}`,
      base: base(o),
      strides: s.strides[o].map((c, d) =>
        c === '0' ? null : c === '1' ? num(1) : v(`t${o}_${d}`),
      ),
      extents: layout.operands[o].map(extent),
      arrTy: s.arrTypes[o],
      elemTy: o < nin ? k.inTypes[o] : k.outTypes[o - nin],
    };
  });
  const inputs = k.typed.paramTypes.map(
    (_, p): LExpr =>
      k.views[p]
        ? num(0) // a view: the extension reads it
        : { k: 'load', data: `d${p}`, at: base(p), from: s.arrTypes[p], to: k.inTypes[p] },
  );
  const ext = viewLowering(places, boundscheck ? { names: k.typed.localNames } : undefined);
  let inner: LStmt[];
  if (k.views.length === nin) {
    // Returned outputs: the kernel assigns r<j>, stored at the output's element.
    const outs = k.outTypes.map((_, j) => `r${j}`);
    body.push(
      decl(
        'let',
        outs.map((r) => [r, null]),
      ),
      line,
    );
    inner = [
      { k: 'kernel', kernel: k.typed, inputs, outs, ext },
      ...k.outTypes.map(
        (t, j): LStmt => ({
          k: 'expr',
          e: {
            k: 'store',
            data: `d${nin + j}`,
            at: base(nin + j),
            value: v(`r${j}`),
            from: t,
            to: s.arrTypes[nin + j],
          },
        }),
      ),
    ];
  } else {
    inner = [{ k: 'kernel', kernel: k.typed, inputs, outs: [], ext }];
  }
  const level = (l: number): LStmt[] =>
    l === nd ? inner : [loop(`i${l}`, num(0), v(`n${l}`), [baseDecl(l), line, ...level(l + 1)])];
  body.push(...(nd === 0 ? [{ k: 'block', body: inner } as const] : level(0)), line);
  return [
    { k: 'function', name: 'numbatsGufunc', params, body },
    line,
    {
      k: 'return',
      value: {
        k: 'fn',
        params: ['D', 'P', 'N', 'S', 'C'],
        body: [{ k: 'expr', e: call('numbatsGufunc', ...args) }],
      },
    },
  ];
}

/** Compiles a loop. */
export function buildGufuncLoop(
  k: TypedGufunc,
  s: GufuncLoopSpec,
  boundscheck = false,
): GufuncLoopFn {
  const factory = compileGenerated('H', `'use strict';\n${gufuncLoopSource(k, s, boundscheck)}`);
  return factory(boundscheck ? { ...HELPERS, bc: checkIndex } : HELPERS) as GufuncLoopFn;
}

/**
 * `boundscheck`: the index `i` into axis `axis` of view `name` (core shape `shape`), or an
 * IndexError naming all three. Views do not count negative indices from the end.
 */
function checkIndex(i: number, axis: number, name: string, shape: readonly number[]): number {
  if (i >= 0 && i < shape[axis] && Number.isInteger(i)) return i;
  const shp = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  const why = !Number.isInteger(i)
    ? 'view indices must be integers'
    : i < 0
      ? `views do not count negative indices from the end: use ${name}.shape[${axis}] - ${-i}`
      : `the valid indices are 0 to ${shape[axis] - 1}`;
  throw new IndexError(
    `index ${i} is out of bounds for axis ${axis} with size ${shape[axis]} of view '${name}' (core shape ${shp}): ${why}`,
  );
}
