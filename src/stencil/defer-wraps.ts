/**
 * An IR pass that drops the intermediate wrap-arounds of integer sums: in
 * `(a + b + c)` over uint8 the emitter would write `((((a+b)&255)+c)&255)`; wrapping only
 * the final sum gives the same value, because wrapping to a fixed width is reduction modulo
 * 2^bits, which commutes with addition and subtraction, and the unwrapped partial sums are
 * exact doubles (each term is below 2^32 in magnitude and a chain is capped far below 2^21
 * terms). Stencil kernels are mostly such sums (a Game of Life neighbour count is eight
 * uint8 additions), and the masks cost as much as the loads.
 *
 * The inner nodes of a chain are retyped float64, which the emitter lowers as a plain `+`.
 * uint8_clamped saturates instead of wrapping, so it is left alone, as are `*` (products
 * of 32-bit values are not exact) and everything that is not `+`/`-`.
 */

import { type Expr, isArrayExpr, type Stmt, type Ty, type TypedKernel } from '../compiler/ir.js';
import type { DType } from '../core/dtypes.js';

const WRAPPING: ReadonlySet<Ty> = new Set<DType>([
  'int8',
  'int16',
  'int32',
  'uint8',
  'uint16',
  'uint32',
]);

/** Most terms one unwrapped chain may have (keeps partial sums far inside 2^53). */
const MAX_TERMS = 1024;

function isSum(e: Expr): e is Extract<Expr, { k: 'binary' }> {
  return e.k === 'binary' && (e.op === '+' || e.op === '-');
}

/** Returns the kernel with wraps inside integer `+`/`-` chains deferred to the chain's root. */
export function deferIntegerWraps(k: TypedKernel): TypedKernel {
  return { ...k, body: k.body.map(stmt) };
}

function expr(e: Expr): Expr {
  if (isSum(e) && WRAPPING.has(e.ty)) {
    const budget = { terms: MAX_TERMS };
    return { ...e, l: relax(e.l, e.ty, budget), r: relax(e.r, e.ty, budget) };
  }
  return mapChildren(e);
}

/** An operand of a chain rooted at type `t`: a nested sum of `t` loses its wrap. */
function relax(e: Expr, t: Ty, budget: { terms: number }): Expr {
  if (isSum(e) && e.ty === t && budget.terms > 0) {
    budget.terms--;
    return { ...e, ty: 'float64', l: relax(e.l, t, budget), r: relax(e.r, t, budget) };
  }
  return expr(e);
}

function mapChildren(e: Expr): Expr {
  switch (e.k) {
    case 'binary':
    case 'compare':
    case 'logical':
      return { ...e, l: expr(e.l), r: expr(e.r) } as Expr;
    case 'unary':
    case 'cast':
      return { ...e, arg: expr(e.arg) } as Expr;
    case 'cond':
      return { ...e, test: expr(e.test), a: expr(e.a), b: expr(e.b) };
    case 'math':
    case 'ext':
      return { ...e, args: e.args.map(expr) };
    case 'assign':
      return { ...e, value: expr(e.value) };
    case 'seq':
      return { ...e, items: e.items.map(expr) };
    case 'call':
      return { ...e, args: e.args.map((a) => (isArrayExpr(a) ? a : expr(a))) };
    default:
      return e;
  }
}

function stmt(s: Stmt): Stmt {
  switch (s.k) {
    case 'let':
      return { ...s, init: s.init && expr(s.init) };
    case 'expr':
      return { ...s, e: expr(s.e) };
    case 'if':
      return {
        ...s,
        test: expr(s.test),
        cons: s.cons.map(stmt),
        alt: s.alt ? s.alt.map(stmt) : null,
      };
    case 'for':
      return {
        ...s,
        init: s.init.map(stmt),
        test: s.test && expr(s.test),
        update: s.update && expr(s.update),
        body: s.body.map(stmt),
      };
    case 'while':
    case 'dowhile':
      return { ...s, test: expr(s.test), body: s.body.map(stmt) };
    case 'return':
      return { ...s, values: s.values.map(expr) };
    case 'block':
      return { ...s, body: s.body.map(stmt) };
    default:
      return s;
  }
}
