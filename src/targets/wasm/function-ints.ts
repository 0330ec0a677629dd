/**
 * Which integer values of a whole function (`jit`) the wasm lowering may hold in i64
 * instead of the f64 the JS path uses: loop counters, array extents, constants, integer
 * elements, and locals that are set once from such values. An i64 value is the very number
 * the JS path holds (integers far below 2^53), so counters can run as i64 and indices skip
 * the float-to-integer conversion, while everything else stays f64 as in JS.
 */
import type { Expr, Stmt, Ty } from '../../compiler/ir.js';
import { isWeak } from '../../compiler/ir.js';
import { forEachValue, mapBody, mapChildren } from '../../compiler/visit.js';
import type { WholeFunctionPlan } from '../../plan/function.js';

/** Largest constant and step taken as i64 (sums of a few such terms stay far below 2^53). */
export const SMALL_INT = 2 ** 31;

/** The locals and array locals a list of statements assigns (lets included). */
export function assignedIn(
  body: readonly Stmt[],
  extra: readonly Expr[] = [],
): {
  locals: Set<number>;
  arrays: Set<number>;
} {
  const locals = new Set<number>();
  const arrays = new Set<number>();
  const onValue = (v: unknown) => {
    const e = v as Expr;
    if (e.k === 'assign' || e.k === 'update') locals.add(e.id);
  };
  forEachValue(
    [...body, ...extra.map((e): Stmt => ({ k: 'expr', e }))],
    (v) => onValue(v),
    (s) => {
      if (s.k === 'let') locals.add(s.id);
      if (s.k === 'aset') arrays.add(s.id);
      if (s.k === 'range') locals.add(s.id);
    },
  );
  return { locals, arrays };
}

/**
 * Int64-typed (`wint`) locals whose value is always an exact small integer: parameters never
 * assigned, and locals with exactly one `let` (from an integer value of this kind) and no
 * other assignment. Their f64 value converts to i64 exactly.
 */
export function stableIntegers(plan: WholeFunctionPlan): Set<number> {
  const lets = new Map<number, Expr | null>();
  const letCount = new Map<number, number>();
  const writes = new Set<number>();
  forEachValue(
    plan.body,
    (v) => {
      const e = v as Expr;
      if (e.k === 'assign' || e.k === 'update') writes.add(e.id);
    },
    (s) => {
      if (s.k === 'let') {
        lets.set(s.id, s.init);
        letCount.set(s.id, (letCount.get(s.id) ?? 0) + 1);
      }
      if (s.k === 'range') writes.add(s.id);
    },
  );
  const out = new Set<number>();
  plan.params.forEach((t, i) => {
    if (t === 'wint' && !writes.has(i) && !lets.has(i)) out.add(i);
  });
  // Locals set once from stable values; repeated passes pick up chains (n = m + 1).
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, init] of lets) {
      if (out.has(id) || writes.has(id) || letCount.get(id) !== 1) continue;
      if (plan.localTypes[id] !== 'wint' || !init) continue;
      if (isInt(init, (l) => out.has(l))) {
        out.add(id);
        changed = true;
      }
    }
  }
  return out;
}

/**
 * True when `e` is an integer the lowering can compute in i64 with the same value as JS:
 * small constants, extents, integer elements and locals (`intLocal`), and sums and
 * differences of those (a few terms below 2^34 stay exact in f64 too).
 */
export function isInt(e: Expr, intLocal: (id: number) => boolean, depth = 0): boolean {
  if (depth > 8) return false;
  // Any i32-typed integer (an element, an int32 local or expression) widens exactly.
  if (isI32Int(e.ty)) return true;
  switch (e.k) {
    case 'const':
      return Number.isInteger(e.value) && Math.abs(e.value) <= SMALL_INT && !Object.is(e.value, -0);
    case 'dim':
      return true;
    case 'local':
      return e.ty === 'wint' && intLocal(e.id);
    case 'cast':
      return e.ty === 'wint' && isI32Int(e.arg.ty);
    case 'binary':
      return (
        e.ty === 'wint' &&
        (e.op === '+' || e.op === '-') &&
        isInt(e.l, intLocal, depth + 1) &&
        isInt(e.r, intLocal, depth + 1)
      );
    default:
      return false;
  }
}

