/**
 * i32 loop counters for the gufunc wasm loops. A gufunc kernel's loop variables are weak
 * integers (`let i = 0`), which the scalar lowering holds as f64, so each view index costs
 * a checked float-to-integer conversion and each `i < n` a float compare. Here an interval
 * analysis finds the weak-integer locals whose every value is an integer in i32 range:
 *
 * - counters: `for (let i = A; i < B; i++)` (also `<=`, `i += c`, and down-counting with
 *   `>`/`>=` and `i--`/`i -= c`) where `i` is written nowhere else, `A` and `B` are such
 *   expressions; `i` then stays between `A` and `B` plus the step;
 * - invariants: `const n = a.shape[0] - 1` (one `let` with an init, never written again);
 *
 * where such an expression is made of integer constants, view sizes (`x.shape[k]`, at most
 * 2^31 - 1: the runner sends larger calls to the JS loop), those locals, `+`, `-`, and `*`
 * of non-negative operands, every partial result inside i32. Over those, i32 arithmetic is
 * the exact arithmetic JS does in doubles, and no -0 can arise (no negation, no product
 * with a negative operand), so the kernel is rewritten with those locals typed `int32`;
 * where a weak value is still needed (`s += i`), the i32 value is converted back, exactly.
 *
 * The rewrite also marks view indices that cannot leave their extent: a counter from a
 * non-negative start below `x.shape[k]` (or a local holding it), used inside its loop's
 * body to index a dim with the same core label. Those accesses need no bounds check.
 */
import type { Expr, Stmt, Ty, TypedKernel } from '../../compiler/ir.js';
import { forEachStmt, forEachValue } from '../../compiler/visit.js';
import type { ViewRef } from '../../plan/gufunc.js';

const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;

/** An interval of integers. */
interface Range {
  readonly lo: number;
  readonly hi: number;
}

/** What the analysis needs to know of the views: the sizes their dims may have. */
export interface ViewDims {
  /** The range of `x.shape[dim]` for view parameter p (sizes below 2^31). */
  shapeRange(p: number, dim: number): Range;
  /** The core label of view p's dim: dims with one label have one size. */
  label(p: number, dim: number): number;
}

/** A view access's payload after the rewrite: which indices are known to be in bounds. */
export interface CheckedViewRef extends ViewRef {
  readonly inBounds?: readonly boolean[];
}

/** The kernel with i32 locals, and which they are (for `inspect`). */
export interface I32Kernel {
  readonly kernel: TypedKernel;
  /** Locals now typed int32 (ids). */
  readonly locals: readonly number[];
  /** View indices proved in bounds (their checks dropped). */
  readonly unchecked: number;
}

const fits = (r: Range) => r.lo >= I32_MIN && r.hi <= I32_MAX;

/** A counted `for` loop over one local. */
interface Counter {
  readonly loop: Extract<Stmt, { k: 'for' }>;
  readonly id: number;
  readonly start: Expr;
  readonly bound: Expr;
  /** The comparison `id op bound` that keeps the loop running. */
  readonly op: '<' | '<=' | '>' | '>=';
  readonly step: number;
}

/** Finds the i32 locals of `k` and rewrites it to hold them as i32 (see the module comment). */
export function withI32Counters(k: TypedKernel, dims: ViewDims): I32Kernel {
  const a = new Analysis(k, dims);
  if (a.ranges.size === 0) return { kernel: k, locals: [], unchecked: 0 };
  const r = new Rewrite(a, dims);
  const body = r.stmts(k.body);
  const localTypes: Ty[] = k.localTypes.map((t, id) => (a.ranges.has(id) ? 'int32' : t));
  return {
    kernel: { ...k, localTypes, body },
    locals: [...a.ranges.keys()].sort((x, y) => x - y),
    unchecked: r.unchecked,
  };
}

