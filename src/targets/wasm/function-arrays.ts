/**
 * Array locals of a whole function (`jit`) on wasm: each is a set of wasm locals, as the JS
 * path keeps an array in variables: the byte address of its block's element 0 (i32), the
 * block's length, the view's offset, extents and strides (i64, in elements), and where its
 * data comes from. An element access computes its element offset the way the JS path does
 * (in i64 when every index is a small exact integer, else in f64), checks that it lies in
 * the block and is an integer, and loads or stores at `address + offset × size`. A JS
 * TypedArray read there gives `undefined`; here the access raises an IndexError (the wasm
 * function never touches memory outside its arrays' blocks), which is the one place the two
 * paths differ. With `boundscheck`, each index is checked against its axis first, with the
 * JS path's IndexError. Indices that are loop counters bounded by the array's own extent
 * need no check. Also: int64 (`wint`) bit operations and `%`, and allocations.
 */
import type { ArrayExpr, ArrayType, Expr, Stmt, Ty, TypedKernel } from '../../compiler/ir.js';
import { isWeak } from '../../compiler/ir.js';
import { STORAGE } from '../../core/dtypes.js';
import { IndexError } from '../../core/errors.js';
import type { FunctionValueType, WholeFunctionPlan } from '../../plan/function.js';
import type { FuncBuilder, ValType } from './encode.js';
import { allocator, bytesOf, checkedDim } from './function-allocs.js';
import { dimLocals, isI32Int, isInt, SMALL_INT, stableIntegers } from './function-ints.js';
import { type Imports, NotLowerable, ScalarLowering, valType } from './lower.js';
import { LOAD, STORE } from './map.js';

/** The wasm locals of one array local. */
export interface Parts {
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
export interface Within {
  readonly arr: number;
  readonly axis: number;
  /** The counter stays in [lo, shape[axis] - slack). */
  readonly lo: number;
  readonly slack: number;
}

export const isArray = (t: FunctionValueType): t is ArrayType => typeof t === 'object';

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
export function counterPlus(e: Expr): { id: number; d: number } | undefined {
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

/** Array locals, element access, int64 integers and allocations of a whole function. */
export class ArrayLowering extends ScalarLowering {
  protected readonly parts = new Map<number, Parts>();
  /** i64 locals of the loop counters in scope, by local id. */
  protected readonly counters = new Map<number, number>();
  /**
   * Counters known to stay on an axis of an array local (a loop from 0 below `a.shape[k]`,
   * `a` not rebound in it): indices that need no check, since every view argument lies
   * inside its block (the caller checks that once per call).
   */
  protected readonly within = new Map<number, Within>();
  protected readonly stable: Set<number>;
  /** Locals set once from an extent of an array that is never rebound. */
  protected readonly dimLocals: Map<number, { arr: number; axis: number }>;
  /** How many arrays the call has allocated so far. */
  protected readonly allocs: number;

  constructor(
    protected readonly plan: WholeFunctionPlan,
    f: FuncBuilder,
    protected readonly imp: Imports,
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
    this.allocs = f.local('i32');
  }

  protected intLocal = (id: number) => this.counters.has(id) || this.stable.has(id);

  /** Pushes an integer `e` (see {@link isInt}) as i64. */
  protected int(e: Expr): void {
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
  protected weakBinary(e: Extract<Expr, { k: 'binary' }>): boolean {
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
  protected address(id: number, a: Parts, index: readonly Expr[], check: boolean): void {
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
  protected proven(id: number, index: readonly Expr[]): boolean {
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
  protected provenAddress(a: Parts, index: readonly Expr[]): void {
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
  protected checkAxis(a: Parts, k: number, ix: number, exact: boolean): void {
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

  /**
   * `zeros`/`empty`/`full` into the parts of `a`: the extents checked in order (before any
   * part changes, as on the JS path), a zeroed heap block, then the fill value if any.
   */
  protected alloc(a: Parts, v: Extract<ArrayExpr, { k: 'alloc' }>): void {
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

  /** `block { loop { test or break; block { body } update; continue } }`. */
  protected loop(body: readonly Stmt[], test: () => void, update: () => void): void {
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
}
