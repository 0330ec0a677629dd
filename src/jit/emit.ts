/**
 * Lowers a typed jit function (`infer.ts`) to JavaScript. Scalars lower through the shared
 * `JsEmitter`; arrays are split into scalar variables held in locals of the generated
 * function — data `a<id>d`, offset `a<id>o`, extents `a<id>n<k>`, strides `a<id>s<k>` and
 * size `a<id>z` — so an element access is `a0d[a0o+i*a0s0+j]` with nothing read from an
 * object inside a loop. A C-contiguous array arrives rebased to its first element (no
 * offset), has no last stride (it is 1), and its other strides are products of extents,
 * computed once: `a0d[i*a0s0+j]`. Only identifiers generated here and numbers printed by
 * `numberLiteral` reach the source.
 */

import {
  type ArrayLowering,
  type ArrayNode,
  type ArrayStmt,
  castCode,
  HELPERS,
  JsEmitter,
  numberLiteral,
} from '../compiler/emit-js.js';
import type { ArrayExpr, ArrayType, Expr, Ty, TypedKernel, Value } from '../compiler/ir.js';
import { isArrayExpr } from '../compiler/ir.js';
import { compileGenerated, ndarray } from '../core/codegen.js';
import { STORAGE } from '../core/dtypes.js';
import { IndexError, ValueError } from '../core/errors.js';
import type { TypedFunction } from './infer.js';
import {
  combineExpr,
  exprHasEffects,
  identityOf,
  type LoopPlan,
  type ParallelPlan,
  type PrangeSite,
  reductionOf,
  runPrange,
  runPrangeAsync,
  WORKER_JIT_HELPERS,
} from './parallel.js';
import { INT64, isArrayType, type JitType } from './types.js';

/** Helpers the generated code calls, passed in as `H`. */
export const JIT_HELPERS = {
  ...HELPERS,
  /** An extent for a new array: a non-negative integer. */
  dim(n: number): number {
    if (!(n >= 0) || !Number.isInteger(n)) {
      throw new ValueError(
        n < 0
          ? `negative dimensions are not allowed (got ${n})`
          : `array dimensions must be integers (got ${n})`,
      );
    }
    return n;
  },
  /** `boundscheck`: `i` if it lies on `axis` of `shape`, else an IndexError. */
  bc(i: number, axis: number, shape: readonly number[]): number {
    if (i >= 0 && i < shape[axis]) return i;
    throw new IndexError(
      `index ${i} is out of bounds for axis ${axis} with size ${shape[axis]} (array shape [${shape.join(', ')}])`,
    );
  },
  /** An ndarray over generated parts. */
  nd(data: any, shape: number[], stride: number[], offset: number) {
    return ndarray(data, shape, stride, offset);
  },
  zeroStep(): never {
    throw new ValueError('prange() step must not be zero');
  },
  /** A parallel prange loop: its chunks' partials, or null to run it inline. */
  par: runPrange,
  /** The same in an `.async` call. */
  parA: runPrangeAsync,
};

/** Where the generated code calls the pool (sync or, in the `.async` variant, awaited). */
const PAR_CALL = '$PAR$(';

/**
 * Typed-array constructors that allocate on a SharedArrayBuffer (used by functions with
 * parallel loops, so the workers read and write their arrays in place). `new` of a
 * function that returns an object gives that object.
 */
const SHARED_STORAGE: Record<string, Function> | null =
  typeof SharedArrayBuffer === 'undefined'
    ? null
    : Object.fromEntries(
        Object.entries(STORAGE).map(([dt, C]) => [
          dt,
          function shared(n: number) {
            return new C(new SharedArrayBuffer(n * C.BYTES_PER_ELEMENT), 0, n);
          },
        ]),
      );

const NO_KERNEL: TypedKernel = {
  paramTypes: [],
  localTypes: [],
  localNames: [],
  body: [],
  outTypes: [],
  freeNames: [],
  specialParams: [],
};

/** Names of an array local's parts. */
function parts(id: number, t: ArrayType) {
  const last = t.ndim - 1;
  return {
    d: `a${id}d`,
    /** The offset: always 0 for a C-contiguous array (its data starts at element 0). */
    o: t.layout === 'C' ? '0' : `a${id}o`,
    z: `a${id}z`,
    n: (k: number) => `a${id}n${k}`,
    /** The stride of axis k: a variable, or `1` for the last axis of a C-contiguous array. */
    s: (k: number) => (t.layout === 'C' && k === last ? '1' : `a${id}s${k}`),
    /** Axes whose stride is a variable. */
    strideVars: Array.from({ length: t.ndim }, (_, k) => k).filter(
      (k) => !(t.layout === 'C' && k === last),
    ),
    dims: Array.from({ length: t.ndim }, (_, k) => `a${id}n${k}`),
  };
}

