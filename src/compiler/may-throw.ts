/**
 * Whether a compiled kernel can throw part-way through a loop: an integer `**` (a negative
 * exponent is NumPy's ValueError), a stencil accessor with a computed offset (checked
 * against the neighborhood as it runs), or free variables (the original function is
 * called per element and may throw anything). Calls with such a kernel and an `out`
 * compute into scratch and copy into `out` only when the whole loop succeeded, so `out`
 * is never left half-written.
 */
import { INFO } from '../core/dtypes.js';
import { type Expr, isWeak, type Stmt, type TypedKernel } from './ir.js';

function exprThrows(e: Expr | null): boolean {
  if (!e) return false;
  switch (e.k) {
    case 'binary':
      if (e.op === '**' && !isWeak(e.ty) && INFO[e.ty].kind !== 'f') return true;
      return exprThrows(e.l) || exprThrows(e.r);
    case 'compare':
    case 'logical':
      return exprThrows(e.l) || exprThrows(e.r);
    case 'unary':
    case 'cast':
      return exprThrows(e.arg);
    case 'cond':
      return exprThrows(e.test) || exprThrows(e.a) || exprThrows(e.b);
    case 'math':
      return e.args.some(exprThrows);
    case 'assign':
      return exprThrows(e.value);
    case 'seq':
      return e.items.some(exprThrows);
    case 'ext': {
      const offsets = (e.data as { offsets?: readonly (number | null)[] } | undefined)?.offsets;
      if (e.op === 'rel' && offsets?.includes(null)) return true;
      return e.args.some(exprThrows);
    }
    case 'free':
      return true;
    default:
      return false;
  }
}

function stmtThrows(s: Stmt): boolean {
  switch (s.k) {
    case 'let':
      return exprThrows(s.init);
    case 'expr':
      return exprThrows(s.e);
    case 'if':
      return exprThrows(s.test) || s.cons.some(stmtThrows) || (s.alt?.some(stmtThrows) ?? false);
    case 'for':
      return (
        s.init.some(stmtThrows) ||
        exprThrows(s.test) ||
        exprThrows(s.update) ||
        s.body.some(stmtThrows)
      );
    case 'while':
    case 'dowhile':
      return exprThrows(s.test) || s.body.some(stmtThrows);
    case 'return':
      return s.values.some(exprThrows);
    case 'block':
      return s.body.some(stmtThrows);
    default:
      return false;
  }
}

export function kernelMayThrow(k: TypedKernel): boolean {
  return k.freeNames.length > 0 || k.body.some(stmtThrows);
}
