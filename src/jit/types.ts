/**
 * Types of whole functions compiled by `jit`, with Numba's scalar typing: every integer
 * result (literals, JS integer arguments, arithmetic on integer elements) is Numba's int64,
 * held exactly as a JS number up to 2^53 (the IR's `wint`); floats are float64, or float32
 * where Numba keeps float32. Arrays are typed by dtype, rank and layout class, printed and
 * parsed in Numba's notation (`float64[:, ::1]`).
 */

import type { ArrayType, Layout, Ty } from '../compiler/ir.js';
import type { ScalarRules } from '../compiler/rules.js';
import { DTYPES, type DType, INFO, promote } from '../core/dtypes.js';

/** Numba's int64 inside `jit`: an exact integer held in a JS number. */
export const INT64: Ty = 'wint';

/** The type of a value inside a jit function: a scalar or an array. */
export type JitType = Ty | ArrayType;

export function isArrayType(t: JitType | undefined): t is ArrayType {
  return typeof t === 'object' && t !== null;
}

/** Is `t` an integer scalar type (bool counts, as in Python arithmetic)? */
export function isIntLike(t: Ty): boolean {
  if (t === 'wint') return true;
  if (t === 'wfloat') return false;
  return INFO[t].kind !== 'f';
}

/** Numba's name of a type: `int64`, `float32`, `float64[:, ::1]`. */
export function typeName(t: JitType): string {
  if (isArrayType(t)) {
    if (t.ndim === 0) return `${t.dtype}[()]`;
    const dims = new Array<string>(t.ndim).fill(':');
    if (t.layout === 'C') dims[t.ndim - 1] = '::1';
    return `${t.dtype}[${dims.join(', ')}]`;
  }
  if (t === 'wint') return 'int64';
  if (t === 'wfloat') return 'float64';
  return t;
}

export function sameType(a: JitType, b: JitType): boolean {
  if (isArrayType(a) || isArrayType(b)) {
    return (
      isArrayType(a) &&
      isArrayType(b) &&
      a.dtype === b.dtype &&
      a.ndim === b.ndim &&
      a.layout === b.layout
    );
  }
  return a === b;
}

/**
 * The type that holds both `a` and `b` (a variable assigned both, branches of `?:`,
 * operands of arithmetic): Numba's unification. Undefined when there is none (an array
 * and a number, arrays of different dtype or rank).
 */
export function unify(a: JitType, b: JitType): JitType | undefined {
  if (isArrayType(a) || isArrayType(b)) {
    if (!isArrayType(a) || !isArrayType(b)) return undefined;
    if (a.dtype !== b.dtype || a.ndim !== b.ndim) return undefined;
    return a.layout === b.layout ? a : { dtype: a.dtype, ndim: a.ndim, layout: 'A' };
  }
  return joinScalar(a, b);
}

/** Numba's unification of two scalar types. */
export function joinScalar(a: Ty, b: Ty): Ty {
  if (a === 'wfloat') a = 'float64';
  if (b === 'wfloat') b = 'float64';
  if (a === b) return a;
  const ia = isIntLike(a);
  const ib = isIntLike(b);
  if (ia && ib) return INT64;
  // int64 meets a float: NumPy's promotion with int64 (float32 → float64).
  if (a === 'wint' || b === 'wint') return 'float64';
  const pa = a === 'uint8_clamped' ? 'uint8' : (a as DType);
  const pb = b === 'uint8_clamped' ? 'uint8' : (b as DType);
  return promote(pa, pb);
}

/** `+ - * % **`: integers give int64 (never wrap), floats promote as NumPy's scalars. */
export function arithType(a: Ty, b: Ty): Ty {
  if (isIntLike(a) && isIntLike(b)) return INT64;
  return joinScalar(a, b);
}

/** True division: integers give float64. */
export function divType(a: Ty, b: Ty): Ty {
  if (isIntLike(a) && isIntLike(b)) return 'float64';
  return joinScalar(a, b);
}

/** `Math.sqrt` and friends: integers give float64, floats keep their width. */
export function floatType(t: Ty): Ty {
  return isIntLike(t) ? 'float64' : t === 'wfloat' ? 'float64' : t;
}

/** The layout class of an ndarray: C-contiguous (strides of a row-major array) or any. */
export function layoutOf(shape: readonly number[], stride: readonly number[]): Layout {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const n = shape[i];
    if (n === 0) return 'C';
    if (n !== 1 && stride[i] !== s) return 'A';
    s *= n;
  }
  return 'C';
}

const SCALAR_NAMES: Readonly<Record<string, Ty>> = {
  int64: INT64,
  intp: INT64,
  i8: INT64,
  int32: 'int32',
  i4: 'int32',
  int16: 'int16',
  i2: 'int16',
  int8: 'int8',
  i1: 'int8',
  uint32: 'uint32',
  u4: 'uint32',
  uint16: 'uint16',
  u2: 'uint16',
  uint8: 'uint8',
  u1: 'uint8',
  uint8_clamped: 'uint8_clamped',
  float64: 'float64',
  f8: 'float64',
  double: 'float64',
  float32: 'float32',
  f4: 'float32',
  bool: 'bool',
  boolean: 'bool',
  b1: 'bool',
};