/** The parameters an array of type `t` is passed as: data, offset, extents (and strides unless C). */
export function arrayParams(id: number, t: ArrayType): string[] {
  const p = parts(id, t);
  const s = t.layout === 'C' ? [] : p.dims.map((_, k) => p.s(k));
  return t.layout === 'C' ? [p.d, ...p.dims] : [p.d, p.o, ...p.dims, ...s];
}

function mul(a: string, b: string): string {
  return b === '1' ? a : `${a}*${b}`;
}

/** A safe JS identifier for a function name (anything else becomes `jitted`). */
function safeName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'jitted';
}

class Lowering implements ArrayLowering {
  readonly js: JsEmitter;
  private temp = 0;
  /** Factory bodies of the parallel loops' chunks, by plan index. */
  readonly chunkSources: string[] = [];

  constructor(
    private readonly f: TypedFunction,
    private readonly par: ParallelPlan | null = null,
    /** Reductions may be reassociated (several accumulators). */
    private readonly fastmath = false,
  ) {
    this.js = new JsEmitter(NO_KERNEL, undefined, this);
  }

  private aty(id: number): ArrayType {
    const t = this.f.localTypes[id];
    if (!isArrayType(t)) throw new Error(`internal: local ${id} is not an array`);
    return t;
  }

  private offset(arr: number, index: readonly Expr[], check: boolean): string {
    const t = this.aty(arr);
    const p = parts(arr, t);
    const terms = p.o === '0' ? [] : [p.o];
    index.forEach((ix, k) => {
      let i = this.js.expr(ix);
      if (check) i = `H.bc(${i},${k},[${p.dims.join(',')}])`;
      const s = p.s(k);
      terms.push(s === '1' ? i : `${i}*${s}`);
    });
    return terms.length ? terms.join('+') : '0';
  }

  expr(e: ArrayNode): string {
    switch (e.k) {
      case 'load': {
        const t = this.aty(e.arr);
        return `${parts(e.arr, t).d}[${this.offset(e.arr, e.index, e.check)}]`;
      }
      case 'store': {
        const t = this.aty(e.arr);
        const v = this.js.expr(e.value);
        // A TypedArray store converts numbers; bool storage needs NumPy's nonzero test.
        const stored = t.dtype === 'bool' && e.value.ty !== 'bool' ? `(${v}!==0?1:0)` : v;
        return `(${parts(e.arr, t).d}[${this.offset(e.arr, e.index, e.check)}]=${stored})`;
      }
      case 'dim': {
        const p = parts(e.arr, this.aty(e.arr));
        return e.axis < 0 ? p.z : p.n(e.axis);
      }
      case 'call': {
        const callee = this.f.callees[e.callee];
        const args = e.args.map((a, i) => {
          const pt = callee.params[i];
          if (isArrayExpr(a)) {
            if (a.k !== 'alocal' || !isArrayType(pt))
              throw new Error('internal: array argument not in a local');
            const src = this.aty(a.id);
            const p = parts(a.id, src);
            const strides = pt.layout === 'C' ? [] : p.dims.map((_, k) => p.s(k));
            return (pt.layout === 'C' ? [p.d, ...p.dims] : [p.d, p.o, ...p.dims, ...strides]).join(
              ',',
            );
          }
          return castCode(a.ty, pt as Ty, this.js.expr(a));
        });
        // Bool results come back as JS booleans; inside a kernel a bool is 0/1.
        const call = `c${e.callee}(${args.join(',')})`;
        return callee.ret === 'bool' ? `(${call}?1:0)` : call;
      }
    }
  }

  /**
   * int64 `%` by a power of two: `l - trunc(l / c) * c`, exact for integers below 2^53 and
   * several times faster than a floating-point remainder (the sign follows `l`, as JS's `%`).
   */
  binary(e: Extract<Expr, { k: 'binary' }>, l: string): string | undefined {
    if (e.op !== '%' || e.ty !== INT64 || e.r.k !== 'const') return undefined;
    const c = e.r.value;
    if (!(c >= 2 && c <= 2 ** 52 && Number.isInteger(Math.log2(c)))) return undefined;
    return `(m$=${l},m$-Math.trunc(m$*${numberLiteral(1 / c)})*${numberLiteral(c)})`;
  }

