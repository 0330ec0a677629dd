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

import type { Expr, Ty, TypedKernel } from '../compiler/ir.js';
import { mapBody, mapChildren } from '../compiler/visit.js';
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
  return { ...k, body: mapBody(k.body, expr) };
}

function expr(e: Expr): Expr {
  if (isSum(e) && WRAPPING.has(e.ty)) {
    const budget = { terms: MAX_TERMS };
    return { ...e, l: relax(e.l, e.ty, budget), r: relax(e.r, e.ty, budget) };
  }
  return mapChildren(e, expr);
}

/** An operand of a chain rooted at type `t`: a nested sum of `t` loses its wrap. */
function relax(e: Expr, t: Ty, budget: { terms: number }): Expr {
  if (isSum(e) && e.ty === t && budget.terms > 0) {
    budget.terms--;
    return { ...e, ty: 'float64', l: relax(e.l, t, budget), r: relax(e.r, t, budget) };
  }
  return expr(e);
}
