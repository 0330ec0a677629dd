/**
 * Lowers a whole function (`jit`, see plan/function.ts) to one WebAssembly function, bit
 * for bit what the JS path (jit/emit.ts) computes. Scalars lower through
 * {@link ScalarLowering} (Numba's int64 is the IR's `wint`: an f64, as in JS); arrays
 * through {@link ArrayLowering} (function-arrays.ts). Here: the parameters, the statements
 * of a whole function (counted loops, results) and the loops. Loop counters of
 * `for (let i = a; i < b; i++)` and counted loops whose bounds are small exact integers
 * (extents, constants, integer parameters) run as i64 locals.
 */
import type { Expr, Stmt, Ty } from '../../compiler/ir.js';
import { ValueError } from '../../core/errors.js';
import type { FunctionValueType, WholeFunctionPlan } from '../../plan/function.js';
import type { FuncBuilder, ValType } from './encode.js';
import { ArrayLowering, isArray, type Within } from './function-arrays.js';
import { assignedIn, explicitCasts, isInt, readsOf, SMALL_INT } from './function-ints.js';
import { type Imports, NotLowerable, valType } from './lower.js';

/** The wasm parameters of a function: per array its address (i32), then f64 parts; scalars by type. */
export function functionParams(plan: WholeFunctionPlan): ValType[] {
  const out: ValType[] = [];
  for (const t of plan.params) {
    if (isArray(t)) out.push('i32', 'f64', 'f64', ...new Array<ValType>(2 * t.ndim).fill('f64'));
    else out.push(valType(t));
  }
  return out;
}

/** The wasm results: none, or a flag (1: a value was returned) and the values. */
export function functionResults(plan: WholeFunctionPlan): ValType[] {
  const r = plan.ret;
  if (r.kind === 'none') return [];
  const tys = r.kind === 'one' ? [r.ty] : r.tys;
  return ['i32', ...tys.flatMap(resultTypes)];
}

/**
 * The wasm results of one returned value: a number as itself; an array as where its data
 * comes from (`origin`: the i-th array allocated, or -1 - p for parameter p), its offset,
 * extents and strides.
 */
export function resultTypes(t: FunctionValueType): ValType[] {
  if (!isArray(t)) return [valType(t)];
  return ['i32', 'f64', ...new Array<ValType>(2 * t.ndim).fill('f64')];
}

function zeroStep(): never {
  throw new ValueError('prange() step must not be zero');
}

/** Lowers one whole function into `f` (whose parameters are {@link functionParams}). */ /** Lowers one whole function into `f` (whose parameters are {@link functionParams}). */
export class FunctionLowering extends ArrayLowering {
  private readonly results: number[];
  private readonly flag: number;

  constructor(plan: WholeFunctionPlan, f: FuncBuilder, imp: Imports) {
    super(plan, f, imp);
    const res = functionResults(plan);
    this.flag = res.length ? f.local('i32') : -1;
    this.results = res.slice(1).map((t) => f.local(t));
  }

  /** The whole body: parameters into locals, the statements, then the results. */
  emit(): void {
    const f = this.f;
    let p = 0;
    this.plan.params.forEach((t, id) => {
      if (!isArray(t)) {
        f.get(p++);
        this.convert(t, this.plan.localTypes[id] as Ty);
        f.set(this.locals[id]);
        return;
      }
      const a = this.parts.get(id)!;
      f.i32(-1 - id).set(a.origin);
      f.get(p++).set(a.base);
      const i64 = (local: number) => f.get(p++).op('i64.trunc_f64_s').set(local);
      i64(a.len);
      i64(a.off);
      for (const n of a.n) i64(n);
      for (const s of a.s) i64(s);
      if (t.layout === 'C') {
        // A C-contiguous array's strides follow from its extents, as on the JS path.
        for (let k = t.ndim - 1; k >= 0; k--) {
          if (k === t.ndim - 1) f.i64(1);
          else
            f.get(a.n[k + 1])
              .get(a.s[k + 1])
              .op('i64.mul');
          f.set(a.s[k]);
        }
      }
      f.i64(1);
      for (const n of a.n) f.get(n).op('i64.mul');
      f.set(a.z);
    });
    this.labels = [];
    this.open('block', 'other');
    this.stmts(explicitCasts(this.plan.body));
    this.close();
    if (this.flag >= 0) {
      f.get(this.flag);
      for (const r of this.results) f.get(r);
    }
  }

  protected override stmt(s: Stmt): void {
    if (s.k === 'for' && this.counterFor(s)) return;
    super.stmt(s);
  }

