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
 * The nest is built in the loop-level IR (`compiler/loops.ts`) and printed by its one JS
 * lowering; an accessor read becomes a loop expression (`KernelLeaf.ext`).
 *
 * Generated function: `(D, P, N, S, R, A, C)` = data arrays (inputs, then the output),
 * start offsets, extents per level, strides `[operand][level]` flattened, interior bounds
 * `[b, e]` per level, scalar arguments, and `[cval per input, fill value, fill flag]`.
 */

import { HELPERS, type Helpers } from '../compiler/emit-js.js';
import type { ExtNode, TypedKernel, Value } from '../compiler/ir.js';
import {
  bump,
  call,
  decl,
  index,
  type KernelLeaf,
  type LExpr,
  type LStmt,
  line,
  loop,
  mul,
  neg,
  num,
  op,
  sum,
  v,
} from '../compiler/loops.js';
import { subValues } from '../compiler/visit.js';
import { compileGenerated } from '../core/codegen.js';
import type { DType } from '../core/dtypes.js';
import { BORDER_HELPERS } from '../plan/boundary.js';
import type { StencilLoopFn } from '../plan/stencil.js';
import { printLoops } from '../targets/cpu/lower-loops.js';
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

/** A compiled stencil loop: the plan's type, which targets call. */
export type StencilLoop = StencilLoopFn;

type Context = { path: 'int' } | { path: 'bord'; from: number };

const INTERIOR: Context = { path: 'int' };
const BREAK: LStmt = { k: 'break' };
const when = (test: LExpr, cons: LStmt[]): LStmt => ({ k: 'if', test, cons });
const block = (body: LStmt[]): LStmt => ({ k: 'block', body });

