/**
 * Whether a compiled kernel can throw part-way through a loop: an integer `**` (a negative
 * exponent is NumPy's ValueError), an extension node its kind marked `mayThrow` (a stencil
 * accessor with a computed offset), or free variables (the original function is called per
 * element and may throw anything). Calls with such a kernel and an `out`
 * compute into scratch and copy into `out` only when the whole loop succeeded, so `out`
 * is never left half-written.
 */
import { INFO } from '../core/dtypes.js';
import { isWeak, type TypedKernel, type Value } from './ir.js';
import { bodyHasValue } from './visit.js';

function throws(e: Value): boolean {
  switch (e.k) {
    case 'binary':
      return e.op === '**' && !isWeak(e.ty) && INFO[e.ty].kind !== 'f';
    case 'ext':
      return e.mayThrow === true;
    case 'free':
      return true;
    default:
      return false;
  }
}

export function kernelMayThrow(k: TypedKernel): boolean {
  return k.freeNames.length > 0 || bodyHasValue(k.body, throws);
}
