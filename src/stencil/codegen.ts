/**
 * Generates a stencil's loop nest: one JS function per (kernel typing, output dtype, ndim,
 * axis order). Boundary modes are fixed per stencil, so they are baked in too.
 *
 * Each loop level (one axis, outermost first) splits its range into the interior
 * `[b, e)`, where every offset of the neighborhood stays inside the axis, and the border
 * band around it. Interior cells are reached only through interior segments at every level,
 * and there an accessor is a load at the cell's position plus a delta precomputed per call
 * (`d0[p+k0_1]`): no bounds logic, no remapping. A cell with any coordinate in a border
 * band runs a second copy of the kernel whose accessors add up per-axis contributions,
 * each remapped by its axis' mode once per row or cell (`x0_1_2=B.wrap(i1+1,n1)*s0_1`);
 * `'constant'` axes add an in-bounds flag per offset, and `'skip'` axes iterate only their
 * interior and fill the rest with `cval`. So the kernel appears 1 + ndim times, and every
 * extra instruction lives in the border band.
 *
 * Generated function: `(D, P, N, S, R, A, C)` = data arrays (inputs, then the output),
 * start offsets, extents per level, strides `[operand][level]` flattened, interior bounds
 * `[b, e]` per level, scalar arguments, and `[cval per input, fill value, fill flag]`.
 */

import { HELPERS, type Helpers, JsEmitter } from '../compiler/emit-js.js';
import type { Expr, TypedKernel } from '../compiler/ir.js';
import { compileGenerated } from '../core/codegen.js';
import type { DType } from '../core/dtypes.js';
import { BORDER_HELPERS } from '../plan/boundary.js';
import type { RelNode } from './accessors.js';
import type { Boundary, Extent } from './types.js';

/** Everything one loop function is specialised on. */
export interface LoopSpec {
  /** Used in run-time error messages. */
  readonly name: string;
  readonly typed: TypedKernel;
  /** The kernel's accessor reads. */
  readonly sites: readonly RelNode[];
  /** Array operand index of each accessor parameter. */
  readonly operandOf: ReadonlyMap<number, number>;
  /** Number of array operands (the output is operand `nin`). */
  readonly nin: number;
  /** Kernel parameter → index into `A`, for number parameters. */
  readonly scalarOf: ReadonlyMap<number, number>;
  readonly outDtype: DType;
  readonly nd: number;
  /** Axis of each loop level, outermost first. */
  readonly perm: readonly number[];
  /** Mode per axis. */
  readonly modes: readonly Boundary[];
  /** `[lo, hi]` per axis: the bounds computed offsets are checked against. */
  readonly neighborhood: readonly Extent[];
  /** Memory layout class of the operands (see {@link Layout}). */
  readonly layout: Layout;
  /**
   * The interior band runs elsewhere (a wasm loop on the numbats heap): this loop computes
   * the border bands only, and its innermost interior segments are skipped.
   */
  readonly borderOnly?: boolean;
}

/**
 * What the interior loop is specialised on. When every operand (inputs and output) has the
 * same strides, one position serves them all and each load is `d[p+k]` with the delta `k`
 * also holding the operand's start offset relative to input 0 (nothing when the offsets are
 * equal too); with unit innermost stride, `p` is derived from the loop index (`q+i`), as a
 * hand-written loop over a C array does. Otherwise each operand has its own pointer.
 */
export interface Layout {
  readonly shared: boolean;
  readonly sameOffsets: boolean;
  readonly unit: boolean;
}

export type StencilLoop = (
  D: readonly ArrayLike<number>[],
  P: readonly number[],
  N: readonly number[],
  S: readonly number[],
  R: readonly number[],
  A: readonly number[],
  C: readonly number[],
) => void;

type Context = { path: 'int' } | { path: 'bord'; from: number };

class Generator {
  private ctx: Context = { path: 'int' };
  private temps = 0;
  private labels = 0;
  /** Interior deltas: name → source, per distinct (operand, constant offsets). */
  private readonly deltas = new Map<string, { name: string; code: string }>();
  /** Level of each axis. */
  private readonly levelOf: number[];
  /** Distinct constant offsets per axis, over every operand (indexes of j/f/x variables). */
  private readonly values: number[][];
  /** Distinct constant offsets per operand and axis. */
  private readonly valuesOf: number[][][];
  private readonly out: number;

