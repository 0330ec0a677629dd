/**
 * Loop signatures of a gufunc. Numba's form lists every argument, outputs included, with
 * its dims: `'void(float64[:], float64[:], float64[:])'`, `float64[:,:]`, a plain `float64`
 * for a `()` operand. A `()` output that the kernel returns may instead be the return type:
 * `'float64(float64[:], float64[:])'`. NumPy's `'float64,float64->float64'` (what `types`
 * lists) is accepted too. Dims are checked against the layout; dtypes are numbats'.
 */
import { checkDType, type DType } from '../../core/dtypes.js';
import type { GufuncLayout } from '../../plan/gufunc.js';
import { type LoopSignature, parseSignature } from '../signatures.js';
import { formatOperand } from './layout.js';

const NUMBA_FORM = /^\s*([A-Za-z0-9_]+)\s*\((.*)\)\s*$/s;
const ARG = /^([A-Za-z0-9_]+)\s*(?:\[([\s:,1]*)\])?$/;

/** Splits a Numba argument list at the commas outside brackets. */
function splitArgs(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = list.slice(start).trim();
  if (last !== '' || parts.length > 0) parts.push(last);
  return parts;
}

/** One `float64[:, ::1]` argument: its dtype and number of dims. */
function parseArg(text: string, sig: string): { dtype: DType; ndim: number } {
  const m = ARG.exec(text);
  if (!m)
    throw new TypeError(
      `cannot parse argument ${JSON.stringify(text)} of signature ${JSON.stringify(sig)}`,
    );
  const dtype = checkDType(m[1], `argument type in signature ${JSON.stringify(sig)}`);
  if (m[2] === undefined) return { dtype, ndim: 0 };
  const dims = m[2].split(',').map((d) => d.replace(/\s/g, ''));
  if (dims.some((d) => d !== ':' && d !== '::1')) {
    throw new TypeError(
      `cannot parse argument ${JSON.stringify(text)} of signature ${JSON.stringify(sig)}: write dims as [:] or [:, :]`,
    );
  }
  return { dtype, ndim: dims.length };
}

/** Parses a loop signature for `layout`; a TypeError names what does not fit. */
export function parseGufuncSignature(sig: unknown, layout: GufuncLayout): LoopSignature {
  if (typeof sig !== 'string') throw new TypeError(`signature must be a string; got ${typeof sig}`);
  const { nin, nout } = layout;
  const misfit = (why: string) =>
    new TypeError(
      `signature ${JSON.stringify(sig)} does not fit layout '${layout.source}': ${why}`,
    );
  if (sig.includes('->')) {
    const s = parseSignature(sig);
    if (s.ins.length !== nin || s.outs.length !== nout) {
      throw misfit(
        `it has ${s.ins.length} input(s) and ${s.outs.length} output(s), not ${nin} and ${nout}`,
      );
    }
    return s;
  }
  const m = NUMBA_FORM.exec(sig);
  if (!m) {
    throw new TypeError(
      `cannot parse signature ${JSON.stringify(sig)}: expected 'void(float64[:], float64[:])' or 'float64,float64->float64'`,
    );
  }
  const args = splitArgs(m[2]).map((a) => parseArg(a, sig));
  const ret = m[1];
  let types: DType[];
  if (ret === 'void') {
    if (args.length !== nin + nout) {
      throw misfit(
        `it lists ${args.length} argument(s); the layout has ${nin} input(s) and ${nout} output(s)`,
      );
    }
    types = args.map((a) => a.dtype);
  } else {
    if (nout !== 1 || layout.operands[nin].length !== 0) {
      throw misfit(
        "only a single '()' output can be a return type; use void(…) and list the outputs",
      );
    }
    if (args.length !== nin) throw misfit(`it lists ${args.length} input(s), not ${nin}`);
    types = [
      ...args.map((a) => a.dtype),
      checkDType(ret, `return type in signature ${JSON.stringify(sig)}`),
    ];
  }
  args.forEach((a, k) => {
    const core = layout.operands[k].length;
    // Numba writes a '()' output as a 1-element array (`float64[:]`); both spellings work.
    if (a.ndim !== core && !(core === 0 && a.ndim === 1)) {
      throw misfit(
        `argument ${k + 1} has ${a.ndim} dim(s) but the layout gives it ${formatOperand(layout, k)}`,
      );
    }
  });
  return { ins: types.slice(0, nin), outs: types.slice(nin) };
}
