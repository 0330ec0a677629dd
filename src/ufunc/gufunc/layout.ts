/**
 * NumPy's gufunc signature grammar (what Numba calls the layout): `(m,n),(n,p)->(m,p)`.
 * Core dims are named (`n`), fixed (`3`) or optional (`m?`, may be absent from an operand,
 * as in matmul's `(m?,n),(n,p?)->(m?,p?)`); whitespace is ignored. The parser follows
 * NumPy's `_parse_signature`, including its error texts (`expect '(' at position 9 in "…"`),
 * and, like NumPy, gives every equal fixed size one shared label.
 */

import { describe } from '../../core/dtypes.js';
import { ValueError } from '../../core/errors.js';
import type { CoreDim, GufuncLayout } from '../../plan/gufunc.js';

const isAlpha = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isAlnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Parses a layout; a malformed one is a ValueError with NumPy's message. */
export function parseLayout(sig: unknown): GufuncLayout {
  if (typeof sig !== 'string') {
    throw new TypeError(
      `guvectorize: the layout must be a string like '(n),(n)->()'; got ${describe(sig)}`,
    );
  }
  const s = sig;
  const skip = (i: number) => {
    while (i < s.length && /\s/.test(s[i])) i++;
    return i;
  };
  const fail = (msg: string, pos: number): never => {
    throw new ValueError(`${msg} at position ${pos} in "${s}"`);
  };
  const dims: CoreDim[] = [];
  const ins: number[][] = [];
  const outs: number[][] = [];
  let inOutputs = false;
  let i = skip(0);
  for (;;) {
    if (s[i] !== '(') fail("expect '('", i);
    i = skip(i + 1);
    const labels: number[] = [];
    while (s[i] !== ')') {
      if (i >= s.length) fail('unexpected end of signature string', i);
      const start = i;
      let fixed: number | undefined;
      if (isAlpha(s[i])) {
        while (isAlnum(s[i])) i++;
      } else {
        while (isDigit(s[i])) i++;
        fixed = Number(s.slice(start, i));
        if (i === start || isAlpha(s[i]) || !(fixed > 0) || !Number.isSafeInteger(fixed)) {
          fail('expect dimension name or non-zero frozen size', start);
        }
      }
      const name = s.slice(start, i);
      const optional = s[i] === '?';
      if (optional) i++;
      let ix = dims.findIndex((d) => (fixed !== undefined ? d.fixed === fixed : d.name === name));
      if (ix < 0) {
        dims.push(fixed === undefined ? { name, optional } : { name, fixed, optional });
        ix = dims.length - 1;
      } else if (optional && !dims[ix].optional) {
        fail('? cannot be used, name already seen without ?', start);
      } else if (!optional && dims[ix].optional) {
        fail('? must be used, name already seen with ?', start);
      }
      labels.push(ix);
      i = skip(i);
      if (s[i] !== ',' && s[i] !== ')') fail("expect ',' or ')'", i);
      if (s[i] === ',') {
        i = skip(i + 1);
        if (s[i] === ')') fail("',' must not be followed by ')'", i);
      }
    }
    (inOutputs ? outs : ins).push(labels);
    i = skip(i + 1);
    if (i >= s.length) {
      if (!inOutputs) fail("expect '->'", i);
      break;
    }
    if (s[i] === ',') i = skip(i + 1);
    else if (!inOutputs && s.startsWith('->', i)) {
      inOutputs = true;
      i = skip(i + 2);
    } else fail(inOutputs ? "expect ','" : "expect ',' or '->'", i);
  }
  return { source: s, dims, operands: [...ins, ...outs], nin: ins.length, nout: outs.length };
}

/** NumPy's name for operand `op` in messages: `Input operand 1`, `Output operand 0`. */
export function operandName(layout: GufuncLayout, op: number): string {
  return op < layout.nin ? `Input operand ${op}` : `Output operand ${op - layout.nin}`;
}

/** One operand's core dims as written: `(m,n)`, `(3)`, `()`. */
export function formatOperand(layout: GufuncLayout, op: number): string {
  const dims = layout.operands[op].map((l) => {
    const d = layout.dims[l];
    return d.optional ? `${d.name}?` : d.name;
  });
  return `(${dims.join(',')})`;
}