  constructor(private readonly s: LoopSpec) {
    this.out = s.nin;
    this.levelOf = [];
    s.perm.forEach((a, l) => {
      this.levelOf[a] = l;
    });
    const sets = Array.from({ length: s.nd }, () => new Set<number>());
    const per = Array.from({ length: s.nin }, () =>
      Array.from({ length: s.nd }, () => new Set<number>()),
    );
    for (const site of s.sites) {
      const o = s.operandOf.get(site.data.param)!;
      site.data.offsets.forEach((v, a) => {
        if (v === null) return;
        sets[a].add(v);
        per[o][a].add(v);
      });
    }
    const sorted = (x: Set<number>) => [...x].sort((p, q) => p - q);
    this.values = sets.map(sorted);
    this.valuesOf = per.map((axes) => axes.map(sorted));
  }

  generate(): string {
    const { nd, nin } = this.s;
    const ops = Array.from({ length: nin + 1 }, (_, o) => o);
    const body =
      nd === 0
        ? `const ${ops.map((o) => `p${o}=P${o}`).join(',')};\n${this.cell()}`
        : this.level(0);
    const head: string[] = [`const N$=${JSON.stringify(this.s.name)};`];
    head.push(`const ${ops.map((o) => `d${o}=D[${o}],P${o}=P[${o}]`).join(',')};`);
    if (nd > 0) {
      const ext = Array.from(
        { length: nd },
        (_, l) => `n${l}=N[${l}],b${l}=R[${2 * l}],e${l}=R[${2 * l + 1}]`,
      );
      head.push(`const ${ext.join(',')};`);
      // Rows u0..v0-1 of the outermost level (all of them unless R carries a band: the
      // parallel target's row bands), with the interior clipped to the band.
      head.push(
        `const u0=R.length>${2 * nd}?R[${2 * nd}]:0,v0=R.length>${2 * nd}?R[${2 * nd + 1}]:n0,` +
          'B0=Math.min(Math.max(b0,u0),v0),E0=Math.max(Math.min(e0,v0),B0);',
      );
      const st: string[] = [];
      for (const o of ops) for (let l = 0; l < nd; l++) st.push(`s${o}_${l}=S[${o * nd + l}]`);
      head.push(`const ${st.join(',')};`);
    }
    if (this.s.scalarOf.size > 0)
      head.push(`const ${[...this.s.scalarOf.values()].map((j) => `a${j}=A[${j}]`).join(',')};`);
    const cv = Array.from({ length: nin }, (_, o) => `c${o}=C[${o}]`);
    head.push(`const ${[...cv, `cf=C[${nin}]`, `F=C[${nin + 1}]!==0`].join(',')};`);
    if (this.deltas.size > 0)
      head.push(`const ${[...this.deltas.values()].map((d) => `${d.name}=${d.code}`).join(',')};`);
    const temps = Array.from({ length: this.temps }, (_, t) => `t${t}`);
    head.push(`let ${['r0', ...temps].join(',')};`);
    return `${head.join('\n')}\n${body}`;
  }

  // ---- loop levels ----------------------------------------------------------------------

  private prevW(l: number): string {
    return l === 0 ? `P${this.out}` : `w${l - 1}`;
  }

  private prevQ(o: number, l: number): string {
    return l === 0 ? `P${o}` : `q${o}_${l - 1}`;
  }

  private level(l: number, path: 'int' | 'bord' = 'int', from = 0): string {
    const { nd, perm, modes } = this.s;
    if (l === nd) {
      this.ctx = path === 'int' ? { path } : { path, from };
      return this.cell();
    }
    const i = `i${l}`;
    const skip = modes[perm[l]] === 'skip';
    if (path === 'int') {
      const [start, end, b, e] = this.bounds(l);
      const interior =
        l === nd - 1
          ? this.innerSegment(l)
          : `for(;${i}<${e};${i}++){${this.enterInterior(l)}\n${this.level(l + 1, 'int')}}`;
      if (skip) return `{let ${i}=${b};${interior}}\n${this.fillEdges(l)}`;
      return `for(let ${i}=${start};${i}<${end};${i}++){\nif(${i}===${b}){${interior}\nif(${i}>=${end})break;}\n{${this.enterBorder(l)}\n${this.level(l + 1, 'bord', l)}}}`;
    }
    const body = `${this.enterBorder(l)}\n${this.level(l + 1, 'bord', from)}`;
    if (skip) return `for(let ${i}=b${l};${i}<e${l};${i}++){${body}}\n${this.fillEdges(l)}`;
    return `for(let ${i}=0;${i}<n${l};${i}++){${body}}`;
  }

