/**
 * The numeric rules every lowering of the IR follows, written once: how a number constant
 * is printed into generated source, which conversions NumPy's `astype` needs between two
 * types, and how an arithmetic result of a type is kept in NumPy's range. A lowering only
 * spells these out in its own language: `emit-js.ts` with `|0`, `Math.imul` and
 * `Math.fround`; `targets/gpu/lower.ts` with its float32 wrap helpers.
 */

import { type DType, INFO } from '../core/dtypes.js';
import { isWeak, type Ty } from './ir.js';

/** How a target language writes the numbers that have no plain numeral. */
export interface LiteralSyntax {
  readonly nan: string;
  readonly posInf: string;
  readonly negInf: string;
  readonly negZero: string;
}

/** JavaScript: every value, -0 included, as itself. */
export const JS_LITERALS: LiteralSyntax = {
  nan: 'NaN',
  posInf: 'Infinity',
  negInf: '(-Infinity)',
  negZero: '(-0)',
};

/**
 * gpu.js shaders: GLSL has no NaN or infinity literal, so they are computed (an overflow of
 * float32 gives infinity); -0 is 0 (the device does not keep the sign of a zero).
 */
export const GL_LITERALS: LiteralSyntax = {
  nan: '(0 / 0)',
  posInf: '(1e30 * 1e30)',
  negInf: '(-1e30 * 1e30)',
  negZero: '0',
};

/**
 * Source of a number constant in `syntax` (negatives parenthesised, so `a-(-1)` never
 * reads as `a--1`). Refuses anything that is not a number primitive: whatever path a value
 * took, only numerals reach generated code.
 */
export function printNumber(v: number, syntax: LiteralSyntax): string {
  if (typeof v !== 'number') {
    throw new TypeError(`internal: a ${typeof v} reached the number-literal printer`);
  }
  if (Object.is(v, -0)) return syntax.negZero;
  if (Number.isNaN(v)) return syntax.nan;
  if (v === Number.POSITIVE_INFINITY) return syntax.posInf;
  if (v === Number.NEGATIVE_INFINITY) return syntax.negInf;
  return v < 0 ? `(${String(v)})` : String(v);
}

/** JS source of a number constant (handles -0, NaN, ±Infinity, negatives). */
export function numberLiteral(v: number): string {
  return printNumber(v, JS_LITERALS);
}

/**
 * What converting a value of one type to another takes (NumPy `astype`):
 * - `none`: every value of the source type is a value of the target type;
 * - `round32`: round to float32;
 * - `bool`: nonzero becomes 1;
 * - `clamp`: uint8_clamped's clamp to [0, 255] with round half to even;
 * - `wrap`: an integer value wrapped modulo the target's width;
 * - `truncate`: a float truncated toward zero, then wrapped.
 */
export type Conversion = 'none' | 'round32' | 'bool' | 'clamp' | 'wrap' | 'truncate';

/** The conversion a `from` value needs to become a `to` value; a weak `to` needs none. */
export function conversion(from: Ty, to: Ty): Conversion {
  if (isWeak(to) || from === to || to === 'float64') return 'none';
  if (to === 'float32') {
    // Integers up to 16 bits are exact in float32.
    if (isWeak(from)) return 'round32';
    const fi = INFO[from];
    return fi.kind !== 'f' && fi.bits <= 16 ? 'none' : 'round32';
  }
  if (to === 'bool') return 'bool';
  if (to === 'uint8_clamped') return from === 'bool' || from === 'uint8' ? 'none' : 'clamp';
  if (from === 'wfloat') return 'truncate';
  if (from === 'wint') return 'wrap';
  const fi = INFO[from];
  if (fi.kind === 'f') return 'truncate';
  const ti = INFO[to];
  return fi.min < ti.min || fi.max > ti.max ? 'wrap' : 'none';
}

/** The fixed-width integer types (bool included): what `isIntResult` narrows to. */
export type IntTy = Exclude<DType, 'float32' | 'float64'>;

/**
 * Whether an arithmetic result of type `t` is a fixed-width integer (or bool), which a
 * lowering wraps (or normalises) to its range after each operation. The others are weak
 * types and floats: exact as JS doubles, float32 rounded by the lowerings that keep it.
 */
export function isIntResult(t: Ty): t is IntTy {
  return !isWeak(t) && INFO[t].kind !== 'f';
}