  protected override wholeStmt(s: Extract<Stmt, { k: 'aset' | 'range' | 'result' }>): void {
    switch (s.k) {
      case 'aset': {
        if (s.value.k === 'alloc') {
          this.alloc(this.parts.get(s.id)!, s.value);
          return;
        }
        const src = this.parts.get(s.value.id)!;
        const dst = this.parts.get(s.id)!;
        const f = this.f;
        const pairs: [number, number][] = [
          [src.base, dst.base],
          [src.len, dst.len],
          [src.off, dst.off],
          [src.z, dst.z],
          [src.origin, dst.origin],
          ...src.n.map((n, k): [number, number] => [n, dst.n[k]]),
          ...src.s.map((x, k): [number, number] => [x, dst.s[k]]),
        ];
        for (const [from, to] of pairs) if (from !== to) f.get(from).set(to);
        return;
      }
      case 'range':
        this.range(s);
        return;
      case 'result':
        this.result(s.values, s.tuple);
        return;
    }
  }

  private result(values: Extract<Stmt, { k: 'result' }>['values'], tuple: boolean): void {
    const f = this.f;
    const r = this.plan.ret;
    if (values.length > 0 && r.kind !== 'none') {
      const tys = !tuple && r.kind === 'one' ? [r.ty] : r.kind === 'tuple' ? r.tys : null;
      if (!tys) throw new Error('internal: tuple result of a one-value function');
      let slot = 0;
      tys.forEach((t, i) => {
        const v = values[i];
        if (v.k === 'alocal' || v.k === 'alloc') {
          if (v.k === 'alloc') throw new Error('internal: returned allocation not in a local');
          const a = this.parts.get(v.id)!;
          f.get(a.origin).set(this.results[slot++]);
          f.get(a.off).op('f64.convert_i64_s').set(this.results[slot++]);
          for (const n of a.n) f.get(n).op('f64.convert_i64_s').set(this.results[slot++]);
          for (const x of a.s) f.get(x).op('f64.convert_i64_s').set(this.results[slot++]);
          return;
        }
        const ty = t as Ty;
        // A boolean result is the JS truthiness of the value (NaN is false), as `v ? true : false`.
        if (ty === 'bool') this.test(v);
        else {
          this.expr(v);
          this.convert(v.ty, ty);
        }
        f.set(this.results[slot++]);
      });
      f.i32(1).set(this.flag);
    }
    f.br(this.depthOf('kernel'));
  }

  /** A counted loop: i64 counter when its bounds are small exact integers, else as in JS. */
  private range(s: Extract<Stmt, { k: 'range' }>): void {
    if (s.parallel && this.plan.parallel)
      throw new NotLowerable('prange loops of a parallel function run on the worker pool');
    const f = this.f;
    const step = s.step.k === 'const' ? s.step.value : null;
    if (step === 0) {
      f.call(this.imp.get('zeroStep', [], [], zeroStep), 'ValueError');
      return;
    }
    if (
      step !== null &&
      Number.isInteger(step) &&
      Math.abs(step) <= SMALL_INT &&
      isInt(s.start, this.intLocal) &&
      isInt(s.stop, this.intLocal)
    ) {
      const cnt = this.take('i64');
      const end = this.take('i64');
      this.int(s.start);
      f.set(cnt);
      this.int(s.stop);
      f.set(end);
      const w = step > 0 ? this.upTo(s.start, s.stop, s.body) : undefined;
      this.counted(
        s.id,
        cnt,
        s.body,
        () => {
          f.get(cnt)
            .get(end)
            .op(step > 0 ? 'i64.lt_s' : 'i64.gt_s');
        },
        step,
        w,
      );
      this.give('i64', end);
      this.give('i64', cnt);
      return;
    }
    // As the JS path: f64 counter, bounds (and step) read once.
    const v = this.locals[s.id];
    const lt = this.plan.localTypes[s.id] as Ty;
    const end = this.take('f64');
    const st = this.take('f64');
    this.expr(s.start);
    this.convert(s.start.ty, lt);
    f.set(v);
    this.expr(s.stop);
    this.convert(s.stop.ty, 'float64');
    f.set(end);
    this.expr(s.step);
    this.convert(s.step.ty, 'float64');
    f.tee(st).f64(0).op('f64.eq');
    f.open('if');
    f.call(this.imp.get('zeroStep', [], [], zeroStep), 'ValueError');
    f.op('end');
    this.loop(
      s.body,
      () => {
        // st > 0 ? v < end : v > end
        f.get(v).get(end).op('f64.lt');
        f.get(v).get(end).op('f64.gt');
        f.get(st).f64(0).op('f64.gt');
        f.op('select');
      },
      () => {
        f.get(v).get(st).op('f64.add').set(v);
      },
    );
    this.give('f64', st);
    this.give('f64', end);
  }