class Analysis {
  /** The resolved i32 locals and the values they may hold. */
  readonly ranges = new Map<number, Range>();
  /** Counters by local id. */
  readonly counters = new Map<number, Counter>();
  /** Invariant locals' inits by local id. */
  readonly invariants = new Map<number, Expr>();

  constructor(
    private readonly k: TypedKernel,
    private readonly dims: ViewDims,
  ) {
    this.candidates();
    // Each candidate's range needs those of the locals its init and bound read: resolve
    // them in rounds until none more resolves (a cycle stays f64).
    for (let changed = true; changed; ) {
      changed = false;
      for (const [id, c] of this.counters)
        if (!this.ranges.has(id) && this.resolveCounter(c)) changed = true;
      for (const [id, init] of this.invariants) {
        if (this.ranges.has(id)) continue;
        const r = this.range(init);
        if (r) {
          this.ranges.set(id, withZero(r));
          changed = true;
        }
      }
    }
  }

  private candidates(): void {
    const k = this.k;
    const lets = new Map<number, Extract<Stmt, { k: 'let' }>[]>();
    const writes = new Map<number, Expr[]>();
    const push = <T>(m: Map<number, T[]>, id: number, v: T) => {
      const l = m.get(id);
      if (l) l.push(v);
      else m.set(id, [v]);
    };
    forEachValue(
      k.body,
      (v) => {
        if (v.k === 'assign' || v.k === 'update') push(writes, v.id, v);
      },
      (s) => {
        if (s.k === 'let') push(lets, s.id, s);
      },
    );
    const weak = (id: number) =>
      k.localTypes[id] === 'wint' && id >= k.paramTypes.length && lets.get(id)?.length === 1;
    forEachStmt(k.body, (s) => {
      if (s.k !== 'for') return;
      const c = counterOf(s);
      if (c && weak(c.id) && writes.get(c.id)?.length === 1 && writes.get(c.id)![0] === s.update)
        this.counters.set(c.id, c);
    });
    for (const [id, l] of lets)
      if (weak(id) && l[0].init && !writes.has(id) && !this.counters.has(id))
        this.invariants.set(id, l[0].init);
  }

  private resolveCounter(c: Counter): boolean {
    const a = this.range(c.start);
    const b = this.range(c.bound);
    if (!a || !b) return false;
    let r: Range;
    // The step runs only after the test held (the body cannot write the counter).
    if (c.step > 0) {
      if (c.op !== '<' && c.op !== '<=') return false;
      const last = (c.op === '<' ? b.hi - 1 : b.hi) + c.step;
      r = { lo: a.lo, hi: Math.max(a.hi, last) };
    } else {
      if (c.op !== '>' && c.op !== '>=') return false;
      const last = (c.op === '>' ? b.lo + 1 : b.lo) + c.step;
      r = { lo: Math.min(a.lo, last), hi: a.hi };
    }
    r = withZero(r);
    if (!fits(r)) return false;
    this.ranges.set(c.id, r);
    return true;
  }

  /** The values a weak-integer expression may take, when they are i32 integers throughout. */
  range(e: Expr): Range | undefined {
    if (e.ty !== 'wint') return undefined;
    let r: Range | undefined;
    switch (e.k) {
      case 'const':
        if (!Number.isInteger(e.value) || Object.is(e.value, -0)) return undefined;
        r = { lo: e.value, hi: e.value };
        break;
      case 'local':
        return this.ranges.get(e.id);
      case 'ext':
        if (e.op !== 'shape') return undefined;
        return this.dims.shapeRange(e.data.p, e.data.dim);
      case 'binary': {
        const l = this.range(e.l);
        const rr = l && this.range(e.r);
        if (!l || !rr) return undefined;
        if (e.op === '+') r = { lo: l.lo + rr.lo, hi: l.hi + rr.hi };
        else if (e.op === '-') r = { lo: l.lo - rr.hi, hi: l.hi - rr.lo };
        else if (e.op === '*' && l.lo >= 0 && rr.lo >= 0)
          r = { lo: l.lo * rr.lo, hi: l.hi * rr.hi };
        else return undefined;
        break;
      }
      default:
        return undefined;
    }
    return fits(r) ? r : undefined;
  }

