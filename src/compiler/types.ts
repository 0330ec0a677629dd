/**
 * Typing rules for kernel operators and `Math` functions: NumPy 2 promotion extended with
 * the weak literal types. Kept apart from the tree walk so every target shares one truth.
 */
import { type DType, INFO, promote } from '../core/dtypes.js';
import type { Ty } from './ir.js';

/** Type of a value that mixes `a` and `b` (binary operands, variable merges, branches). */
export function join(a: Ty, b: Ty): Ty {
  if (a === b) return a;
  const wa = a === 'wint' || a === 'wfloat';
  const wb = b === 'wint' || b === 'wfloat';
  if (wa && wb) return 'wfloat';
  if (wa || wb) {
    const w = wa ? a : b;
    const c = (wa ? b : a) as DType;
    if (w === 'wint') return c === 'bool' ? 'int32' : c;
    return INFO[c].kind === 'f' ? c : 'float64';
  }
  return promote(a as DType, b as DType);
}

export function isIntTy(t: Ty): boolean {
  if (t === 'wint') return true;
  if (t === 'wfloat') return false;
  const k = INFO[t].kind;
  return k === 'i' || k === 'u';
}

export function isFloatTy(t: Ty): boolean {
  return t === 'wfloat' || (t !== 'wint' && INFO[t].kind === 'f');
}

/** Result type of `+ - * % **`: bools count as integers (True + True == 2, as in Python). */
export function arithTy(a: Ty, b: Ty): Ty {
  const t = join(a, b);
  return t === 'bool' ? 'int32' : t;
}

/** Result type of true division: integers divide as float64 (NumPy's true_divide). */
export function divTy(a: Ty, b: Ty): Ty {
  const t = join(a, b);
  if (t === 'wint') return 'wfloat';
  if (t === 'wfloat') return t;
  return INFO[t].kind === 'f' ? t : 'float64';
}

/** Result type of `& | ^`: integers keep their type, anything else is JS's int32. */
export function bitTy(a: Ty, b: Ty): Ty {
  const t = join(a, b);
  if (t === 'bool') return t;
  return isIntTy(t) && t !== 'wint' ? t : 'int32';
}

/** Result type of `<<`, `>>` (the left operand's integer type) and `>>>` (unsigned). */
export function shiftTy(op: string, l: Ty): Ty {
  const lt: Ty = l === 'uint8_clamped' ? 'uint8' : l;
  const integer = isIntTy(lt) && lt !== 'wint';
  if (op === '>>>') return integer && INFO[lt as DType].kind === 'u' ? lt : 'uint32';
  return integer ? lt : 'int32';
}

/**
 * The float type a `Math` function returns for an argument type, as Numba's `math` module
 * types it in every kernel kind: integers (and bool) of any width give float64, floats keep
 * their width, weak stays weak.
 */
export function floatOf(t: Ty): Ty {
  if (t === 'wint' || t === 'wfloat') return 'wfloat';
  return INFO[t].kind === 'f' ? t : 'float64';
}

/** How a `Math.*` / `Number.*` function is typed and lowered. */
export type MathKind =
  | 'same' // abs, floor, …: integer in, same integer out
  | 'float1' // sqrt, sin, …: float out
  | 'float2' // atan2, hypot, pow
  | 'minmax'
  | 'fround'
  | 'int32'
  | 'random'
  | 'predicate'; // isNaN, isFinite, isInteger: bool out

export const MATH_FUNCTIONS: Readonly<Record<string, MathKind>> = {
  abs: 'same',
  floor: 'same',
  ceil: 'same',
  round: 'same',
  trunc: 'same',
  sign: 'same',
  sqrt: 'float1',
  cbrt: 'float1',
  exp: 'float1',
  expm1: 'float1',
  log: 'float1',
  log1p: 'float1',
  log2: 'float1',
  log10: 'float1',
  sin: 'float1',
  cos: 'float1',
  tan: 'float1',
  asin: 'float1',
  acos: 'float1',
  atan: 'float1',
  sinh: 'float1',
  cosh: 'float1',
  tanh: 'float1',
  asinh: 'float1',
  acosh: 'float1',
  atanh: 'float1',
  atan2: 'float2',
  hypot: 'float2',
  pow: 'float2',
  min: 'minmax',
  max: 'minmax',
  fround: 'fround',
  imul: 'int32',
  clz32: 'int32',
  random: 'random',
};

/** `Number.*` predicates (and the global isNaN/isFinite), lowered to `Number.<name>`. */
export const NUMBER_PREDICATES: ReadonlySet<string> = new Set([
  'isNaN',
  'isFinite',
  'isInteger',
  'isSafeInteger',
]);

/** Expected argument counts (min, max) for error messages. */
export const MATH_ARITY: Readonly<Record<MathKind, [number, number]>> = {
  same: [1, 1],
  float1: [1, 1],
  float2: [2, 2],
  minmax: [0, Number.POSITIVE_INFINITY],
  fround: [1, 1],
  int32: [1, 2],
  random: [0, 0],
  predicate: [1, 1],
};

/** Number-valued members of Math and Number, and the globals NaN/Infinity. */
export const MATH_CONSTANTS: Readonly<Record<string, number>> = {
  PI: Math.PI,
  E: Math.E,
  LN2: Math.LN2,
  LN10: Math.LN10,
  LOG2E: Math.LOG2E,
  LOG10E: Math.LOG10E,
  SQRT2: Math.SQRT2,
  SQRT1_2: Math.SQRT1_2,
};
export const NUMBER_CONSTANTS: Readonly<Record<string, number>> = {
  EPSILON: Number.EPSILON,
  MAX_VALUE: Number.MAX_VALUE,
  MIN_VALUE: Number.MIN_VALUE,
  MAX_SAFE_INTEGER: Number.MAX_SAFE_INTEGER,
  MIN_SAFE_INTEGER: Number.MIN_SAFE_INTEGER,
  POSITIVE_INFINITY: Number.POSITIVE_INFINITY,
  NEGATIVE_INFINITY: Number.NEGATIVE_INFINITY,
  NaN: Number.NaN,
};