  /**
   * Loop start, end, interior begin and interior end of level `l` on the interior path:
   * the outermost level runs the rows of its band (u0..v0) only.
   */
  private bounds(l: number): [string, string, string, string] {
    return l === 0 ? ['u0', 'v0', 'B0', 'E0'] : ['0', `n${l}`, `b${l}`, `e${l}`];
  }

  /** The hot loop: the innermost interior segment. */
  private innerSegment(l: number): string {
    const { shared, unit } = this.s.layout;
    const e = this.bounds(l)[3];
    if (this.s.borderOnly) return `i${l}=${e};`;
    if (shared) {
      this.ctx = { path: 'int' };
      const base = this.prevQ(0, l);
      if (unit) return `for(;i${l}<${e};i${l}++){const p=${base}+i${l};${this.cell()}}`;
      return `{let p=${base}+i${l}*s0_${l};\nfor(;i${l}<${e};i${l}++){${this.cell()}p+=s0_${l};}}`;
    }
    const ops = Array.from({ length: this.s.nin + 1 }, (_, o) => o);
    const init = ops.map(
      (o) => `p${o}=${o === this.out ? this.prevW(l) : this.prevQ(o, l)}+i${l}*s${o}_${l}`,
    );
    this.ctx = { path: 'int' };
    const cell = this.cell();
    const bump = ops.map((o) => `p${o}+=s${o}_${l};`).join('');
    return `{let ${init.join(',')};\nfor(;i${l}<${e};i${l}++){${cell}${bump}}}`;
  }

  /** Positions (and identity contributions for border cells further in) of an interior coordinate. */
  private enterInterior(l: number): string {
    const parts = [`w${l}=${this.prevW(l)}+i${l}*s${this.out}_${l}`];
    for (let o = 0; o < this.s.nin; o++)
      parts.push(`q${o}_${l}=${this.prevQ(o, l)}+i${l}*s${o}_${l}`);
    const a = this.s.perm[l];
    for (let o = 0; o < this.s.nin; o++) {
      for (const v of this.valuesOf[o][a]) {
        parts.push(`x${o}_${l}_${this.values[a].indexOf(v)}=(${shifted(`i${l}`, v)})*s${o}_${l}`);
      }
    }
    return `const ${parts.join(',')};`;
  }

  /** Remapped contributions of a coordinate in (or under) the border band. */
  private enterBorder(l: number): string {
    const a = this.s.perm[l];
    const mode = this.s.modes[a];
    const parts = [`w${l}=${this.prevW(l)}+i${l}*s${this.out}_${l}`];
    this.values[a].forEach((v, idx) => {
      const j = `j${l}_${idx}`;
      const raw = shifted(`i${l}`, v);
      if (mode === 'constant') {
        parts.push(`${j}=${raw}`, `f${l}_${idx}=${j}>=0&&${j}<n${l}`);
      } else if (mode === 'skip') {
        parts.push(`${j}=${raw}`);
      } else {
        parts.push(`${j}=B.${mode}(${raw},n${l})`);
      }
      for (let o = 0; o < this.s.nin; o++) {
        if (this.valuesOf[o][a].includes(v)) parts.push(`x${o}_${l}_${idx}=${j}*s${o}_${l}`);
      }
    });
    return `const ${parts.join(',')};`;
  }

  /** With `F` (no `out` given, nonzero fill), writes the fill value over a skip axis' border band. */
  private fillEdges(l: number): string {
    const i = `i${l}`;
    const row = this.fillFrom(l);
    const [start, end, b, e] = this.bounds(l);
    return `if(F){for(let ${i}=${start};${i}<${b};${i}++){${row}}for(let ${i}=${e};${i}<${end};${i}++){${row}}}`;
  }

  private fillFrom(l: number): string {
    const w = `const w${l}=${this.prevW(l)}+i${l}*s${this.out}_${l};`;
    if (l === this.s.nd - 1) return `${w}d${this.out}[w${l}]=cf;`;
    const n = l + 1;
    return `${w}for(let i${n}=0;i${n}<n${n};i${n}++){${this.fillFrom(n)}}`;
  }

  // ---- one cell -------------------------------------------------------------------------

  private cell(): string {
    const { typed, outDtype, nd } = this.s;
    const inputs = typed.paramTypes.map((_, p) => {
      const j = this.s.scalarOf.get(p);
      return j === undefined ? '0' : `a${j}`;
    });
    const code = new JsEmitter(typed, (e, args) => this.read(e, args)).body(
      inputs,
      ['r0'],
      `K${this.labels++}`,
    );
    const pos =
      nd === 0
        ? `p${this.out}`
        : this.ctx.path === 'bord'
          ? `w${nd - 1}`
          : this.s.layout.shared
            ? this.sharedPos(this.out)
            : `p${this.out}`;
    const value = outDtype === 'bool' && typed.outTypes[0] !== 'bool' ? '(r0!==0?1:0)' : 'r0';
    return `{${code}\nd${this.out}[${pos}]=${value};}`;
  }

