/** `.call`: one compiled loop over the records, equal to calling the method on each record. */
import { describe, expect, it } from 'vitest';
import { dtypeOf, Fields, jitclass, type NdArray, toArray } from '../../src/index.js';
import { expectError } from '../support.js';
import { expectCallMatchesMethod } from './helpers.js';

const spec = {
  x: 'float64',
  y: 'float64',
  vx: 'float64',
  vy: 'float64',
  alive: 'bool',
  bounces: 'int32',
} as const;

class Body extends Fields(spec) {
  step(dt: number) {
    this.x += this.vx * dt;
    this.y += this.vy * dt;
  }
  fall(dt: number, g: number) {
    this.vy -= g * dt;
    this.step(dt);
    if (this.y < 0) {
      this.y = -this.y;
      this.vy = -0.5 * this.vy;
      this.bounces++;
    }
    this.alive = this.bounces < 3;
  }
  get speed() {
    return Math.sqrt(this.vx * this.vx + this.vy * this.vy);
  }
  set speed(s: number) {
    const k = this.speed === 0 ? 0 : s / this.speed;
    this.vx *= k;
    this.vy *= k;
  }
  energy(m: number) {
    return 0.5 * m * this.speed ** 2;
  }
  brake(f: number) {
    this.speed = this.speed * f;
    return this.speed;
  }
  isFast(limit: number) {
    return this.speed > limit && this.alive;
  }
  count() {
    const before = this.bounces++;
    ++this.bounces;
    return before * 100 + this.bounces--;
  }
}
const Particle = jitclass(spec, Body);

const objects = Array.from({ length: 40 }, (_, i) => ({
  x: i * 0.5,
  y: (i % 7) - 1,
  vx: Math.sin(i) * 3,
  vy: Math.cos(i) * 3,
  alive: i % 3 !== 0,
  bounces: i % 5,
}));

describe('jitclass .call', () => {
  it('equals the method on plain JS objects (float fields)', () => {
    const ps = Particle.fromObjects(objects);
    expect(ps.call('step', 0.25)).toBeUndefined();
    const plain = objects.map((o) => ({ ...o }));
    for (const o of plain) Body.prototype.step.call(o as never, 0.25);
    expect(ps.toObjects()).toEqual(plain);
  });

  it.each([
    ['step', [0.1]],
    ['fall', [0.05, 9.81]],
    ['fall', [0.5, -3]],
    ['energy', [2]],
    ['brake', [0.5]],
    ['isFast', [2]],
    ['count', []],
  ] as const)('%s%j equals the method run on each record', (method, args) => {
    expectCallMatchesMethod(Particle, objects, method, args);
  });

  it('returns an ndarray of results typed by the method body', () => {
    const ps = Particle.fromObjects(objects);
    expect(dtypeOf(ps.call('energy', 1))).toBe('float64');
    expect(dtypeOf(ps.call('isFast', 1))).toBe('bool');
    expect(dtypeOf(ps.call('count'))).toBe('int32');
    expect(ps.call('energy', 1).shape).toEqual([40]);
  });

  it('runs over an empty array (still compiling the method)', () => {
    expect(Particle.array(0).call('energy', 1).shape).toEqual([0]);
  });

  it('takes booleans as bool arguments', () => {
    const S = jitclass(
      { v: 'int16' },
      class S {
        declare v: number;
        pick(flag: boolean, a: number) {
          return flag ? a + this.v : -1;
        }
      },
    );
    const ss = S.array(3, (i) => ({ v: i }));
    expect(toArray(ss.call('pick', true, 0.5))).toEqual([0.5, 1.5, 2.5]);
    expect(toArray(ss.call('pick', false, 0.5))).toEqual([-1, -1, -1]);
    expect(S.inspect('pick', true, 1)).toContain('(bool, float64)');
  });

  it('checks the method name, the arity and the argument types', () => {
    // Each bad call is also a TypeScript error (checked by tsc): `.call` is typed from the class.
    const ps = Particle.array(2);
    expectError(
      // @ts-expect-error not a method of Body
      () => ps.call('jump'),
      TypeError,
      'Body has no method "jump" (no such method); methods: step, fall, energy, brake, isFast, count',
    );
    // @ts-expect-error a getter/setter, not a method
    expectError(() => ps.call('speed'), TypeError, /'speed' is an accessor, not a method/);
    // @ts-expect-error missing argument
    expectError(() => ps.call('step'), TypeError, 'Body.step takes 1 argument(s), got 0');
    // @ts-expect-error extra argument
    expectError(() => ps.call('step', 1, 2), TypeError, /takes 1 argument\(s\), got 2/);
    expectError(
      // @ts-expect-error a string argument
      () => ps.call('step', '0.1'),
      TypeError,
      'argument 1 of Body.step must be a number or boolean; got "0.1"',
    );
    // @ts-expect-error null
    expectError(() => ps.call('step', null), TypeError, /got null/);
    // The result type follows the method: void methods give undefined, others an ndarray.
    const none: undefined = ps.call('step', 0.1);
    const some: NdArray = ps.call('energy', 1);
    expect([none, some.shape]).toEqual([undefined, [2]]);
  });
});