  stmt(s: ArrayStmt): string {
    switch (s.k) {
      case 'aset':
        return this.aset(s.id, s.value, s.decl);
      case 'range':
        return this.range(s);
      case 'result':
        return this.result(s.values, s.tuple);
    }
  }

  private aset(id: number, v: ArrayExpr, decl: boolean): string {
    const dt = this.aty(id);
    const dst = parts(id, dt);
    const kw = decl ? 'let ' : '';
    if (v.k === 'alocal') {
      const src = parts(v.id, this.aty(v.id));
      const items = [
        `${dst.d}=${src.d}`,
        ...(dst.o === '0' ? [] : [`${dst.o}=${src.o}`]),
        ...dst.dims.map((n, k) => `${n}=${src.n(k)}`),
        ...dst.strideVars.map((k) => `${dst.s(k)}=${src.s(k)}`),
        `${dst.z}=${src.z}`,
      ];
      return `${kw}${items.join(',')};`;
    }
    // Allocation: extents are evaluated before any part changes (`a = zeros(a.shape)`).
    const pre: string[] = [];
    const dims = v.shape.map((e) => {
      const code = `H.dim(${this.js.expr(e)})`;
      if (decl) return code;
      const t = `q${this.temp++}`;
      pre.push(`const ${t}=${code};`);
      return t;
    });
    const items = [...dst.dims.map((n, k) => `${n}=${dims[k]}`)];
    items.push(`${dst.z}=${dt.ndim === 0 ? '1' : dst.dims.join('*')}`);
    items.push(`${dst.d}=new S.${dt.dtype}(${dst.z})`);
    if (dst.o !== '0') items.push(`${dst.o}=0`);
    for (let k = dt.ndim - 1; k >= 0; k--) {
      if (!dst.strideVars.includes(k)) continue;
      items.push(`${dst.s(k)}=${k === dt.ndim - 1 ? '1' : mul(dst.n(k + 1), dst.s(k + 1))}`);
    }
    let fill = '';
    if (v.fill && !(v.fill.k === 'const' && v.fill.value === 0 && !Object.is(v.fill.value, -0))) {
      const value = this.js.expr(v.fill);
      fill = `${dst.d}.fill(${dt.dtype === 'bool' && v.fill.ty !== 'bool' ? `(${value}!==0?1:0)` : value});`;
    }
    const body = `${kw}${items.join(',')};${fill}`;
    return pre.length ? (decl ? `${pre.join('')}${body}` : `{${pre.join('')}${body}}`) : body;
  }

  private range(s: Extract<ArrayStmt, { k: 'range' }>): string {
    const plan = this.par?.plans.get(s);
    if (plan) return this.parallelRange(s, plan);
    const v = `v${s.id}`;
    const stop = `e${this.temp++}`;
    const body = this.js.stmts(s.body, []);
    const start = this.js.expr(s.start);
    const end = this.js.expr(s.stop);
    if (s.step.k === 'const' && s.step.value === 1) {
      const fast = this.fastLoop(s, start, stop, body);
      if (fast) return `{const ${stop}=${end};${fast}}`;
    }
    if (s.step.k === 'const') {
      const step = s.step.value;
      if (step === 0) return 'H.zeroStep();';
      const cmp = step > 0 ? '<' : '>';
      const inc = step === 1 ? `${v}++` : step === -1 ? `${v}--` : `${v}+=${numberLiteral(step)}`;
      return `for(let ${v}=${start},${stop}=${end};${v}${cmp}${stop};${inc}){\n${body}\n}`;
    }
    const st = `p${this.temp++}`;
    return `{const ${st}=${this.js.expr(s.step)};if(${st}===0)H.zeroStep();\nfor(let ${v}=${start},${stop}=${end};${st}>0?${v}<${stop}:${v}>${stop};${v}+=${st}){\n${body}\n}}`;
  }

