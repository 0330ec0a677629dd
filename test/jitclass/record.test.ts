/** Standalone records: typed storage, coercion per dtype, errors, and the user's methods. */
import { describe, expect, it } from 'vitest';
import { DTYPES, type DType, Fields, jitclass } from '../../src/index.js';
import { expectError } from '../support.js';

/** What a `dtype` TypedArray store keeps of `v` (bool: NumPy truth, read as a boolean). */
function stored(v: number | boolean, dtype: DType): number | boolean {
  if (dtype === 'bool') return typeof v === 'boolean' ? v : v !== 0;
  const Ctor = {
    float64: Float64Array,
    float32: Float32Array,
    int8: Int8Array,
    int16: Int16Array,
    int32: Int32Array,
    uint8: Uint8Array,
    uint16: Uint16Array,
    uint32: Uint32Array,
    uint8_clamped: Uint8ClampedArray,
  }[dtype];
  return new Ctor([+v])[0];
}

const VALUES = [
  0,
  -0,
  1,
  -1,
  0.5,
  1.5,
  2.5,
  -2.5,
  127.9,
  128,
  255.5,
  256,
  -129,
  32768,
  65536,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 32 + 3,
  1e40,
  -1e40,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  true,
  false,
];

describe('jitclass records: typed fields', () => {
  it.each(DTYPES)('%s fields store like a TypedArray of that dtype', (dtype) => {
    const R = jitclass({ v: dtype }, class {});
    const r = new R();
    expect(r.v).toBe(dtype === 'bool' ? false : 0);
    for (const v of VALUES) {
      r.v = v;
      expect(r.v).toStrictEqual(stored(v, dtype));
      expect(new R({ v }).v).toStrictEqual(stored(v, dtype));
    }
  });

  it('int32 wraps, uint8_clamped clamps and rounds half to even, float32 rounds', () => {
    const R = jitclass({ i: 'int32', c: 'uint8_clamped', f: 'float32', u: 'uint32' }, class {});
    const r = new R({ i: 2 ** 31 + 5, c: 2.5, f: 0.1, u: -1 });
    expect(r.i).toBe(-(2 ** 31) + 5);
    expect(r.c).toBe(2);
    expect(r.f).toBe(Math.fround(0.1));
    expect(r.u).toBe(4294967295);
    r.c = 300;
    expect(r.c).toBe(255);
  });

  it('bool fields read as booleans and store 0/1 with NumPy truth (NaN is true)', () => {
    const R = jitclass({ b: 'bool' }, class {});
    const r = new R({ b: 2 });
    expect(r.b).toBe(true);
    // Bool fields are typed `boolean`; numbers are accepted at run time.
    (r as { b: unknown }).b = 0;
    expect(r.b).toBe(false);
    (r as { b: unknown }).b = Number.NaN;
    expect(r.b).toBe(true);
    r.b = false;
    expect(r.b).toBe(false);
  });

  it('rejects non-numeric values with a TypeError naming the field', () => {
    const R = jitclass({ x: 'float64' }, class {});
    const r = new R();
    for (const bad of ['1', null, undefined, {}, [], 1n, Symbol('s')]) {
      expectError(
        () => {
          (r as { x: unknown }).x = bad;
        },
        TypeError,
        /JitRecord\.x must be a number or boolean/,
      );
    }
    expect(r.x).toBe(0);
    expectError(() => new R({ x: '3' as never }), TypeError, /must be a number or boolean/);
  });

  it('unknown fields are errors, not new properties', () => {
    const R = jitclass({ x: 'float64' }, class Point {});
    const r = new R();
    expectError(
      () => {
        (r as unknown as { y: number }).y = 1;
      },
      TypeError,
      /not extensible|Cannot add property y/,
    );
    expect('y' in r).toBe(false);
    expectError(() => new R({ y: 1 } as never), TypeError, /Point has no field "y" \(fields: x\)/);
    expectError(() => new R(5 as never), TypeError, /initial values must be an object/);
    expect(Object.isSealed(r)).toBe(true);
  });
});

describe('jitclass records: the class behaves like a class', () => {
  const spec = { x: 'float64', y: 'float64', vx: 'float64', vy: 'float64', n: 'int16' } as const;
  class Particle extends Fields(spec) {
    step(dt: number) {
      this.x += this.vx * dt;
      this.y += this.vy * dt;
      this.n++;
    }
    get speed() {
      return Math.hypot(this.vx, this.vy);
    }
    set speed(s: number) {
      const k = s / this.speed;
      this.vx *= k;
      this.vy *= k;
    }
    energy() {
      return 0.5 * this.speed ** 2;
    }
  }
  const P = jitclass(spec, Particle);

  it('runs methods, getters and setters with `this` being the record', () => {
    const p = new P({ x: 1, vx: 3, vy: 4 });
    expect(p.speed).toBe(5);
    p.step(2);
    expect([p.x, p.y, p.n]).toEqual([7, 8, 1]);
    p.speed = 10;
    expect([p.vx, p.vy]).toEqual([6, 8]);
    expect(p.energy()).toBeCloseTo(50);
  });

  it('is an instance of the record class and of the user class, named after it', () => {
    const p = new P();
    expect(p).toBeInstanceOf(P);
    expect(p).toBeInstanceOf(Particle);
    expect(P.name).toBe('Particle');
  });

  it('serialises its fields (JSON, toObjects-like spread via toJSON)', () => {
    const p = new P({ x: 1.5, n: 40000 });
    expect(JSON.parse(JSON.stringify(p))).toEqual({ x: 1.5, y: 0, vx: 0, vy: 0, n: -25536 });
  });

  it('keeps a user toJSON', () => {
    const R = jitclass(
      { a: 'int8' },
      class {
        toJSON() {
          return 'mine';
        }
      },
    );
    expect(JSON.stringify(new R())).toBe('"mine"');
  });
});
