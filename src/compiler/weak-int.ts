/**
 * Which weak-integer (`wint`) values are *computed* rather than literal.
 *
 * Weak arithmetic runs in doubles, so `let r = 0; … r += i + j` holds the exact integer (up
 * to 2^53), as Numba's int64 would. Storing it in an int32 result would wrap it silently.
 * A weak-int result is therefore materialised as int32 only when every value that can reach
 * it is an integer literal that fits int32 (`x > 0 ? 1 : 0`, flags, codes); anything
 * computed (sums, counts, products) becomes float64 holding the exact integer — numbats'
 * stand-in for Numba's int64, as elsewhere (see `dtypes.ts`).
 */
import { type DType, INFO } from '../core/dtypes.js';
import type { Expr, Stmt, Ty } from './ir.js';
import { forEachStmt, forEachValue } from './visit.js';

const I32 = INFO.int32;

/** Tells, for a typed body, whether an expression of weak-int type may hold a computed value. */
export class WeakIntFlow {
  /** Locals (by id) that may hold a computed weak integer. */
  private readonly computedLocals = new Set<number>();

  constructor(body: readonly Stmt[]) {
    // Assignments form a graph between locals: iterate to a fixed point (each pass can only
    // add locals, so at most one pass per local).
    const assigns: [number, Expr][] = [];
    const updated = new Set<number>();
    forEachValue(
      body,
      (e) => {
        if (e.k === 'assign') assigns.push([e.id, e.value]);
        else if (e.k === 'update') updated.add(e.id);
      },
      (s) => {
        if (s.k === 'let' && s.init) assigns.push([s.id, s.init]);
      },
    );
    for (const id of updated) this.computedLocals.add(id);
    for (let changed = true; changed; ) {
      changed = false;
      for (const [id, value] of assigns) {
        if (!this.computedLocals.has(id) && this.computed(value)) {
          this.computedLocals.add(id);
          changed = true;
        }
      }
    }
  }

  /** True when `e` may hold an integer that is not an int32 literal. */
  computed(e: Expr): boolean {
    switch (e.k) {
      case 'const':
        return !(Number.isInteger(e.value) && e.value >= I32.min && e.value <= I32.max);
      case 'local':
        return this.computedLocals.has(e.id);
      case 'cond':
        return this.computed(e.a) || this.computed(e.b);
      case 'logical':
        return this.computed(e.l) || this.computed(e.r);
      case 'assign':
        return this.computed(e.value);
      case 'seq':
        return this.computed(e.items[e.items.length - 1]);
      case 'cast':
        return e.ty === 'wint' ? this.computed(e.arg) : false;
      default:
        // Arithmetic, updates, Math calls, extension reads: any value at all.
        return true;
    }
  }

  /** The dtype a value of type `t` (the expression `e`) is stored as. */
  materialize(t: Ty, e: Expr | undefined): DType {
    if (t === 'wint') return e === undefined || this.computed(e) ? 'float64' : 'int32';
    return t === 'wfloat' ? 'float64' : t;
  }
}

/**
 * The output dtypes of a typed body: the join `returnTypes` per output, with weak ints
 * materialised by what can reach each `return` (see the module note).
 */
export function materializeReturns(body: readonly Stmt[], returnTypes: readonly Ty[]): DType[] {
  if (!returnTypes.includes('wint')) {
    return returnTypes.map((t) => (t === 'wfloat' ? 'float64' : (t as DType)));
  }
  const flow = new WeakIntFlow(body);
  const computed = returnTypes.map(() => false);
  forEachStmt(body, (s) => {
    if (s.k === 'return') {
      s.values.forEach((v, i) => {
        if (flow.computed(v)) computed[i] = true;
      });
    }
  });
  return returnTypes.map((t, i) =>
    t === 'wint' ? (computed[i] ? 'float64' : 'int32') : t === 'wfloat' ? 'float64' : t,
  );
}