  /**
   * `fastmath`: a unit-step loop whose body only folds one float accumulator (`s += …`,
   * `s *= …`, `Math.min/max`, after side-effect-free `let`s) keeps four accumulators, so
   * the additions no longer wait on each other; they are combined as (r0 op r1) op (r2 op r3)
   * and the remaining iterations fold into the result. Null when the loop does not qualify.
   */
  private fastLoop(
    s: Extract<ArrayStmt, { k: 'range' }>,
    start: string,
    stop: string,
    body: string,
  ): string | null {
    if (!this.fastmath || s.body.length === 0) return null;
    const lets = s.body.slice(0, -1);
    const last = s.body[s.body.length - 1];
    if (!lets.every((x) => x.k === 'let' && (x.init === null || !exprHasEffects(x.init))))
      return null;
    if (last.k !== 'expr' || (last.e.k !== 'assign' && last.e.k !== 'update')) return null;
    const e = last.e;
    const acc = e.id;
    const op = reductionOf(e, acc);
    if (op !== '+=' && op !== '*=' && op !== 'min' && op !== 'max') return null;
    if (e.k === 'assign' && exprHasEffects(e.value)) return null;
    if (lets.some((x) => x.k === 'let' && x.id === acc)) return null;
    const ty = this.f.localTypes[acc];
    if (ty !== 'float64' && ty !== 'float32' && ty !== 'wfloat') return null;
    const v = `v${s.id}`;
    const j = `j${this.temp++}$`;
    const base = this.f.localTypes.length + 64 * this.temp++;
    const rs = [0, 1, 2, 3].map((k) => base + k);
    const pattern = new RegExp(`\\bv${acc}\\b`, 'g');
    const copies = rs
      .map((r, k) => `{const ${v}=${j}${k ? `+${k}` : ''};\n${body.replace(pattern, `v${r}`)}\n}`)
      .join('');
    const red = { id: acc, op, bop: op === '+=' ? '+' : op === '*=' ? '*' : null } as const;
    const fold = (into: number, from: number) =>
      this.js.expr(combineExpr({ ...red, id: into }, ty, from));
    const id = numberLiteral(identityOf(op, ty));
    return (
      `{let v${rs[0]}=v${acc},v${rs[1]}=${id},v${rs[2]}=${id},v${rs[3]}=${id},${j}=${start};` +
      `for(;${j}+3<${stop};${j}+=4){${copies}}` +
      `${fold(rs[0], rs[1])};${fold(rs[2], rs[3])};${fold(rs[0], rs[2])};v${acc}=v${rs[0]};` +
      `for(let ${v}=${j};${v}<${stop};${v}++){\n${body}\n}}`
    );
  }

  /** A counted loop over `body` (the fastmath form where it applies). */
  private countedLoop(
    s: Extract<ArrayStmt, { k: 'range' }>,
    v: string,
    start: string,
    stop: string,
    step: string | number,
    body: string,
  ): string {
    const fast = step === 1 ? this.fastLoop(s, start, stop, body) : null;
    return fast ?? `${this.loopHead(v, start, stop, step)}{\n${body}\n}`;
  }

  /** The header of a counted loop `v` from `start` to `stop` by `step` (code or a known constant). */
  private loopHead(v: string, start: string, stop: string, step: string | number): string {
    if (typeof step === 'number') {
      const cmp = step > 0 ? '<' : '>';
      const inc = step === 1 ? `${v}++` : step === -1 ? `${v}--` : `${v}+=${numberLiteral(step)}`;
      return `for(let ${v}=${start};${v}${cmp}${stop};${inc})`;
    }
    return `for(let ${v}=${start};${step}>0?${v}<${stop}:${v}>${stop};${v}+=${step})`;
  }

