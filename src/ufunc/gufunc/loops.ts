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

import { castCode, HELPERS, JsEmitter, numberLiteral } from '../../compiler/emit-js.js';
import { compileGenerated } from '../../core/codegen.js';
import type { DType } from '../../core/dtypes.js';
import { IndexError } from '../../core/errors.js';
import type { GufuncLayout, TypedGufunc } from '../../plan/gufunc.js';
import { storeCode, type ViewPlace, viewLowering } from './views.js';

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
  const { layout, ndim: nd } = s;
  const nin = layout.nin;
  const nop = layout.operands.length;
  const ops = Array.from({ length: nop }, (_, o) => o);
  const params: string[] = [];
  const args: string[] = [];
  const param = (name: string, arg: string) => {
    params.push(name);
    args.push(arg);
  };
  const lit = s.literal;
  for (const o of ops) param(`d${o}`, `D[${o}]`);
  const own = ops.filter((o) => s.alias[o] === o);
  for (const o of own) if (!s.zeroOffsets[o]) param(`p${o}`, `P[${o}]`);
  for (let l = 0; l < nd; l++) param(`n${l}`, `N[${l}]`);
  if (!lit) {
    for (const o of own) {
      for (let l = 0; l < nd; l++) {
        if (s.loopStrides[o][l] === 'n') param(`s${o}_${l}`, `S[${o * nd + l}]`);
      }
    }
  }
  const consts: string[] = [];
  layout.dims.forEach((d, l) => {
    if (d.fixed !== undefined || s.missing[l]) return;
    if (lit) consts.push(`z${l}=${lit.sizes[l]}`);
    else param(`z${l}`, `C[${l}]`);
  });
  for (const o of ops) {
    s.strides[o].forEach((c, d) => {
      if (c !== 'n') return;
      if (!lit) param(`t${o}_${d}`, `C[${strideSlot(layout, o, d)}]`);
      else consts.push(`t${o}_${d}=${numberLiteral(lit.strides[o][d])}`);
    });
  }
  const lines: string[] = consts.length ? [`const ${consts.join(',')};`] : [];
  const extent = (label: number) => {
    const d = layout.dims[label];
    return d.fixed !== undefined ? String(d.fixed) : s.missing[label] ? '1' : `z${label}`;
  };
  // Each level's base offsets derive from its counter (b = outer base + i*stride) rather
  // than being bumped: V8 then bounds the index arithmetic and drops overflow checks.
  const start = (o: number) => (s.zeroOffsets[o] ? '' : `p${o}`);
  const base = (o: number) => {
    const a = s.alias[o];
    return nd === 0 ? start(a) || '0' : `b${a}_${nd - 1}`;
  };
  /** Source of operand o's loop stride at level l, or a number when it is known here. */
  const loopStride = (o: number, l: number): string | number => {
    if (lit) return lit.loopStrides[o][l];
    const cl = s.loopStrides[o][l];
    if (cl === '0' || cl === '1') return Number(cl);
    if (cl === 'n') return `s${o}_${l}`;
    const ext = layout.operands[o].filter((lb) => !s.missing[lb]).map(extent);
    return ext.length === 1 ? ext[0] : `(${ext.join('*')})`;
  };
  const baseDecl = (l: number) =>
    own
      .map((o) => {
        const outer = l === 0 ? start(o) : `b${o}_${l - 1}`;
        const st = loopStride(o, l);
        const step =
          st === 0
            ? ''
            : st === 1
              ? `i${l}`
              : `i${l}*${typeof st === 'number' ? numberLiteral(st) : st}`;
        return `b${o}_${l}=${outer && step ? `${outer}+${step}` : outer || step || '0'}`;
      })
      .join(',');
  const places = ops.map((o): ViewPlace | null => {
    if (!k.views[o]) return null;
    return {
      data: `d${o}`,
      base: base(o),
      strides: s.strides[o].map((c, d) => (c === '0' ? null : c === '1' ? '1' : `t${o}_${d}`)),
      extents: layout.operands[o].map(extent),
      arrTy: s.arrTypes[o],
      elemTy: o < nin ? k.inTypes[o] : k.outTypes[o - nin],
    };
  });
  const inputs = k.typed.paramTypes.map((_, p) =>
    k.views[p] ? '' : castCode(s.arrTypes[p], k.inTypes[p], `d${p}[${base(p)}]`),
  );
  const emitter = new JsEmitter(
    k.typed,
    viewLowering(places, boundscheck ? { names: k.typed.localNames } : undefined),
  );
  let body: string;
  if (k.views.length === nin) {
    // Returned outputs: the kernel assigns r<j>, stored at the output's element.
    const outVars = k.outTypes.map((_, j) => `r${j}`);
    lines.push(`let ${outVars.join(',')};`);
    const stores = k.outTypes
      .map((t, j) => `d${nin + j}[${base(nin + j)}]=${storeCode(t, s.arrTypes[nin + j], `r${j}`)};`)
      .join('');
    body = emitter.body(inputs, outVars) + stores;
  } else {
    body = emitter.body(inputs, []);
  }
  const level = (l: number): string => {
    if (l === nd) return body;
    return `for(let i${l}=0;i${l}<n${l};i${l}++){const ${baseDecl(l)};\n${level(l + 1)}}`;
  };
  lines.push(nd === 0 ? `{${body}}` : level(0));
  return [
    `function numbatsGufunc(${params.join(',')}){`,
    ...lines,
    '}',
    `return function(D,P,N,S,C){numbatsGufunc(${args.join(',')});};`,
  ].join('\n');
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