  /** The core label whose size bounds `e` (`x.shape[k]`, or an invariant holding it). */
  sizeLabel(e: Expr): number | undefined {
    if (e.k === 'ext' && e.op === 'shape') return this.dims.label(e.data.p, e.data.dim);
    if (e.k === 'local' && this.ranges.has(e.id)) {
      const init = this.invariants.get(e.id);
      return init ? this.sizeLabel(init) : undefined;
    }
    return undefined;
  }
}

/** Every local read before its `let` ran holds 0 (wasm zeroes its locals). */
const withZero = (r: Range): Range => ({ lo: Math.min(r.lo, 0), hi: Math.max(r.hi, 0) });

const FLIP = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

/** The counted-loop form of a `for`, if it has one. */
function counterOf(s: Extract<Stmt, { k: 'for' }>): Counter | undefined {
  const [init] = s.init;
  if (s.init.length !== 1 || init.k !== 'let' || !init.init || !s.test || !s.update) return;
  const id = init.id;
  const u = s.update;
  let step: number | undefined;
  if (u.k === 'update' && u.id === id) step = u.delta;
  else if (u.k === 'assign' && u.id === id && u.value.k === 'binary') {
    const v = u.value;
    if (
      v.l.k === 'local' &&
      v.l.id === id &&
      v.r.k === 'const' &&
      Number.isInteger(v.r.value) &&
      v.r.value > 0 &&
      v.r.value < 2 ** 16 &&
      (v.op === '+' || v.op === '-')
    )
      step = v.op === '+' ? v.r.value : -v.r.value;
  }
  if (step === undefined) return;
  const t = s.test;
  if (t.k !== 'compare' || !(t.op in FLIP)) return;
  const op = t.op as keyof typeof FLIP;
  if (t.l.k === 'local' && t.l.id === id)
    return { loop: s, id, start: init.init, bound: t.r, op, step };
  if (t.r.k === 'local' && t.r.id === id)
    return { loop: s, id, start: init.init, bound: t.l, op: FLIP[op], step };
  return;
}

/** The rewrite: i32 locals typed int32, weak uses converted back, safe view indices marked. */
class Rewrite {
  unchecked = 0;
  /** Counters known, in the body being rewritten, to lie in [0, size of label). */
  private readonly below = new Map<number, number>();

  constructor(
    private readonly a: Analysis,
    private readonly dims: ViewDims,
  ) {}

  private held(id: number): boolean {
    return this.a.ranges.has(id);
  }

  stmts(list: readonly Stmt[]): Stmt[] {
    return list.map((s) => this.stmt(s));
  }

  private stmt(s: Stmt): Stmt {
    switch (s.k) {
      case 'let':
        if (!s.init) return s;
        return { ...s, init: this.held(s.id) ? this.int(s.init) : this.expr(s.init) };
      case 'expr':
        return { ...s, e: this.effect(s.e) };
      case 'if':
        return {
          ...s,
          test: this.expr(s.test),
          cons: this.stmts(s.cons),
          alt: s.alt && this.stmts(s.alt),
        };
      case 'for': {
        const init = this.stmts(s.init);
        const test = s.test && this.expr(s.test);
        const update = s.update && this.effect(s.update);
        const c = this.a.counters.get(s.init[0]?.k === 'let' ? s.init[0].id : -1);
        let fact: number | undefined;
        if (c && c.loop === s && this.held(c.id) && c.step > 0 && c.op === '<') {
          const start = this.a.range(c.start);
          if (start && start.lo >= 0) fact = this.a.sizeLabel(c.bound);
        }
        if (fact !== undefined) this.below.set(c!.id, fact);
        const body = this.stmts(s.body);
        if (fact !== undefined) this.below.delete(c!.id);
        return { ...s, init, test, update, body };
      }
      case 'while':
      case 'dowhile':
        return { ...s, test: this.expr(s.test), body: this.stmts(s.body) };
      case 'return':
        return { ...s, values: s.values.map((v) => this.expr(v)) };
      case 'block':
        return { ...s, body: this.stmts(s.body) };
      default:
        return s;
    }
  }