  /**
   * A prange loop split over the pool: the caller evaluates the bounds once, asks the pool
   * for the chunks' partials (null: run the loop here, as a plain range), then folds the
   * reductions in chunk order. The chunk function the workers run is kept in
   * `chunkSources`; it holds the same body text.
   */
  private parallelRange(s: Extract<ArrayStmt, { k: 'range' }>, plan: LoopPlan): string {
    const f = this.f;
    const k = this.temp++;
    const v = `v${s.id}`;
    const body = this.js.stmts(s.body, []);
    const constStep = s.step.k === 'const' ? s.step.value : null;
    if (constStep === 0) return 'H.zeroStep();';
    const [b, e, st, q] = [`b${k}$`, `e${k}$`, `st${k}$`, `q${k}$`];
    const step = constStep ?? st;
    const data: string[] = [];
    const scal: string[] = [];
    const chunkDecl: string[] = [];
    plan.arrays.forEach((id, j) => {
      const t = f.localTypes[id] as ArrayType;
      const p = parts(id, t);
      data.push(p.d);
      chunkDecl.push(`${p.d}=D[${j}]`);
      const pieces = [
        ...(p.o === '0' ? [] : [p.o]),
        ...p.dims,
        ...p.strideVars.map((x) => p.s(x)),
        p.z,
      ];
      for (const name of pieces) {
        chunkDecl.push(`${name}=sc[${scal.length}]`);
        scal.push(name);
      }
    });
    for (const id of plan.scalars) {
      chunkDecl.push(`v${id}=sc[${scal.length}]`);
      scal.push(`v${id}`);
    }
    const K = Math.max(1, plan.reductions.length + plan.lastValue.length);
    const red = plan.reductions.map((r) => `v${r.id}`);
    plan.reductions.forEach((r, j) => {
      const ty = f.localTypes[r.id] as Ty;
      chunkDecl.push(`v${r.id}=c$===0?rd[${j}]:${numberLiteral(identityOf(r.op, ty))}`);
    });
    const stores = [
      ...plan.reductions.map((r, j) => `R[c$*${K}+${j}]=v${r.id};`),
      ...plan.lastValue.map((id, j) => `R[c$*${K}+${plan.reductions.length + j}]=v${id};`),
    ];
    const R = `D[${plan.arrays.length}]`;
    const chunkFn =
      `function(D,P,c$,lo$,hi$,st$,sc,rd){let t$,m$;const R=${R};` +
      (chunkDecl.length ? `let ${chunkDecl.join(',')};` : '') +
      `\n${this.countedLoop(s, v, 'lo$', 'hi$', constStep ?? 'st$', body)}\n${stores.join('')}}`;
    this.chunkSources[plan.index] = `'use strict';
${WORKER_JIT_HELPERS}
return (function(H){return ${chunkFn};})(J);`;
    // Folding the partials: typed as the loop's own updates (wrap, fround, …).
    const fold: string[] = [];
    plan.reductions.forEach((r, j) => {
      const ty = f.localTypes[r.id] as Ty;
      const pid = f.localTypes.length + j;
      const combine = this.js.expr(combineExpr(r, ty, pid));
      fold.push(`{const v${pid}=${q}[c$*${K}+${j}];if(c$===0)v${r.id}=v${pid};else ${combine};}`);
    });
    const last = plan.lastValue.map(
      (id, j) => `v${id}=${q}[(n$-1)*${K}+${plan.reductions.length + j}];`,
    );
    const head =
      `const ${b}=${this.js.expr(s.start)},${e}=${this.js.expr(s.stop)}` +
      (constStep === null ? `,${st}=${this.js.expr(s.step)};if(${st}===0)H.zeroStep();` : ';');
    const call = `${PAR_CALL}P[${plan.index}],${b},${e},${constStep === null ? st : numberLiteral(constStep)},[${data.join(',')}],[${scal.join(',')}],[${red.join(',')}])`;
    return (
      `{${head}const ${q}=${call};
` +
      `if(${q}===null){${this.countedLoop(s, v, b, e, step, body)}}else{const n$=${q}.length/${K};` +
      `for(let c$=0;c$<n$;c$++){${fold.join('')}}${last.join('')}}}`
    );
  }

  private value(v: Value, ty: JitType): string {
    if (isArrayExpr(v)) {
      if (v.k !== 'alocal') throw new Error('internal: returned allocation not in a local');
      const t = this.aty(v.id);
      const p = parts(v.id, t);
      return `H.nd(${p.d},[${p.dims.join(',')}],[${p.dims.map((_, k) => p.s(k)).join(',')}],${p.o})`;
    }
    const t = ty as Ty;
    const code = this.js.expr(v);
    if (t === 'bool') return `(${code}?true:false)`;
    return castCode(v.ty, t, code);
  }

  private result(values: readonly Value[], tuple: boolean): string {
    const r = this.f.ret;
    if (values.length === 0 || r.kind === 'none') return 'return;';
    if (!tuple && r.kind === 'one') return `return ${this.value(values[0], r.ty)};`;
    if (r.kind !== 'tuple') throw new Error('internal: tuple result of a one-value function');
    return `return [${values.map((v, i) => this.value(v, r.tys[i])).join(',')}];`;
  }

