/**
 * Loop signatures: Numba's `'float64(float64, float64)'` form and NumPy's
 * `'float64,float64->float64'` form (the latter is also what `ufunc.types` lists).
 */
import { checkDType, type DType } from '../core/dtypes.js';

export interface LoopSignature {
  readonly ins: readonly DType[];
  readonly outs: readonly DType[];
}

const NUMBA_FORM = /^\s*([A-Za-z0-9_]+)\s*\(([^()]*)\)\s*$/;

function names(list: string, what: string): DType[] {
  const t = list.trim();
  if (t === '') return [];
  return t.split(',').map((n) => checkDType(n.trim(), what));
}

/** Parses one signature string in either form; throws a TypeError naming the bad part. */
export function parseSignature(sig: unknown): LoopSignature {
  if (typeof sig !== 'string') throw new TypeError(`signature must be a string; got ${typeof sig}`);
  const arrow = sig.indexOf('->');
  if (arrow >= 0) {
    const outs = names(sig.slice(arrow + 2), `output type in signature ${JSON.stringify(sig)}`);
    if (outs.length === 0)
      throw new TypeError(`signature ${JSON.stringify(sig)} has no output type`);
    return {
      ins: names(sig.slice(0, arrow), `input type in signature ${JSON.stringify(sig)}`),
      outs,
    };
  }
  const m = NUMBA_FORM.exec(sig);
  if (!m) {
    throw new TypeError(
      `cannot parse signature ${JSON.stringify(sig)}: expected 'float64(float64, float64)' or 'float64,float64->float64'`,
    );
  }
  return {
    ins: names(m[2], `argument type in signature ${JSON.stringify(sig)}`),
    outs: [checkDType(m[1], `return type in signature ${JSON.stringify(sig)}`)],
  };
}

/** NumPy's `types` notation for a loop. */
export function formatSignature(s: LoopSignature): string {
  return `${s.ins.join(',')}->${s.outs.join(',')}`;
}
