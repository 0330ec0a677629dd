/**
 * Kernels using the whole supported language (if/else, ternaries, loops with break and
 * continue, local let/const, Math.*, constants, several outputs) compute what the same
 * function computes when called directly on each element (float64 inputs, where the
 * kernel's arithmetic is JS's), checked on random arrays with NaN and infinities.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asarray, dtypeOf, type NdArray, toNested, vectorize } from '../../src/index.js';
import {
  assertArraysEqual,
  broadcastArraysArb,
  ndarrayArb,
  refCall,
  valuesOf,
} from '../../src/testing/index.js';
import { runs } from '../support.js';

type K = (...a: number[]) => number;

const KERNELS: [string, K][] = [
  [
    'if / else if / else',
    (x, y) => {
      if (x > y) {
        return x - y;
      } else if (x === y) {
        return 0;
      } else {
        return y * 2;
      }
    },
  ],
  ['ternary', (x) => (x > 0 ? Math.sqrt(x) : -x)],
  [
    'for with break and continue',
    (x) => {
      let s = 0;
      for (let i = 0; i < 10; i++) {
        if (i % 2 === 0) continue;
        if (s > x) break;
        s += i;
      }
      return s;
    },
  ],
  [
    'while',
    (x) => {
      let n = 0;
      let v = Math.abs(x);
      while (v >= 1 && n < 2000) {
        v = v / 2;
        n++;
      }
      return n;
    },
  ],
  [
    'do-while assigning a parameter',
    (x) => {
      let k = 0;
      do {
        k += 1;
        x = x - 3;
      } while (x > 0 && k < 50);
      return k;
    },
  ],
  [
    'block scoping of let/const',
    (x) => {
      const a = x * 2;
      let b = a + 1;
      {
        const a = 3;
        b += a;
      }
      return b + a;
    },
  ],
  [
    'Math functions',
    (x, y) =>
      Math.hypot(x, y) +
      Math.atan2(y, x) +
      Math.max(x, y, 0) +
      Math.min(x) +
      Math.floor(x) +
      Math.ceil(y) +
      Math.round(y) +
      Math.trunc(x) +
      Math.sign(x) +
      Math.cbrt(y) +
      Math.exp(Math.min(x, 5)) +
      Math.log1p(Math.abs(y)) +
      Math.sin(x) * Math.cos(y) +
      Math.tanh(x) +
      Math.abs(x) ** 0.5,
  ],
  [
    'Math and Number constants',
    (x) => x * Math.PI + Math.E - Math.SQRT2 + Number.EPSILON + Math.LN2,
  ],
  ['logical operators', (x, y) => ((x > 0 && y > 0) || x === y ? 1 : 0)],
  [
    'compound assignment and updates',
    (x) => {
      let a = x;
      a += 2;
      a *= 3;
      a -= 1;
      a /= 2;
      a++;
      --a;
      a **= 2;
      return a;
    },
  ],
  // biome-ignore lint/complexity/noCommaOperator: the kernel language supports it
  ['comma operator', (x) => ((x = x + 1), x * 2)],
  ['NaN / finiteness predicates', (x) => (Number.isNaN(x) ? -1 : Number.isFinite(x) ? 1 : 0)],
  [
    'global isNaN/isFinite, NaN and Infinity',
    // biome-ignore lint/suspicious/noGlobalIsNan: the kernel language supports the globals
    // biome-ignore lint/suspicious/noGlobalIsFinite: the kernel language supports the globals
    (x) => (isNaN(x) ? Infinity : isFinite(x) ? x : NaN),
  ],
  ['exponent and modulo', (x, y) => x ** 2 + (x % 3) - (y % -2)],
  ['bitwise on floats (int32, like JS)', (x, y) => ((x | 0) ^ 5) + (y >> 1) + (~x & 255)],
  // Comparisons are bools (0/1) in arithmetic, as in Python; TypeScript needs them as numbers.
  [
    'comparisons as values',
    (x, y) => ((x < y) as unknown as number) + ((x >= y) as unknown as number) * 2,
  ],
  ['unary plus/minus/not', (x) => -x + +x * 2 + (!x ? 1 : 0)],
  [
    'nested loops with early return',
    (x) => {
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          if (i * j > x) return i * 10 + j;
        }
      }
      return -1;
    },
  ],
  [
    'postfix/prefix updates as values',
    (x) => {
      let i = x;
      const a = i++;
      const b = ++i;
      const c = i--;
      return a + b * 2 + c * 3 + i;
    },
  ],
];

describe('kernels compute what the function computes', () => {
  it.each(KERNELS)('%s', (_name, fn) => {
    const u = vectorize(fn);
    fc.assert(
      fc.property(
        broadcastArraysArb(fn.length, { dtype: 'float64', special: true, maxDims: 2 }),
        (arrays) => {
          const r = u(...arrays) as NdArray;
          assertArraysEqual(r, refCall(fn, arrays, { outDtype: dtypeOf(r) }));
        },
      ),
      runs(40),
    );
  });
});

describe('typed control flow', () => {
  it('keeps integer types through loops (int8 accumulator wraps)', () => {
    const u = vectorize((x: number) => {
      let s = x;
      for (let i = 0; i < 3; i++) s = s + x;
      return s;
    });
    const r = u(asarray(new Int8Array([50, -3]))) as NdArray;
    expect(dtypeOf(r)).toBe('int8');
    expect(valuesOf(r)).toEqual([-56, -12]); // 200 wraps to -56 like np.int8
  });

  it('widens a local to every type assigned to it', () => {
    const u = vectorize((x: number) => {
      let v = 0;
      if (x > 1) v = x / 2;
      return v;
    });
    const r = u(asarray(new Int16Array([1, 5]))) as NdArray;
    expect(dtypeOf(r)).toBe('float64');
    expect(valuesOf(r)).toEqual([0, 2.5]);
  });
});

describe('several outputs', () => {
  it('return [a, b] gives one array per output, typed separately', () => {
    const divmod = vectorize((a: number, b: number) => {
      const q = Math.floor(a / b);
      return [q, a - q * b];
    });
    expect(divmod.nout).toBe(2);
    const [q, m] = divmod(asarray([7, -7, 7.5]), 2) as NdArray[];
    expect(valuesOf(q)).toEqual([3, -4, 3]);
    expect(valuesOf(m)).toEqual([1, 1, 1.5]);
    const arrow = vectorize((a: number) => [a < 0, a * 2]);
    const [neg, twice] = arrow(asarray(new Int8Array([-1, 100]))) as NdArray[];
    expect([dtypeOf(neg), dtypeOf(twice)]).toEqual(['bool', 'int8']);
    expect([valuesOf(neg), valuesOf(twice)]).toEqual([
      [1, 0],
      [-2, -56],
    ]);
    expect(arrow(3)).toEqual([0, 6]);
  });

  it('property: a two-output kernel matches refCall', () => {
    const f = (a: number, b: number) => [Math.min(a, b), a * b - 1];
    const u = vectorize(f);
    fc.assert(
      fc.property(broadcastArraysArb(2, { dtype: 'float64', special: true }), ([a, b]) => {
        const [x, y] = u(a, b) as NdArray[];
        const [ex, ey] = refCall(f, [a, b], { outDtype: ['float64', 'float64'] });
        assertArraysEqual(x, ex);
        assertArraysEqual(y, ey);
      }),
      runs(40),
    );
  });
});

describe('constants and free variables', () => {
  it('compiles `constants` into the loop', () => {
    const u = vectorize((x: number) => x * k + (flag ? 1 : 0), {
      constants: { k: 2.5, flag: true },
    });
    expect(valuesOf(u(asarray([1, 2])) as NdArray)).toEqual([3.5, 6]);
    const src = u.inspect('float64(float64)');
    expect(src).toMatch(/2\.5/);
    expect(src).not.toMatch(/free variables/);
    // An integer constant is a weak literal: int8 stays int8.
    const v = vectorize((x: number) => x + k, { constants: { k: 1 } });
    expect(dtypeOf(v(asarray(new Int8Array([127]))) as NdArray)).toBe('int8');
  });

  it('falls back to calling the function for free variables, and inspect says so', () => {
    const scale = 3;
    const offset = 1;
    const u = vectorize((x: number) => x * scale + offset);
    fc.assert(
      fc.property(ndarrayArb({ dtype: 'float64', maxDims: 2 }), (a) => {
        assertArraysEqual(
          u(a) as NdArray,
          refCall((x) => x * scale + offset, [a]),
        );
      }),
      runs(30),
    );
    const src = u.inspect('float64(float64)');
    expect(src).toMatch(/free variables \(scale, offset\)/);
    expect(src).toMatch(/pass them as `constants`/);
    // Free variables read as float64, so the result is float64 even for int8 input.
    expect(dtypeOf(u(asarray(new Int8Array([1]))) as NdArray)).toBe('float64');
    expect(toNested(u(asarray(new Int8Array([1, 2]))) as NdArray)).toEqual([4, 7]);
  });
});

// Identifiers the kernels above read through `constants`.
declare const k: number;
declare const flag: boolean;