  /** A loop over the i64 counter `cnt` of local `id`, stepping by `step`. */
  private counted(
    id: number,
    cnt: number,
    body: readonly Stmt[],
    test: () => void,
    step: number,
    within?: Within,
  ) {
    const f = this.f;
    this.counters.set(id, cnt);
    if (within) this.within.set(id, within);
    this.loop(body, test, () => {
      f.get(cnt).i64(step).op('i64.add').set(cnt);
    });
    this.counters.delete(id);
    this.within.delete(id);
  }

  /**
   * The axis a rising counter stays on: from a constant >= 0 while below `a.shape[k]`,
   * with `a` not rebound in the loop.
   */
  private upTo(start: Expr, stop: Expr, body: readonly Stmt[]): Within | undefined {
    if (start.k !== 'const' || !(start.value >= 0)) return undefined;
    let slack = 0;
    let bound = stop;
    if (stop.k === 'binary' && stop.op === '-' && stop.r.k === 'const' && stop.r.value >= 0) {
      slack = stop.r.value;
      bound = stop.l;
    }
    const dim = this.dimOf(bound);
    if (!dim || assignedIn(body).arrays.has(dim.arr)) return undefined;
    return { ...dim, lo: start.value, slack };
  }

  /** The array axis an extent expression reads: `a.shape[k]`, or a local set once from it. */
  private dimOf(e: Expr): { arr: number; axis: number } | undefined {
    if (e.k === 'dim') return e.axis >= 0 ? { arr: e.arr, axis: e.axis } : undefined;
    if (e.k === 'local') return this.dimLocals.get(e.id);
    return undefined;
  }

  /** The same for a falling counter: from `a.shape[k] - c` (c >= 1) while `>= 0` (or `> -1`). */
  private downFrom(start: Expr, op: string, stop: Expr, body: readonly Stmt[]): Within | undefined {
    if (start.k !== 'binary' || start.op !== '-') return undefined;
    const dim = this.dimOf(start.l);
    if (!dim || start.r.k !== 'const' || !(start.r.value >= 1)) return undefined;
    if (
      stop.k !== 'const' ||
      !((op === '>=' && stop.value === 0) || (op === '>' && stop.value === -1))
    )
      return undefined;
    if (assignedIn(body).arrays.has(dim.arr)) return undefined;
    return { ...dim, lo: 0, slack: start.r.value - 1 };
  }

  /**
   * `for (let i = a; i < b; i++)` with small exact integer bounds, `b` unchanged by the body
   * and `i` changed only by the update: an i64 counter. False when the loop is not of that form.
   */
  private counterFor(s: Extract<Stmt, { k: 'for' }>): boolean {
    if (s.init.length !== 1 || !s.test || !s.update) return false;
    const init = s.init[0];
    if (init.k !== 'let' || !init.init || this.plan.localTypes[init.id] !== 'wint') return false;
    const id = init.id;
    const test = s.test;
    if (test.k !== 'compare' || test.l.k !== 'local' || test.l.id !== id) return false;
    const u = s.update;
    let step: number;
    if (u.k === 'update' && u.id === id) step = u.delta;
    else if (
      u.k === 'assign' &&
      u.id === id &&
      u.value.k === 'binary' &&
      (u.value.op === '+' || u.value.op === '-') &&
      u.value.l.k === 'local' &&
      u.value.l.id === id &&
      u.value.r.k === 'const' &&
      Number.isInteger(u.value.r.value) &&
      Math.abs(u.value.r.value) <= SMALL_INT
    )
      step = u.value.op === '+' ? u.value.r.value : -u.value.r.value;
    else return false;
    if (!isInt(init.init, this.intLocal) || !isInt(test.r, this.intLocal)) return false;
    const written = assignedIn(s.body, [u]);
    const inBody = assignedIn(s.body);
    if (inBody.locals.has(id)) return false;
    const reads = readsOf(test.r);
    // The JS path reads the bound at each test: it must not change (no element reads).
    if (reads.loads) return false;
    for (const l of reads.locals) if (written.locals.has(l)) return false;
    for (const a of reads.arrays) if (written.arrays.has(a)) return false;
    const cmp = {
      '<': 'i64.lt_s',
      '<=': 'i64.le_s',
      '>': 'i64.gt_s',
      '>=': 'i64.ge_s',
      '===': 'i64.eq',
      '!==': 'i64.ne',
    }[test.op];
    const f = this.f;
    const cnt = this.take('i64');
    const end = this.take('i64');
    this.int(init.init);
    f.set(cnt);
    this.int(test.r);
    f.set(end);
    const w =
      step > 0 && test.op === '<'
        ? this.upTo(init.init, test.r, s.body)
        : step < 0
          ? this.downFrom(init.init, test.op, test.r, s.body)
          : undefined;
    this.counted(id, cnt, s.body, () => f.get(cnt).get(end).op(cmp), step, w);
    this.give('i64', end);
    this.give('i64', cnt);
    return true;
  }
}