  /** The whole function: `inner` takes arrays as parts, `entry` takes ndarrays and numbers. */
  module(name: string): string {
    const f = this.f;
    const fname = safeName(name);
    const params: string[] = [];
    const prologue: string[] = [];
    f.params.forEach((pt, i) => {
      const lt = f.localTypes[i];
      if (isArrayType(pt)) {
        params.push(...arrayParams(i, pt));
        const lp = parts(i, lt as ArrayType);
        const decls: string[] = [];
        // A C-contiguous argument comes without strides: they follow from the extents.
        for (let k = pt.ndim - 1; k >= 0 && pt.layout === 'C'; k--) {
          if (!lp.strideVars.includes(k)) continue;
          decls.push(`${lp.s(k)}=${k === pt.ndim - 1 ? '1' : mul(lp.n(k + 1), lp.s(k + 1))}`);
        }
        decls.push(`${lp.z}=${pt.ndim === 0 ? '1' : lp.dims.join('*')}`);
        prologue.push(`let ${decls.join(',')};`);
      } else {
        params.push(`v${i}`);
        if (lt !== pt) prologue.push(`v${i}=${castCode(pt, lt as Ty, `v${i}`)};`);
      }
    });
    const body = this.js.stmts(f.body, []);
    const callees = f.callees.map((_, i) => `c${i}=C[${i}]`);
    const entryArgs: string[] = [];
    f.params.forEach((pt, i) => {
      if (!isArrayType(pt)) {
        entryArgs.push(`x${i}`);
        return;
      }
      // A C-contiguous array arrives rebased so that its data starts at element 0.
      if (pt.layout === 'C')
        entryArgs.push(`x${i}.offset===0?x${i}.data:x${i}.data.subarray(x${i}.offset)`);
      else entryArgs.push(`x${i}.data`, `x${i}.offset`);
      for (let k = 0; k < pt.ndim; k++) entryArgs.push(`x${i}.shape[${k}]`);
      if (pt.layout !== 'C') for (let k = 0; k < pt.ndim; k++) entryArgs.push(`x${i}.stride[${k}]`);
    });
    const xs = f.params.map((_, i) => `x${i}`).join(',');
    const parallel = this.chunkSources.length > 0;
    // With parallel loops, an `.async` variant awaits the pool instead of blocking.
    const variants = parallel
      ? [
          `function ${fname}(${params.join(',')}){`,
          'let t$,m$;',
          ...prologue,
          body.split(PAR_CALL).join('H.par('),
          '}',
          `async function ${fname}$async(${params.join(',')}){`,
          'let t$,m$;',
          ...prologue,
          body.split(PAR_CALL).join('await H.parA('),
          '}',
          `function entry(${xs}){return ${fname}(${entryArgs.join(',')});}`,
          `function entryAsync(${xs}){return ${fname}$async(${entryArgs.join(',')});}`,
          `return {inner:${fname},entry,entryAsync};`,
        ]
      : [
          `function ${fname}(${params.join(',')}){`,
          'let t$,m$;',
          ...prologue,
          body,
          '}',
          `function entry(${xs}){return ${fname}(${entryArgs.join(',')});}`,
          `return {inner:${fname},entry,entryAsync:null};`,
        ];
    return ["'use strict';", callees.length ? `const ${callees.join(',')};` : '', ...variants]
      .filter((l) => l !== '')
      .join('\n');
  }
}

/** A compiled function: `inner` (arrays as parts, for callers) and `entry` (ndarrays). */
export interface CompiledFunction {
  readonly inner: Function;
  readonly entry: (...args: unknown[]) => unknown;
  /** With parallel loops: the same, waiting for the pool without blocking. */
  readonly entryAsync: ((...args: unknown[]) => Promise<unknown>) | null;
  readonly source: string;
  /** Owner of the version's worker-side loops and of its last-run notes. */
  readonly owner: object;
}

/** Generates and instantiates the JavaScript of a typed function. */
export function compileFunction(
  f: TypedFunction,
  name: string,
  par: ParallelPlan | null = null,
  fastmath = false,
): CompiledFunction {
  const low = new Lowering(f, par, fastmath);
  const source = low.module(name);
  const owner = {};
  const sites: PrangeSite[] = low.chunkSources.map((src, i) => {
    const plan = [...(par?.plans.values() ?? [])].find((p) => p.index === i)!;
    return {
      owner,
      loop: i,
      heavy: plan.heavy,
      nred: plan.reductions.length + plan.lastValue.length,
      written: plan.written,
      src,
    };
  });
  const shared = sites.length > 0 && SHARED_STORAGE !== null;
  const made = compileGenerated(
    'H',
    'S',
    'C',
    'P',
    source,
  )(
    JIT_HELPERS,
    shared ? SHARED_STORAGE : STORAGE,
    f.callees.map((c) => c.fn),
    sites,
  ) as Omit<CompiledFunction, 'source' | 'owner'>;
  const chunks = low.chunkSources.map(
    (src, i) => `// prange loop ${i + 1}, chunk run by the workers\n${src}`,
  );
  return { ...made, source: [source, ...chunks].join('\n\n'), owner };
}