/** Integer dtypes held in an i32 (every one but the clamped view). */
export function isI32Int(t: string): boolean {
  return (
    t === 'int8' ||
    t === 'int16' ||
    t === 'int32' ||
    t === 'uint8' ||
    t === 'uint16' ||
    t === 'uint32' ||
    t === 'bool'
  );
}

/** Locals and arrays an expression reads (for loop invariance). */
export function readsOf(e: Expr): { locals: Set<number>; arrays: Set<number>; loads: boolean } {
  const locals = new Set<number>();
  const arrays = new Set<number>();
  let loads = false;
  forEachValue([{ k: 'expr', e }], (v) => {
    const x = v as Expr;
    if (x.k === 'local') locals.add(x.id);
    if (x.k === 'dim') arrays.add(x.arr);
    if (x.k === 'load') loads = true;
  });
  return { locals, arrays, loads };
}

/**
 * The body with explicit conversions where an operator's operand has another wasm type than
 * the operator: Numba's typing gives `int8 + int64` the type int64 without converting the
 * int8 (JS numbers need no conversion), while wasm must turn the i32 into an f64.
 */
export function explicitCasts(body: readonly Stmt[]): Stmt[] {
  const fix = (e: Expr): Expr => {
    const c = mapChildren(e, fix);
    const to = (x: Expr): Expr => (sameRepr(x.ty, c.ty) ? x : { k: 'cast', arg: x, ty: c.ty });
    switch (c.k) {
      case 'binary':
        return { ...c, l: to(c.l), r: isShift(c.op) && !isWeak(c.ty) ? c.r : to(c.r) };
      case 'logical':
        return { ...c, l: to(c.l), r: to(c.r) };
      case 'cond':
        return { ...c, a: to(c.a), b: to(c.b) };
      case 'unary':
        return c.op === '!' ? c : { ...c, arg: to(c.arg) };
      case 'seq':
        return { ...c, items: [...c.items.slice(0, -1), to(c.items[c.items.length - 1])] };
      default:
        return c;
    }
  };
  return mapBody(body, fix);
}

const isShift = (op: string) => op === '<<' || op === '>>' || op === '>>>';

/** Whether values of the two types share a wasm representation (no conversion needed). */
function sameRepr(a: Ty, b: Ty): boolean {
  const rep = (t: Ty) =>
    t === 'float64' || t === 'wint' || t === 'wfloat' ? 'f64' : t === 'float32' ? 'f32' : 'i32';
  return rep(a) === rep(b);
}

/**
 * Stable integer locals set from an extent (`const [n, m] = a.shape`, `const n = a.shape[0]`)
 * of an array local that is never rebound: the extent they hold is the array's for good.
 */
export function dimLocals(
  plan: WholeFunctionPlan,
  stable: ReadonlySet<number>,
): Map<number, { arr: number; axis: number }> {
  const rebound = new Set<number>();
  const inits = new Map<number, Expr>();
  forEachValue(
    plan.body,
    () => {},
    (s) => {
      if (s.k === 'aset' && !s.decl) rebound.add(s.id);
      if (s.k === 'aset' && s.decl && s.value.k !== 'alloc') rebound.add(s.id);
      if (s.k === 'let' && s.init) inits.set(s.id, s.init);
    },
  );
  const out = new Map<number, { arr: number; axis: number }>();
  for (const [id, init] of inits) {
    if (!stable.has(id) || init.k !== 'dim' || init.axis < 0 || rebound.has(init.arr)) continue;
    out.set(id, { arr: init.arr, axis: init.axis });
  }
  return out;
}