/** A parsed signature: argument types and, when given, the return type (`null` for void). */
export interface JitSignature {
  readonly args: readonly JitType[];
  readonly ret?: JitType | readonly JitType[] | null;
}

/**
 * Parses Numba's signature notation: `'float64(float64[:], int32)'`,
 * `'(float64[::1], int64) -> float64'`, `'void(int32[:, ::1])'`, `'(float64[:],)'`.
 */
export function parseJitSignature(text: unknown): JitSignature {
  if (typeof text !== 'string') {
    throw new TypeError(
      `a signature must be a string like 'float64(float64[:], int32)'; got ${typeof text}`,
    );
  }
  const s = text.replace(/\s+/g, '');
  const bad = (why: string): never => {
    throw new TypeError(
      `cannot parse signature '${text}': ${why} (write it like 'float64(float64[:], int32)' or '(float64[:, ::1]) -> float64')`,
    );
  };
  let retText: string | undefined;
  let argText: string;
  const arrow = s.indexOf(')->');
  if (s.startsWith('(') && arrow >= 0) {
    argText = s.slice(1, arrow);
    retText = s.slice(arrow + 3);
  } else {
    const open = s.indexOf('(');
    if (open < 0 || !s.endsWith(')')) return bad('expected an argument list in parentheses');
    retText = open > 0 ? s.slice(0, open) : undefined;
    argText = s.slice(open + 1, -1);
  }
  const args = splitTop(argText)
    .filter((p, i, all) => !(p === '' && i === all.length - 1 && i > 0))
    .map((p) => (p === '' ? bad('empty argument type') : parseType(p, bad)));
  if (argText === '') args.length = 0;
  let ret: JitSignature['ret'];
  if (retText !== undefined) {
    if (retText === 'void' || retText === 'none') ret = null;
    else if (/^(Uni)?Tuple\(/.test(retText) && retText.endsWith(')')) {
      const inner = retText.slice(retText.indexOf('(') + 1, -1);
      ret = splitTop(inner).map((p) => parseType(p, bad));
    } else ret = parseType(retText, bad);
  }
  return ret === undefined ? { args } : { args, ret };
}

function splitTop(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '[' || ch === '(') depth++;
    if (ch === ']' || ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

function parseType(p: string, bad: (why: string) => never): JitType {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(.*)\])?$/.exec(p);
  if (!m) return bad(`'${p}' is not a type`);
  const base = SCALAR_NAMES[m[1]];
  if (base === undefined) return bad(`unknown type '${m[1]}'`);
  if (m[2] === undefined) return base;
  const dtype: DType | undefined = base === INT64 ? undefined : (base as DType);
  if (dtype === undefined || !DTYPES.includes(dtype)) {
    return bad(`numbats arrays have no ${m[1]} dtype (no 64-bit integers: use int32 or float64)`);
  }
  if (m[2] === '()') return { dtype, ndim: 0, layout: 'C' };
  const dims = m[2].split(',');
  let layout: Layout = 'A';
  dims.forEach((d, i) => {
    if (d === '::1') {
      if (i === dims.length - 1) layout = 'C';
      else if (dims.length > 1) layout = 'A'; // Fortran order: any strides here
    } else if (d !== ':') bad(`'${d}' is not a dimension (use ':' or '::1')`);
  });
  return { dtype, ndim: dims.length, layout };
}

/** Numba's notation of a compiled signature: `(float64[::1], int64) -> float64`. */
export function formatJitSignature(args: readonly JitType[], ret: JitReturn): string {
  return `(${args.map(typeName).join(', ')}) -> ${returnName(ret)}`;
}

/** What a function returns: nothing, one value, or a tuple. */
export type JitReturn =
  | { kind: 'none' }
  | { kind: 'one'; ty: JitType }
  | { kind: 'tuple'; tys: JitType[] };

export function returnName(r: JitReturn): string {
  if (r.kind === 'none') return 'none';
  if (r.kind === 'one') return typeName(r.ty);
  return `Tuple(${r.tys.map(typeName).join(', ')})`;
}

/** Numba's typing of scalars, as the walker's rules (`compiler/rules.ts`). */
export const NUMBA_RULES: ScalarRules = {
  literal: (v) => (Number.isSafeInteger(v) && !Object.is(v, -0) ? INT64 : 'float64'),
  floatConst: 'float64',
  size: INT64,
  weakScalars: false,
  join: joinScalar,
  arith: arithType,
  div: divType,
  bit: (a, b) => (a === 'bool' && b === 'bool' ? 'bool' : INT64),
  shift: () => INT64,
  // Numba compares the exact values of mixed operands.
  compareAs: () => undefined,
  unary: (t) => (isIntLike(t) ? INT64 : t),
  bitNot: () => INT64,
  float: floatType,
  unify,
  name: typeName,
};
