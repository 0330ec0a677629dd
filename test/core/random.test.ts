/**
 * Seeded random arrays: the streams equal an independent Python port's
 * (test/core/golden/make_random_golden.py), so they are defined by integer and IEEE basic
 * arithmetic alone and are the same in every engine; plus range and distribution properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { portableLog } from '../../src/core/random.js';
import { dtypeOf, integers, normal, random, toArray, ValueError } from '../../src/index.js';
import { expectError, runs } from '../support.js';
import golden from './golden/random.json' with { type: 'json' };

describe('seeded streams', () => {
  it('equal the Python port bit for bit', () => {
    expect(toArray(random(6, { seed: 42 }))).toEqual(golden.random);
    expect(toArray(random(4, { seed: 42, dtype: 'float32' }))).toEqual(golden.random32);
    expect(toArray(normal(5, { seed: 7, loc: 10, scale: 2 }))).toEqual(golden.normal);
    expect(toArray(integers(-3, 4, 8, { seed: 2 ** 40 + 5 }))).toEqual(golden.integers);
    expect(toArray(integers(0, 2 ** 40, 3, { seed: 9, dtype: 'float64' }))).toEqual(golden.wide);
  });

  it('repeat for a seed, differ between seeds, and fill any shape', () => {
    const a = random([2, 3], { seed: 1 });
    expect(a.shape).toEqual([2, 3]);
    expect(toArray(random([2, 3], { seed: 1 }))).toEqual(toArray(a));
    expect(toArray(random([2, 3], { seed: 2 }))).not.toEqual(toArray(a));
    // Seeds differing only above bit 32 give different streams.
    expect(toArray(random(4, { seed: 2 ** 32 + 1 }))).not.toEqual(toArray(random(4, { seed: 1 })));
    expect(toArray(random(4))).not.toEqual(toArray(random(4)));
  });

  it('portableLog agrees with Math.log to a few ulps', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1, noNaN: true }), (x) => {
        fc.pre(x > 0);
        const want = Math.log(x);
        expect(Math.abs(portableLog(x) - want)).toBeLessThanOrEqual(
          4 * Number.EPSILON * Math.max(1, Math.abs(want)),
        );
      }),
      runs(200),
    );
  });
});

describe('ranges and distributions', () => {
  it('random is in [0, 1)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), (seed) => {
        for (const v of toArray(random(64, { seed }))) expect(v >= 0 && v < 1).toBe(true);
      }),
      runs(50),
    );
  });

  it('integers stay in [low, high) (or [low, high] with endpoint), every value reached', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        fc.boolean(),
        (low, span, seed, endpoint) => {
          const high = low + span;
          const v = toArray(integers(low, high, 400, { seed, endpoint }));
          const top = endpoint ? high : high - 1;
          for (const x of v) expect(Number.isInteger(x) && x >= low && x <= top).toBe(true);
          expect(new Set(v).size).toBe(top - low + 1);
        },
      ),
      runs(40),
    );
  });

  it('normal has the requested mean and standard deviation', () => {
    const v = toArray(normal(200_000, { seed: 11, loc: 3, scale: 0.5 }));
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
    // Standard errors: 0.5 / sqrt(2e5) ≈ 0.0011 for the mean, ≈ 0.0008 for the sd.
    expect(Math.abs(mean - 3)).toBeLessThan(0.006);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.005);
    const within1 = v.filter((x) => Math.abs(x - 3) < 0.5).length / v.length;
    expect(Math.abs(within1 - 0.6827)).toBeLessThan(0.005);
  });

  it('dtypes and errors', () => {
    expect(dtypeOf(integers(0, 10, 3, { seed: 1 }))).toBe('int32');
    expect(dtypeOf(integers(0, 10, 3, { seed: 1, dtype: 'uint8' }))).toBe('uint8');
    expect(dtypeOf(random(3, { dtype: 'float32' }))).toBe('float32');
    expectError(() => integers(5, 5, 3), ValueError, 'low >= high');
    expectError(
      () => integers(0, 300, 3, { dtype: 'uint8' }),
      ValueError,
      'high is out of bounds for uint8',
    );
    expectError(
      () => random(3, { seed: -1 }),
      TypeError,
      'seed must be an integer from 0 to 2^53 - 1; got -1',
    );
    expectError(
      () => random(3, { sed: 1 } as never),
      TypeError,
      "random: unknown option 'sed' (expected seed, dtype, shared)",
    );
    expectError(
      () => normal(3, { scale: -1 }),
      ValueError,
      'normal: scale must be a finite number >= 0; got -1',
    );
  });
});
