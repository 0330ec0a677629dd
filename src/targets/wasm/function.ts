/**
 * Lowers a whole function (`jit`, see plan/function.ts) to one WebAssembly function, bit
 * for bit what the JS path (jit/emit.ts) computes. Scalars lower through
 * {@link ScalarLowering} (Numba's int64 is the IR's `wint`: an f64, as in JS). Each array
 * local is a set of wasm locals, as the JS path keeps an array in variables: the byte
 * address of its block's element 0 (i32), the block's length, the view's offset, extents
 * and strides (i64, in elements). An element access computes its element offset the way the
 * JS path does (in i64 when every index is a small exact integer, else in f64), checks it
 * lies in the block and is an integer, and loads or stores at `address + offset × size`.
 * A JS TypedArray read there gives `undefined`; here the access raises an IndexError (the
 * wasm function must never touch memory outside the array's block), which is the one place
 * the two paths differ. With `boundscheck`, each index is checked against its axis first,
 * with the JS path's IndexError.
 *
 * Loop counters of `for (let i = a; i < b; i++)` and counted loops whose bounds are small
 * exact integers (extents, constants, integer parameters) run as i64 locals.
 */
import type { ArrayExpr, ArrayType, Expr, Stmt, Ty, TypedKernel } from '../../compiler/ir.js';
import { isWeak } from '../../compiler/ir.js';
import { STORAGE } from '../../core/dtypes.js';
import { IndexError, ValueError } from '../../core/errors.js';
import type { FunctionValueType, WholeFunctionPlan } from '../../plan/function.js';
import type { FuncBuilder, ValType } from './encode.js';
import { allocator, bytesOf, checkedDim } from './function-allocs.js';
import {
  assignedIn,
  dimLocals,
  explicitCasts,
  isI32Int,
  isInt,
  readsOf,
  SMALL_INT,
  stableIntegers,
} from './function-ints.js';
import { type Imports, NotLowerable, ScalarLowering, valType } from './lower.js';
import { LOAD, STORE } from './map.js';

/** The wasm locals of one array local. */
interface Parts {
  readonly ty: ArrayType;
  readonly base: number;
  readonly len: number;
  readonly off: number;
  readonly n: readonly number[];
  readonly s: readonly number[];
  readonly z: number;
  /** Where the data comes from: the i-th allocation, or -1 - p for parameter p. */
  readonly origin: number;
}

/** An array local and one of its axes. */
interface Within {
  readonly arr: number;
  readonly axis: number;
  /** The counter stays in [lo, shape[axis] - slack). */
  readonly lo: number;
  readonly slack: number;
}

const isArray = (t: FunctionValueType): t is ArrayType => typeof t === 'object';

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

/** Checks what the lowering refuses up front, with the reason the JS path runs instead. */
function refuse(plan: WholeFunctionPlan): void {
  if (plan.fastmath) throw new NotLowerable('fastmath reductions keep several accumulators in JS');
  for (const t of plan.localTypes) {
    if (isArray(t) && t.dtype === 'uint8_clamped') throw new NotLowerable('uint8_clamped arrays');
  }
}

/** The typed kernel view of a function that {@link ScalarLowering} reads: arrays are special. */
function kernelView(plan: WholeFunctionPlan): TypedKernel {
  refuse(plan);
  const special: number[] = [];
  const localTypes = plan.localTypes.map((t, i): Ty => {
    if (!isArray(t)) return t;
    special.push(i);
    return 'int32';
  });
  return {
    paramTypes: [],
    localTypes,
    localNames: [],
    body: [],
    outTypes: [],
    freeNames: [],
    specialParams: special,
  };
}