  /** An expression whose value is dropped: a write of an i32 local needs no conversion back. */
  private effect(e: Expr): Expr {
    if ((e.k === 'assign' || e.k === 'update') && this.held(e.id)) return this.write(e);
    return this.expr(e);
  }

  private write(e: Extract<Expr, { k: 'assign' | 'update' }>): Expr {
    if (e.k === 'update') return { ...e, ty: 'int32' };
    return { ...e, value: this.int(e.value), ty: 'int32' };
  }

  /** `e` unchanged in value and type, its i32 parts computed in i32. */
  expr(e: Expr): Expr {
    if (e.k !== 'const' && this.a.range(e)) return { k: 'cast', arg: this.int(e), ty: 'wint' };
    switch (e.k) {
      case 'local':
        return this.held(e.id) ? { k: 'cast', arg: this.int(e), ty: 'wint' } : e;
      case 'assign':
      case 'update':
        if (this.held(e.id)) return { k: 'cast', arg: this.write(e), ty: 'wint' };
        return e.k === 'assign' ? { ...e, value: this.expr(e.value) } : e;
      case 'compare': {
        const l = this.a.range(e.l);
        const r = this.a.range(e.r);
        if (l && r && !(e.l.k === 'const' && e.r.k === 'const'))
          return { ...e, l: this.int(e.l), r: this.int(e.r) };
        return { ...e, l: this.expr(e.l), r: this.expr(e.r) };
      }
      case 'ext':
        if (e.op === 'get' || e.op === 'set') return this.access(e);
        return { ...e, args: e.args.map((x) => this.expr(x)) };
      case 'binary':
        return { ...e, l: this.expr(e.l), r: this.expr(e.r) };
      case 'logical':
        return { ...e, l: this.expr(e.l), r: this.expr(e.r) };
      case 'unary':
      case 'cast':
        return { ...e, arg: this.expr(e.arg) };
      case 'cond':
        return { ...e, test: this.expr(e.test), a: this.expr(e.a), b: this.expr(e.b) };
      case 'math':
        return { ...e, args: e.args.map((x) => this.expr(x)) };
      case 'seq':
        return {
          ...e,
          items: e.items.map((x, i) => (i < e.items.length - 1 ? this.effect(x) : this.expr(x))),
        };
      default:
        return e;
    }
  }

  /** A view read or write: i32 indices, those that cannot leave their extent marked. */
  private access(e: Extract<Expr, { k: 'ext'; op: 'get' | 'set' }>): Expr {
    const p = e.data.p;
    const n = e.op === 'get' ? e.args.length : e.args.length - 1;
    const inBounds: boolean[] = [];
    const args = e.args.map((x, d) => {
      if (d >= n) return this.expr(x);
      const safe =
        x.k === 'local' && this.held(x.id) && this.below.get(x.id) === this.dims.label(p, d);
      inBounds.push(safe);
      if (safe) this.unchecked++;
      return this.a.range(x) ? this.int(x) : this.expr(x);
    });
    const data: CheckedViewRef = { ...e.data, inBounds };
    return { ...e, args, data } as Expr;
  }

  /** `e` (an expression whose range the analysis knows) typed and computed as int32. */
  private int(e: Expr): Expr {
    switch (e.k) {
      case 'const':
      case 'local':
        return { ...e, ty: 'int32' };
      case 'ext':
        return { ...e, ty: 'int32' };
      case 'binary':
        return { ...e, l: this.int(e.l), r: this.int(e.r), ty: 'int32' };
      default:
        throw new Error(`internal: ${e.k} is not an i32 expression`);
    }
  }
}