class Generator {
  private temps = 0;
  private labels = 0;
  /** Interior deltas: name → value, per distinct (operand, constant offsets). */
  private readonly deltas = new Map<string, { name: string; value: LExpr }>();
  /** Level of each axis. */
  private readonly levelOf: number[];
  /** Distinct constant offsets per axis, over every operand (indexes of j/f/x variables). */
  private readonly values: number[][];
  /** Distinct constant offsets per operand and axis. */
  private readonly valuesOf: number[][][];
  /** The accessor reads in the order the kernel evaluates them (see {@link evaluationOrder}). */
  private readonly order: readonly RelNode[];
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
    this.order = evaluationOrder(s.sites);
  }

  /** The whole function body: the nest is built first, as it names the prologue's deltas and temporaries. */
  generate(): LStmt[] {
    const { nd } = this.s;
    const body =
      nd === 0
        ? [
            decl(
              'const',
              this.operands().map((o) => [`p${o}`, v(`P${o}`)]),
            ),
            line,
            this.cell(INTERIOR),
          ]
        : this.level(0);
    return [...this.prologue(), ...body];
  }

  private operands(): number[] {
    return Array.from({ length: this.s.nin + 1 }, (_, o) => o);
  }

  /** Parameters unpacked into locals, per-call deltas, and the registers. */
  private prologue(): LStmt[] {
    const { nd, nin } = this.s;
    const ops = this.operands();
    const head: LStmt[] = [decl('const', [['N$', { k: 'str', value: this.s.name }]])];
    head.push(
      decl(
        'const',
        ops.flatMap((o) => [
          [`d${o}`, index('D', o)],
          [`P${o}`, index('P', o)],
        ]),
      ),
    );
    if (nd > 0) {
      head.push(
        decl(
          'const',
          Array.from({ length: nd }, (_, l) => l).flatMap((l): [string, LExpr][] => [
            [`n${l}`, index('N', l)],
            [`b${l}`, index('R', 2 * l)],
            [`e${l}`, index('R', 2 * l + 1)],
          ]),
        ),
      );
      // Rows u0..v0-1 of the outermost level (all of them unless R carries a band: the
      // parallel target's row bands), with the interior clipped to the band.
      const banded = op('>', v('R.length'), num(2 * nd));
      const cond = (a: LExpr, b: LExpr): LExpr => ({ k: 'cond', test: banded, a, b });
      head.push(
        decl('const', [
          ['u0', cond(index('R', 2 * nd), num(0))],
          ['v0', cond(index('R', 2 * nd + 1), v('n0'))],
          ['B0', call('Math.min', call('Math.max', v('b0'), v('u0')), v('v0'))],
          ['E0', call('Math.max', call('Math.min', v('e0'), v('v0')), v('B0'))],
        ]),
      );
      const st: [string, LExpr][] = [];
      for (const o of ops)
        for (let l = 0; l < nd; l++) st.push([`s${o}_${l}`, index('S', o * nd + l)]);
      head.push(decl('const', st));
    }
    if (this.s.scalarOf.size > 0)
      head.push(
        decl(
          'const',
          [...this.s.scalarOf.values()].map((j) => [`a${j}`, index('A', j)]),
        ),
      );
    const cv = Array.from({ length: nin }, (_, o): [string, LExpr] => [`c${o}`, index('C', o)]);
    head.push(
      decl('const', [
        ...cv,
        ['cf', index('C', nin)],
        ['F', op('!==', index('C', nin + 1), num(0))],
      ]),
    );
    if (this.deltas.size > 0)
      head.push(
        decl(
          'const',
          [...this.deltas.values()].map((d) => [d.name, d.value]),
        ),
      );
    const temps = Array.from({ length: this.temps }, (_, t) => `t${t}`);
    head.push(
      decl(
        'let',
        ['r0', ...temps].map((t) => [t, null]),
      ),
    );
    return head.flatMap((s) => [s, line]);
  }

  // ---- loop levels ----------------------------------------------------------------------

  private prevW(l: number): LExpr {
    return v(l === 0 ? `P${this.out}` : `w${l - 1}`);
  }

  private prevQ(o: number, l: number): LExpr {
    return v(l === 0 ? `P${o}` : `q${o}_${l - 1}`);
  }

  /** `w<l>`: the output position at level `l`. */
  private outPos(l: number): [string, LExpr] {
    return [`w${l}`, sum(this.prevW(l), mul(v(`i${l}`), v(`s${this.out}_${l}`)))];
  }

  private level(l: number, path: 'int' | 'bord' = 'int', from = 0): LStmt[] {
    const { nd, perm, modes } = this.s;
    if (l === nd) return [this.cell(path === 'int' ? INTERIOR : { path, from })];
    const i = `i${l}`;
    const skip = modes[perm[l]] === 'skip';
    if (path === 'int') {
      const [start, end, b, e] = this.bounds(l);
      const interior =
        l === nd - 1
          ? this.innerSegment(l)
          : [loop(i, null, e, [this.enterInterior(l), line, ...this.level(l + 1, 'int')])];
      if (skip) return [block([decl('let', [[i, b]]), ...interior]), line, this.fillEdges(l)];
      const border = block([this.enterBorder(l), line, ...this.level(l + 1, 'bord', l)]);
      const atInterior = when(op('===', v(i), b), [
        ...interior,
        line,
        when(op('>=', v(i), end), [BREAK]),
      ]);
      return [loop(i, start, end, [line, atInterior, line, border])];
    }
    const body = [this.enterBorder(l), line, ...this.level(l + 1, 'bord', from)];
    if (skip) return [loop(i, v(`b${l}`), v(`e${l}`), body), line, this.fillEdges(l)];
    return [loop(i, num(0), v(`n${l}`), body)];
  }

  /**
   * Loop start, end, interior begin and interior end of level `l` on the interior path:
   * the outermost level runs the rows of its band (u0..v0) only.
   */
  private bounds(l: number): [LExpr, LExpr, LExpr, LExpr] {
    return l === 0
      ? [v('u0'), v('v0'), v('B0'), v('E0')]
      : [num(0), v(`n${l}`), v(`b${l}`), v(`e${l}`)];
  }

  /** The hot loop: the innermost interior segment. */
  private innerSegment(l: number): LStmt[] {
    const { shared, unit } = this.s.layout;
    const i = `i${l}`;
    const e = this.bounds(l)[3];
    if (this.s.borderOnly) return [{ k: 'assign', name: i, op: '=', value: e }];
    if (shared) {
      const base = this.prevQ(0, l);
      if (unit) {
        return [loop(i, null, e, [decl('const', [['p', sum(base, v(i))]]), this.cell(INTERIOR)])];
      }
      const step = v(`s0_${l}`);
      return [
        block([
          decl('let', [['p', sum(base, mul(v(i), step))]]),
          line,
          loop(i, null, e, [this.cell(INTERIOR), bump('p', step)]),
        ]),
      ];
    }
    const ops = this.operands();
    const init = ops.map((o): [string, LExpr] => [
      `p${o}`,
      sum(o === this.out ? this.prevW(l) : this.prevQ(o, l), mul(v(i), v(`s${o}_${l}`))),
    ]);
    const cell = this.cell(INTERIOR);
    const bumps = ops.map((o) => bump(`p${o}`, v(`s${o}_${l}`)));
    return [block([decl('let', init), line, loop(i, null, e, [cell, ...bumps])])];
  }

  /** Positions (and identity contributions for border cells further in) of an interior coordinate. */
  private enterInterior(l: number): LStmt {
    const i = `i${l}`;
    const parts: [string, LExpr][] = [this.outPos(l)];
    for (let o = 0; o < this.s.nin; o++)
      parts.push([`q${o}_${l}`, sum(this.prevQ(o, l), mul(v(i), v(`s${o}_${l}`)))]);
    const a = this.s.perm[l];
    for (let o = 0; o < this.s.nin; o++) {
      for (const off of this.valuesOf[o][a]) {
        const x = `x${o}_${l}_${this.values[a].indexOf(off)}`;
        parts.push([x, mul(shifted(i, off), v(`s${o}_${l}`))]);
      }
    }
    return decl('const', parts);
  }

  /** Remapped contributions of a coordinate in (or under) the border band. */
  private enterBorder(l: number): LStmt {
    const a = this.s.perm[l];
    const mode = this.s.modes[a];
    const n = v(`n${l}`);
    const parts: [string, LExpr][] = [this.outPos(l)];
    this.values[a].forEach((off, idx) => {
      const j = `j${l}_${idx}`;
      const raw = shifted(`i${l}`, off);
      if (mode === 'constant') {
        const inside = op('&&', op('>=', v(j), num(0)), op('<', v(j), n));
        parts.push([j, raw], [`f${l}_${idx}`, inside]);
      } else if (mode === 'skip') {
        parts.push([j, raw]);
      } else {
        parts.push([j, call(`B.${mode}`, raw, n)]);
      }
      for (let o = 0; o < this.s.nin; o++) {
        if (this.valuesOf[o][a].includes(off)) {
          parts.push([`x${o}_${l}_${idx}`, mul(v(j), v(`s${o}_${l}`))]);
        }
      }
    });
    return decl('const', parts);
  }

  /** With `F` (no `out` given, nonzero fill), writes the fill value over a skip axis' border band. */
  private fillEdges(l: number): LStmt {
    const i = `i${l}`;
    const [start, end, b, e] = this.bounds(l);
    return when(v('F'), [loop(i, start, b, this.fillFrom(l)), loop(i, e, end, this.fillFrom(l))]);
  }

  private fillFrom(l: number): LStmt[] {
    const w = decl('const', [this.outPos(l)]);
    if (l === this.s.nd - 1) {
      const { outDtype } = this.s;
      const fill: LExpr = {
        k: 'store',
        data: `d${this.out}`,
        at: v(`w${l}`),
        value: v('cf'),
        from: outDtype,
        to: outDtype,
      };
      return [w, { k: 'expr', e: fill }];
    }
    const n = l + 1;
    return [w, loop(`i${n}`, num(0), v(`n${n}`), this.fillFrom(n))];
  }

  // ---- one cell -------------------------------------------------------------------------

  /** The kernel for one cell reached on path `ctx`, and the store of its result. */
  private cell(ctx: Context): LStmt {
    const { typed, outDtype, nd } = this.s;
    const inputs = typed.paramTypes.map((_, p) => {
      const j = this.s.scalarOf.get(p);
      return j === undefined ? num(0) : v(`a${j}`);
    });
    // Reads are lowered here, in evaluation order, so that deltas and temporaries are
    // named in the order the kernel's code uses them.
    const reads = new Map<ExtNode, LExpr>(this.order.map((e) => [e, this.read(e, ctx)]));
    const leaf: KernelLeaf = {
      k: 'kernel',
      kernel: typed,
      inputs,
      outs: ['r0'],
      label: `K${this.labels++}`,
      ext: (e) => {
        const read = reads.get(e);
        if (!read) throw new Error(`internal: unknown stencil construct '${e.op}'`);
        return read;
      },
    };
    const pos =
      nd === 0
        ? v(`p${this.out}`)
        : ctx.path === 'bord'
          ? v(`w${nd - 1}`)
          : this.s.layout.shared
            ? this.sharedPos(this.out)
            : v(`p${this.out}`);
    const store: LExpr = {
      k: 'store',
      data: `d${this.out}`,
      at: pos,
      value: v('r0'),
      from: typed.outTypes[0],
      to: outDtype,
    };
    return block([leaf, line, { k: 'expr', e: store }]);
  }

  /** An accessor read on path `ctx`; `{k:'arg'}` stands for its computed offsets. */
  private read(e: RelNode, ctx: Context): LExpr {
    const data = e.data;
    const o = this.s.operandOf.get(data.param)!;
    // An accessor reads its array's element type, the kernel parameter's type: no conversion.
    const ty = e.ty as DType;
    const load = (at: LExpr): LExpr => ({ k: 'load', data: `d${o}`, at, from: ty, to: ty });
    const stride = (a: number) => v(`s${o}_${this.levelOf[a]}`);
    let k = 0;
    const check = (a: number): LExpr => {
      const [lo, hi] = this.s.neighborhood[a];
      return call('B.check', { k: 'arg', index: k++ }, num(lo), num(hi), num(a), v('N$'));
    };
    if (ctx.path === 'int') {
      const shared = this.s.layout.shared && this.s.nd > 0;
      const terms = [v(shared ? 'p' : `p${o}`)];
      const delta = this.delta(o, data.offsets, shared);
      if (delta) terms.push(v(delta));
      data.offsets.forEach((off, a) => {
        if (off === null) terms.push(mul(check(a), stride(a)));
      });
      return load(sum(...terms));
    }
    const terms = [v(`P${o}`)];
    const conds: LExpr[] = [];
    data.offsets.forEach((off, a) => {
      const l = this.levelOf[a];
      const mode = this.s.modes[a];
      const remapped = l >= ctx.from && mode !== 'skip';
      if (off !== null) {
        const idx = this.values[a].indexOf(off);
        terms.push(v(`x${o}_${l}_${idx}`));
        if (remapped && mode === 'constant') conds.push(v(`f${l}_${idx}`));
        return;
      }
      const raw = op('+', v(`i${l}`), check(a));
      const n = v(`n${l}`);
      if (!remapped) terms.push(mul(raw, stride(a)));
      else if (mode === 'constant') {
        const t = `t${this.temps++}`;
        conds.push(op('>=', { k: 'set', name: t, value: raw }, num(0)), op('<', v(t), n));
        terms.push(mul(v(t), stride(a)));
      } else terms.push(mul(call(`B.${mode}`, raw, n), stride(a)));
    });
    const read = load(sum(...terms));
    if (conds.length === 0) return read;
    return { k: 'cond', test: conds.reduce((x, y) => op('&&', x, y)), a: read, b: v(`c${o}`) };
  }

  /** Position of operand `o` in a shared-layout interior cell. */
  private sharedPos(o: number): LExpr {
    const d = this.delta(o, [], true);
    return d ? sum(v('p'), v(d)) : v('p');
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
    const terms: LExpr[] = [];
    if (shared && o !== 0 && !this.s.layout.sameOffsets) terms.push(op('-', v(`P${o}`), v('P0')));
    offsets.forEach((off, a) => {
      if (off === null || off === 0) return;
      const s = v(`s${o}_${this.levelOf[a]}`);
      terms.push(off === 1 ? s : off === -1 ? neg(s) : mul(num(off), s));
    });
    if (terms.length === 0) return undefined;
    const key = `${o}:${offsets.map((x) => (x === null ? 'c' : x)).join(',')}${shared ? 's' : ''}`;
    let d = this.deltas.get(key);
    if (!d) {
      d = { name: `k${o}_${this.deltas.size}`, value: sum(...terms) };
      this.deltas.set(key, d);
    }
    return d.name;
  }
}

/** `i+v` (`i`, `i+2`, `i-1`). */
function shifted(i: string, off: number): LExpr {
  return off === 0 ? v(i) : op('+', v(i), num(off));
}

/**
 * The accessor reads in the order the kernel's code evaluates them: a read's computed
 * offsets (which may read too) before the read itself. `sites` lists a read before the
 * reads nested in it.
 */
function evaluationOrder(sites: readonly RelNode[]): RelNode[] {
  const isSite = new Set<Value>(sites);
  const out: RelNode[] = [];
  const seen = new Set<Value>();
  const visit = (x: Value): void => {
    for (const c of subValues(x)) visit(c);
    if (isSite.has(x) && !seen.has(x)) {
      seen.add(x);
      out.push(x as RelNode);
    }
  };
  for (const s of sites) visit(s);
  return out;
}

/** Source of the loop function body for a spec. */
export function stencilSource(spec: LoopSpec): string {
  return printLoops(new Generator(spec).generate());
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