/** `i`, `i + d` or `i - d` for a local `i` and an integer constant `d`. */
function counterPlus(e: Expr): { id: number; d: number } | undefined {
  if (e.k === 'local') return { id: e.id, d: 0 };
  if (e.k !== 'binary' || (e.op !== '+' && e.op !== '-') || e.l.k !== 'local') return undefined;
  if (e.r.k !== 'const' || !Number.isInteger(e.r.value) || Math.abs(e.r.value) > SMALL_INT)
    return undefined;
  return { id: e.l.id, d: e.op === '+' ? e.r.value : -e.r.value };
}

const noExt = (): never => {
  throw new NotLowerable('kernel extension nodes');
};

function oob(off: number, len: number): never {
  throw new IndexError(
    `index out of range: element ${off} of a view lies outside its array's ${len}-element block (the WebAssembly path raises where the JS path reads undefined; boundscheck: true names the axis)`,
  );
}

function boundsError(i: number, axis: number, shape: readonly number[]): never {
  throw new IndexError(
    `index ${i} is out of bounds for axis ${axis} with size ${shape[axis]} (array shape [${shape.join(', ')}])`,
  );
}

function zeroStep(): never {
  throw new ValueError('prange() step must not be zero');
}

/** Lowers one whole function into `f` (whose parameters are {@link functionParams}). */
export class FunctionLowering extends ScalarLowering {
  private readonly parts = new Map<number, Parts>();
  /** i64 locals of the loop counters in scope, by local id. */
  private readonly counters = new Map<number, number>();
  /**
   * Counters known to stay on an axis of an array local (a loop from 0 below `a.shape[k]`,
   * `a` not rebound in it): indices that need no check, since every view argument lies
   * inside its block (the caller checks that once per call).
   */
  private readonly within = new Map<number, Within>();
  private readonly stable: Set<number>;
  /** Locals set once from an extent of an array that is never rebound. */
  private readonly dimLocals: Map<number, { arr: number; axis: number }>;
  private readonly results: number[];
  private readonly flag: number;
  /** How many arrays the call has allocated so far. */
  private readonly allocs: number;