describe('jitclass compiled semantics', () => {
  const tspec = {
    i8: 'int8',
    u8: 'uint8',
    i32: 'int32',
    c: 'uint8_clamped',
    f: 'float32',
    b: 'bool',
  } as const;
  class Typed extends Fields(tspec) {
    wrap() {
      this.i8 = this.i32 + 200;
      this.u8 += 300;
      this.i32 = this.i32 * 65536;
      this.c = this.f * 100;
      this.f = this.f / 3;
      // TypeScript types bool fields as booleans; storing a number is fine at run time.
      (this as any).b = this.i8;
    }
    sum() {
      return this.i8 + this.u8;
    }
    assignedValue() {
      const v = (this.i8 = 1000.5);
      return v;
    }
    flip() {
      this.b = !this.b;
      return this.b;
    }
    bumpBool() {
      return (this as any).b++;
    }
  }
  const T = jitclass(tspec, Typed);
  const tobjs = [
    { i8: 100, u8: 200, i32: 2 ** 30, c: 0, f: 1.7, b: true },
    { i8: -128, u8: 0, i32: -5, c: 9, f: -0.01, b: false },
    { i8: 5, u8: 255, i32: 40000, c: 255, f: 2.5549, b: true },
  ];

  it.each([
    'wrap',
    'sum',
    'assignedValue',
    'flip',
    'bumpBool',
  ])('%s: stores coerce like the typed setters', (method) => {
    expectCallMatchesMethod(T, tobjs, method, []);
  });

  it('keeps the value of an assignment expression as JS does', () => {
    expect(toArray(T.fromObjects(tobjs).call('assignedValue'))).toEqual([1000.5, 1000.5, 1000.5]);
  });

  it('compiles once per method and argument types', () => {
    expect(Particle.inspect('step', 1)).toBe(Particle.inspect('step', 2));
    expect(Particle.inspect('energy', 1)).not.toBe(Particle.inspect('step', 1));
  });

  it('inspect shows the loop with columns c<k>, and no user name in the code', () => {
    const src = Particle.inspect('fall', 0.1, 9.81);
    expect(src).toContain('c0[i]');
    expect(src).toContain('//   c0 = x (float64)');
    const code = src
      .split('\n')
      .filter((l) => !l.startsWith('//'))
      .join('\n');
    for (const name of [...Particle.fields, 'speed', 'step', 'fall', 'Body']) {
      expect(code).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
    expect(code).toMatch(/for\(let i=0;i<n;i\+\+\)/);
  });

  it('reads constants given in the options', () => {
    const G = jitclass(
      { vy: 'float64' },
      class {
        declare vy: number;
        kick(dt: number) {
          this.vy -= GRAVITY * dt;
        }
      },
      { constants: { GRAVITY: 9.81 } },
    );
    const gs = G.array(2);
    gs.call('kick', 2);
    expect(toArray(gs.field('vy'))).toEqual([-19.62, -19.62]);
  });
});

declare const GRAVITY: number;
