/**
 * jitclass `.call` on `target: 'parallel'` (records split over workers) equals `cpu` for
 * void and value-returning methods, on shared and plain record arrays.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closePool,
  Fields,
  jitclass,
  type NdArray,
  parallelStatus,
  setParallelOptions,
} from '../../../src/index.js';
import { assertArraysEqual } from '../../../src/testing/index.js';
import { runs } from '../../support.js';

const spec = {
  x: 'float64',
  y: 'float32',
  vx: 'float64',
  vy: 'float64',
  alive: 'bool',
  bounces: 'int16',
} as const;

class Body extends Fields(spec) {
  fall(dt: number, g: number) {
    this.vy -= g * dt;
    this.x += this.vx * dt;
    this.y += this.vy * dt;
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
  energy(m: number) {
    return 0.5 * m * this.speed ** 2;
  }
  isFast(limit: number) {
    return this.speed > limit && this.alive;
  }
}
const Cpu = jitclass(spec, Body);
const Par = jitclass(spec, Body, { target: 'parallel' });

beforeAll(() => setParallelOptions({ workers: 3, threshold: 0 }));
afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
});

const recordArb = fc.record({
  x: fc.double({ min: -100, max: 100, noNaN: true }),
  y: fc.double({ min: -5, max: 5, noNaN: true }),
  vx: fc.double({ min: -10, max: 10, noNaN: true }),
  vy: fc.double({ min: -10, max: 10, noNaN: true }),
  alive: fc.boolean(),
  bounces: fc.integer({ min: -32768, max: 32767 }),
});

describe('parallel jitclass .call equals cpu', () => {
  it('void and value-returning methods over random records', () => {
    const jobs = parallelStatus().jobs;
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        (objs, shared, steps) => {
          const a = Cpu.fromObjects(objs);
          const b = Par.fromObjects(objs, shared ? { shared: true } : undefined);
          for (let s = 0; s < steps; s++) {
            a.call('fall', 0.1, 9.81);
            b.call('fall', 0.1, 9.81);
          }
          expect(b.toObjects()).toEqual(a.toObjects());
          assertArraysEqual(b.call('energy', 2) as NdArray, a.call('energy', 2) as NdArray, {
            signedZero: true,
          });
          assertArraysEqual(b.call('isFast', 3) as NdArray, a.call('isFast', 3) as NdArray);
        },
      ),
      runs(60),
    );
    expect(parallelStatus().jobs - jobs).toBeGreaterThan(30);
  });

  it('rejects an unknown target', () => {
    expect(() => jitclass(spec, Body, { target: 'gpu' as never })).toThrow(TypeError);
  });
});