  constructor(
    private readonly plan: WholeFunctionPlan,
    f: FuncBuilder,
    private readonly imp: Imports,
  ) {
    super(kernelView(plan), f, imp, noExt);
    this.stable = stableIntegers(plan);
    this.dimLocals = dimLocals(plan, this.stable);
    plan.localTypes.forEach((t, id) => {
      if (!isArray(t)) return;
      const dims = Array.from({ length: t.ndim }, () => f.local('i64'));
      this.parts.set(id, {
        ty: t,
        base: f.local('i32'),
        len: f.local('i64'),
        off: f.local('i64'),
        n: dims,
        s: Array.from({ length: t.ndim }, () => f.local('i64')),
        z: f.local('i64'),
        origin: f.local('i32'),
      });
    });
    const res = functionResults(plan);
    this.flag = res.length ? f.local('i32') : -1;
    this.results = res.slice(1).map((t) => f.local(t));
    this.allocs = f.local('i32');
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

  private intLocal = (id: number) => this.counters.has(id) || this.stable.has(id);

  /** Pushes an integer `e` (see {@link isInt}) as i64. */
  private int(e: Expr): void {
    const f = this.f;
    if (isI32Int(e.ty)) {
      this.expr(e);
      f.op(
        e.ty === 'int8' || e.ty === 'int16' || e.ty === 'int32'
          ? 'i64.extend_i32_s'
          : 'i64.extend_i32_u',
      );
      return;
    }
    switch (e.k) {
      case 'const':
        f.i64(e.value);
        return;
      case 'dim': {
        const a = this.parts.get(e.arr)!;
        f.get(e.axis < 0 ? a.z : a.n[e.axis]);
        return;
      }
      case 'local': {
        const c = this.counters.get(e.id);
        if (c !== undefined) f.get(c);
        else f.get(this.locals[e.id]).op('i64.trunc_f64_s');
        return;
      }
      case 'cast':
        this.int(e.arg);
        return;
      case 'binary':
        this.int(e.l);
        this.int(e.r);
        f.op(e.op === '+' ? 'i64.add' : 'i64.sub');
        return;
      default:
        throw new Error(`internal: ${e.k} is not an i64 integer`);
    }
  }

  override expr(e: Expr): void {
    const f = this.f;
    if (e.k === 'local' && this.counters.has(e.id)) {
      f.get(this.counters.get(e.id)!).op('f64.convert_i64_s');
      return;
    }
    if (e.k === 'binary' && isWeak(e.ty) && this.weakBinary(e)) return;
    if (e.k === 'unary' && e.op === '~' && isWeak(e.ty)) {
      this.expr(e.arg);
      this.convert(e.arg.ty, 'int32');
      f.i32(-1).op('i32.xor').op('f64.convert_i32_s');
      return;
    }
    super.expr(e);
  }

  /** Int64 bit operations (JS's on doubles: ToInt32, the i32 operation) and `%` by a power of two. */
  private weakBinary(e: Extract<Expr, { k: 'binary' }>): boolean {
    const f = this.f;
    const op = e.op;
    if (op === '%' && e.ty === 'wint' && e.r.k === 'const') {
      const c = e.r.value;
      if (!(c >= 2 && c <= 2 ** 52 && Number.isInteger(Math.log2(c)))) return false;
      // The JS path's form: l - trunc(l * (1/c)) * c (exact for integers, sign of l).
      const m = this.take('f64');
      this.expr(e.l);
      f.tee(m)
        .get(m)
        .f64(1 / c)
        .op('f64.mul')
        .op('f64.trunc')
        .f64(c)
        .op('f64.mul');
      f.op('f64.sub');
      this.give('f64', m);
      return true;
    }
    const ops: Record<string, string> = {
      '&': 'i32.and',
      '|': 'i32.or',
      '^': 'i32.xor',
      '<<': 'i32.shl',
      '>>': 'i32.shr_s',
      '>>>': 'i32.shr_u',
    };
    if (!ops[op]) return false;
    this.expr(e.l);
    this.convert(e.l.ty, 'int32');
    this.expr(e.r);
    this.convert(e.r.ty, 'int32');
    f.op(ops[op]).op(op === '>>>' ? 'f64.convert_i32_u' : 'f64.convert_i32_s');
    return true;
  }

  protected override arrayNode(e: Extract<Expr, { k: 'load' | 'store' | 'dim' | 'call' }>): void {
    const f = this.f;
    switch (e.k) {
      case 'dim': {
        const a = this.parts.get(e.arr)!;
        f.get(e.axis < 0 ? a.z : a.n[e.axis]).op('f64.convert_i64_s');
        this.convert('wint', e.ty);
        return;
      }
      case 'load': {
        const a = this.parts.get(e.arr)!;
        this.address(e.arr, a, e.index, e.check);
        f.mem(LOAD[a.ty.dtype][0]);
        return;
      }
      case 'store': {
        const a = this.parts.get(e.arr)!;
        const dt = a.ty.dtype;
        const at = this.take('i32');
        const vt = valType(e.value.ty);
        const v = this.take(vt);
        this.address(e.arr, a, e.index, e.check);
        f.set(at);
        this.expr(e.value);
        f.set(v);
        f.get(at).get(v);
        this.convert(e.value.ty, dt);
        f.mem(STORE[dt]);
        // The expression's value: what was stored (a bool array stores 0/1).
        f.get(v);
        if (dt === 'bool' && e.value.ty !== 'bool') {
          this.convert(e.value.ty, 'bool');
          this.convert('bool', e.value.ty);
        }
        this.give('i32', at);
        this.give(vt, v);
        return;
      }
      case 'call':
        throw new NotLowerable('calls of helper functions (functions: { … }) run on the JS path');
    }
  }

  /** Pushes the byte address of element `index` of `a` (raising where the JS path reads undefined). */
  private address(id: number, a: Parts, index: readonly Expr[], check: boolean): void {
    const f = this.f;
    if (this.proven(id, index)) {
      this.provenAddress(a, index);
      return;
    }
    const c = a.ty.layout === 'C';
    const last = a.ty.ndim - 1;
    const exact = index.every((ix) => isInt(ix, this.intLocal));
    const t = exact ? 'i64' : 'f64';
    const off = this.take(t);
    const ix = this.take(t);
    let terms = 0;
    if (!c) {
      f.get(a.off);
      if (!exact) f.op('f64.convert_i64_s');
      terms++;
    }
    index.forEach((e, k) => {
      if (exact) this.int(e);
      else {
        this.expr(e);
        this.convert(e.ty, 'float64');
      }
      if (check) this.checkAxis(a, k, ix, exact);
      if (!(c && k === last)) {
        f.get(a.s[k]);
        if (exact) f.op('i64.mul');
        else f.op('f64.convert_i64_s').op('f64.mul');
      }
      if (terms++ > 0) f.op(exact ? 'i64.add' : 'f64.add');
    });
    if (terms === 0) {
      if (exact) f.i64(0);
      else f.f64(0);
    }
    f.set(off);
    // Inside the block (and, in f64, an integer): else the JS path reads undefined.
    if (exact) f.get(off).get(a.len).op('i64.lt_u');
    else {
      f.get(off).f64(0).op('f64.ge');
      f.get(off).get(a.len).op('f64.convert_i64_s').op('f64.lt').op('i32.and');
      f.get(off).op('f64.trunc').get(off).op('f64.eq').op('i32.and');
    }
    f.op('i32.eqz');
    f.open('if');
    f.get(off);
    if (exact) f.op('f64.convert_i64_s');
    f.get(a.len).op('f64.convert_i64_s');
    f.call(this.imp.get('oob', ['f64', 'f64'], [], oob), 'IndexError');
    f.op('end');
    f.get(a.base).get(off);
    if (!exact) f.op('i64.trunc_f64_s');
    f.op('i32.wrap_i64');
    const shift = Math.log2(STORAGE[a.ty.dtype].BYTES_PER_ELEMENT);
    if (shift) f.i32(shift).op('i32.shl');
    f.op('i32.add');
    this.give(t, ix);
    this.give(t, off);
  }

  /** Whether every index is a counter known to stay on its axis of array local `id`. */
  private proven(id: number, index: readonly Expr[]): boolean {
    return index.every((e, k) => {
      const c = counterPlus(e);
      if (!c) return false;
      const w = this.within.get(c.id);
      return (
        w !== undefined &&
        this.counters.has(c.id) &&
        w.arr === id &&
        w.axis === k &&
        w.lo + c.d >= 0 &&
        c.d <= w.slack
      );
    });
  }

  /** The address of an element whose indices lie on their axes: no check needed. */
  private provenAddress(a: Parts, index: readonly Expr[]): void {
    const f = this.f;
    const c = a.ty.layout === 'C';
    const last = a.ty.ndim - 1;
    let terms = 0;
    if (!c) {
      f.get(a.off);
      terms++;
    }
    index.forEach((e, k) => {
      const { id, d } = counterPlus(e)!;
      f.get(this.counters.get(id)!);
      if (d !== 0) f.i64(d).op('i64.add');
      if (!(c && k === last)) f.get(a.s[k]).op('i64.mul');
      if (terms++ > 0) f.op('i64.add');
    });
    if (terms === 0) f.i64(0);
    f.op('i32.wrap_i64');
    const shift = Math.log2(STORAGE[a.ty.dtype].BYTES_PER_ELEMENT);
    if (shift) f.i32(shift).op('i32.shl');
    f.get(a.base).op('i32.add');
  }

  /** `boundscheck`: the index on the stack must lie on axis `k`, else the JS path's IndexError. */
  private checkAxis(a: Parts, k: number, ix: number, exact: boolean): void {
    const f = this.f;
    f.tee(ix);
    if (exact) f.get(a.n[k]).op('i64.lt_u');
    else {
      f.f64(0).op('f64.ge');
      f.get(ix).get(a.n[k]).op('f64.convert_i64_s').op('f64.lt').op('i32.and');
    }
    f.op('i32.eqz');
    f.open('if');
    f.get(ix);
    if (exact) f.op('f64.convert_i64_s');
    f.i32(k);
    for (const n of a.n) f.get(n).op('f64.convert_i64_s');
    const nd = a.ty.ndim;
    const fail = (i: number, axis: number, ...shape: number[]) => boundsError(i, axis, shape);
    f.call(
      this.imp.get(`bounds${nd}`, ['f64', 'i32', ...new Array<ValType>(nd).fill('f64')], [], fail),
      'IndexError',
    );
    f.op('end');
    f.get(ix);
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

  /**
   * `zeros`/`empty`/`full` into the parts of `a`: the extents checked in order (before any
   * part changes, as on the JS path), a zeroed heap block, then the fill value if any.
   */
  private alloc(a: Parts, v: Extract<ArrayExpr, { k: 'alloc' }>): void {
    const f = this.f;
    const dt = v.ty.dtype;
    const dims = v.shape.map((e) => {
      const t = this.take('f64');
      this.expr(e);
      this.convert(e.ty, 'float64');
      f.call(this.imp.get('dim', ['f64'], ['f64'], checkedDim), 'ValueError');
      f.set(t);
      return t;
    });
    dims.forEach((t, k) => {
      f.get(t).op('i64.trunc_f64_s').set(a.n[k]);
      this.give('f64', t);
    });
    f.i64(1);
    for (const n of a.n) f.get(n).op('i64.mul');
    f.set(a.z);
    f.get(a.z).op('f64.convert_i64_s');
    f.call(this.imp.get(`alloc_${dt}`, ['f64'], ['i32'], allocator(dt)), `new ${dt} block`);
    f.set(a.base);
    f.get(a.z).set(a.len);
    f.i64(0).set(a.off);
    for (let k = v.ty.ndim - 1; k >= 0; k--) {
      if (k === v.ty.ndim - 1) f.i64(1);
      else
        f.get(a.n[k + 1])
          .get(a.s[k + 1])
          .op('i64.mul');
      f.set(a.s[k]);
    }
    f.get(this.allocs).tee(a.origin).i32(1).op('i32.add').set(this.allocs);
    const fill = v.fill;
    if (!fill || (fill.k === 'const' && fill.value === 0 && !Object.is(fill.value, -0))) return;
    // TypedArray.fill converts the value as a store does.
    const vt = valType(dt === 'bool' ? 'bool' : dt);
    const x = this.take(vt);
    const k = this.take('i64');
    this.expr(fill);
    this.convert(fill.ty, dt);
    f.set(x);
    f.i64(0).set(k);
    this.loop(
      [],
      () => {
        f.get(k).get(a.z).op('i64.lt_s');
      },
      () => {
        f.get(k).op('i32.wrap_i64');
        const shift = Math.log2(bytesOf(dt));
        if (shift) f.i32(shift).op('i32.shl');
        f.get(a.base).op('i32.add').get(x).mem(STORE[dt]);
        f.get(k).i64(1).op('i64.add').set(k);
      },
    );
    this.give('i64', k);
    this.give(vt, x);
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

  /** `block { loop { test or break; block { body } update; continue } }`. */
  private loop(body: readonly Stmt[], test: () => void, update: () => void): void {
    const f = this.f;
    this.open('block', 'brk');
    this.open('loop', 'other');
    test();
    f.op('i32.eqz');
    f.brIf(this.depthOf('brk'));
    this.open('block', 'cont');
    this.stmts(body);
    this.close();
    update();
    f.br(0);
    this.close();
    this.close();
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