  /** Lowers an accessor read for the current context. */
  private read(e: Extract<Expr, { k: 'ext' }>, args: string[]): string {
    if (e.op !== 'rel') throw new Error(`internal: unknown stencil construct '${e.op}'`);
    const data = e.data;
    const o = this.s.operandOf.get(data.param)!;
    const ctx = this.ctx;
    let k = 0;
    const check = (a: number) => {
      const [lo, hi] = this.s.neighborhood[a];
      return `B.check(${args[k++]},${lo},${hi},${a},N$)`;
    };
    if (ctx.path === 'int') {
      const shared = this.s.layout.shared && this.s.nd > 0;
      const parts = [shared ? 'p' : `p${o}`];
      const delta = this.delta(o, data.offsets, shared);
      if (delta) parts.push(delta);
      data.offsets.forEach((v, a) => {
        if (v === null) parts.push(`${check(a)}*s${o}_${this.levelOf[a]}`);
      });
      return `d${o}[${parts.join('+')}]`;
    }
    const parts = [`P${o}`];
    const conds: string[] = [];
    data.offsets.forEach((v, a) => {
      const l = this.levelOf[a];
      const mode = this.s.modes[a];
      const remapped = l >= ctx.from && mode !== 'skip';
      if (v !== null) {
        const idx = this.values[a].indexOf(v);
        parts.push(`x${o}_${l}_${idx}`);
        if (remapped && mode === 'constant') conds.push(`f${l}_${idx}`);
        return;
      }
      const raw = `i${l}+${check(a)}`;
      if (!remapped) parts.push(`(${raw})*s${o}_${l}`);
      else if (mode === 'constant') {
        const t = `t${this.temps++}`;
        conds.push(`(${t}=${raw})>=0&&${t}<n${l}`);
        parts.push(`${t}*s${o}_${l}`);
      } else parts.push(`B.${mode}(${raw},n${l})*s${o}_${l}`);
    });
    const load = `d${o}[${parts.join('+')}]`;
    return conds.length ? `(${conds.join('&&')}?${load}:c${o})` : load;
  }

  /** Position of operand `o` in a shared-layout interior cell. */
  private sharedPos(o: number): string {
    const d = this.delta(o, [], true);
    return d ? `p+${d}` : 'p';
  }

  /**
   * The name of the interior delta of constant offsets `offsets` for operand `o`
   * (undefined: zero). With a shared position it includes the operand's start offset.
   */
  private delta(
    o: number,
    offsets: readonly (number | null)[],
    shared = false,
  ): string | undefined {
    const terms: string[] = [];
    if (shared && o !== 0 && !this.s.layout.sameOffsets) terms.push(`P${o}-P0`);
    offsets.forEach((v, a) => {
      if (v === null || v === 0) return;
      const s = `s${o}_${this.levelOf[a]}`;
      terms.push(v === 1 ? s : v === -1 ? `-${s}` : `${v}*${s}`);
    });
    if (terms.length === 0) return undefined;
    const key = `${o}:${offsets.map((v) => (v === null ? 'c' : v)).join(',')}${shared ? 's' : ''}`;
    let d = this.deltas.get(key);
    if (!d) {
      d = { name: `k${o}_${this.deltas.size}`, code: terms.join('+') };
      this.deltas.set(key, d);
    }
    return d.name;
  }
}

/** `i+v` as source (`i`, `i+2`, `i-1`). */
function shifted(i: string, v: number): string {
  return v === 0 ? i : v > 0 ? `${i}+${v}` : `${i}${v}`;
}

/** Source of the loop function body for a spec. */
export function stencilSource(spec: LoopSpec): string {
  return new Generator(spec).generate();
}

/** Compiles a loop function. */
export function buildStencilLoop(spec: LoopSpec): { fn: StencilLoop; source: string } {
  const source = stencilSource(spec);
  const factory = compileGenerated(
    'B',
    'H',
    `'use strict';return function numbatsStencil(D,P,N,S,R,A,C){\n${source}\n}`,
  ) as (b: typeof BORDER_HELPERS, h: Helpers) => StencilLoop;
  return { fn: factory(BORDER_HELPERS, HELPERS), source };
}
