/**
 * The shared numeric rules (compiler/numeric.ts) against naive references: printed
 * literals read back as the same number, and `conversion` says `none` exactly when a cast
 * keeps every value (a typed array's store is the reference for NumPy's `astype`).
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { castCode, HELPERS } from '../../src/compiler/emit-js.js';
import {
  conversion,
  GL_LITERALS,
  isIntResult,
  JS_LITERALS,
  numberLiteral,
  printNumber,
} from '../../src/compiler/numeric.js';
import { castScalar } from '../../src/core/array.js';
import { DTYPES, type DType, INFO } from '../../src/core/dtypes.js';

const evalJs = (src: string): number => new Function(`return ${src};`)() as number;

describe('number literals', () => {
  it('a JS literal reads back as the same number, also after a minus sign', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.constantFrom(-0, NaN, Infinity, -Infinity)), (v) => {
        const lit = numberLiteral(v);
        expect(Object.is(evalJs(lit), v)).toBe(true);
        expect(Object.is(evalJs(`1-${lit}`), 1 - v)).toBe(true);
        expect(printNumber(v, JS_LITERALS)).toBe(lit);
      }),
    );
  });

  it('a GLSL literal computes the same float32 (an overflow is infinity; a zero loses its sign)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.constantFrom(-0, NaN, Infinity, -Infinity)), (v) => {
        const got = Math.fround(evalJs(printNumber(v, GL_LITERALS)));
        expect(Object.is(got, Object.is(v, -0) ? 0 : Math.fround(v))).toBe(true);
      }),
    );
  });

  it('anything but a number primitive is refused', () => {
    for (const bad of ['1', 1n, {}, null]) {
      expect(() => numberLiteral(bad as never)).toThrow(/reached the number-literal printer/);
    }
  });
});

/** Values of `t` that witness every way a cast can change a value. */
function samples(t: DType): number[] {
  const { min, max, kind } = INFO[t];
  if (kind === 'f') {
    const xs = [0, -0, 0.5, -2.5, 1e300, 0.1, 16777217, Number.NaN, Infinity];
    return t === 'float32' ? xs.map(Math.fround) : xs;
  }
  return [min, max, 0, 1, 2, -1, 255, 256, 65536].filter((v) => v >= min && v <= max);
}

describe('conversion', () => {
  it("is 'none' exactly when every value of the source survives the cast", () => {
    for (const from of DTYPES) {
      for (const to of DTYPES) {
        const lossless = samples(from).every((v) => Object.is(castScalar(v, to), v));
        const c = conversion(from, to);
        expect(c === 'none', `${from} -> ${to}: ${c}`).toBe(lossless);
        if (c === 'none') continue;
        const expected =
          to === 'float32'
            ? 'round32'
            : to === 'bool'
              ? 'bool'
              : to === 'uint8_clamped'
                ? 'clamp'
                : INFO[from].kind === 'f'
                  ? 'truncate'
                  : 'wrap';
        expect(c, `${from} -> ${to}`).toBe(expected);
      }
    }
  });

  it('weak sources always convert; weak targets never', () => {
    for (const to of DTYPES) {
      expect(conversion('wint', to) === 'none').toBe(to === 'float64');
      expect(conversion('wfloat', to) === 'none').toBe(to === 'float64');
      expect(conversion(to, 'wint')).toBe('none');
    }
    expect(conversion('wfloat', 'int8')).toBe('truncate');
    expect(conversion('wint', 'int8')).toBe('wrap');
  });

  it('the JS lowering of every cast matches a typed array store', () => {
    const value = fc.oneof(
      fc.double(),
      fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
      fc.constantFrom(0.5, 1.5, 2.5, -0.5, 254.5, 255.5, -0, NaN, Infinity, -Infinity),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...DTYPES),
        fc.constantFrom(...DTYPES),
        value,
        (from, to, raw) => {
          const v = castScalar(raw, from);
          const f = new Function('x', 'H', `return ${castCode(from, to, 'x')};`);
          expect(Object.is(f(v, HELPERS), castScalar(v, to))).toBe(true);
        },
      ),
    );
  });

  it('integer results are the fixed-width types and bool', () => {
    expect(DTYPES.filter((t) => !isIntResult(t))).toEqual(['float32', 'float64']);
    expect(isIntResult('wint')).toBe(false);
    expect(isIntResult('wfloat')).toBe(false);
  });
});
