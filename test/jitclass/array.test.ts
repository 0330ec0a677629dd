/** Record arrays: struct-of-arrays storage, views and columns over the same memory. */
import { describe, expect, it } from 'vitest';
import { onHeap } from '../../src/core/heap.js';
import {
  dtypeOf,
  Fields,
  guvectorize,
  IndexError,
  jitclass,
  stencil,
  type TypedArray,
  toArray,
  vectorize,
} from '../../src/index.js';
import { expectError } from '../support.js';

/** What guvectorize passes for a core-dim argument. */
interface View {
  shape: number[];
  get(...idx: number[]): number;
}

const spec = { x: 'float64', y: 'float32', n: 'int32', alive: 'bool' } as const;
const Rec = jitclass(
  spec,
  class Rec extends Fields(spec) {
    twice() {
      return 2 * this.x;
    }
  },
);

describe('jitclass arrays', () => {
  it('allocates one zero-filled column per field, of the field dtype', () => {
    const rs = Rec.array(3);
    expect(rs.length).toBe(3);
    expect(rs.field('x').data).toBeInstanceOf(Float64Array);
    expect(rs.field('y').data).toBeInstanceOf(Float32Array);
    expect(rs.field('n').data).toBeInstanceOf(Int32Array);
    expect(dtypeOf(rs.field('alive'))).toBe('bool');
    expect(rs.toObjects()).toEqual(Array(3).fill({ x: 0, y: 0, n: 0, alive: false }));
  });

  it('fills from shared initial values or from a function of the index', () => {
    expect(Rec.array(2, { x: 1.5, alive: true }).toObjects()).toEqual([
      { x: 1.5, y: 0, n: 0, alive: true },
      { x: 1.5, y: 0, n: 0, alive: true },
    ]);
    const rs = Rec.array(3, (i) => ({ n: 2 ** 31 + i, alive: i % 2 === 0 }));
    expect(toArray(rs.field('n'))).toEqual([-(2 ** 31), -(2 ** 31) + 1, -(2 ** 31) + 2]);
    expect(toArray(rs.field('alive'))).toEqual([1, 0, 1]);
    expectError(() => Rec.array(2, { z: 1 } as never), TypeError, /Rec has no field "z"/);
    expectError(() => Rec.array(-1), TypeError, /non-negative integer/);
    expectError(() => Rec.array(1.5), TypeError, /non-negative integer/);
    expect(Rec.array(0).toObjects()).toEqual([]);
  });

  it('allocates on a SharedArrayBuffer with { shared: true }', () => {
    const rs = Rec.array(4, undefined, { shared: true });
    for (const f of Rec.fields) {
      expect((rs.field(f).data as TypedArray).buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    const fromObjs = Rec.fromObjects([{ x: 1 }], { shared: true });
    expect((fromObjs.field('x').data as TypedArray).buffer).toBeInstanceOf(SharedArrayBuffer);
    const plain = Rec.array(4).field('x').data as TypedArray;
    expect(onHeap(plain) || plain.buffer instanceof ArrayBuffer).toBe(true);
  });

  it('record views and field columns alias the same storage', () => {
    const rs = Rec.array(3);
    const xs = rs.field('x');
    const view = rs.get(1);
    view.x = 4.25;
    view.alive = true;
    expect(xs.get(1)).toBe(4.25);
    expect(rs.field('alive').get(1)).toBe(1);
    xs.set(2, -7);
    expect(rs.get(2).x).toBe(-7);
    expect(rs.get(-1).x).toBe(-7);
    // Two views of one record see each other's writes; views are sealed like records.
    rs.get(0).n = 9;
    expect(rs.get(0).n).toBe(9);
    expect(rs.get(0)).toBeInstanceOf(Rec);
    expect(Object.isSealed(rs.get(0))).toBe(true);
    expect(rs.get(1).twice()).toBe(8.5);
  });

  it('vectorize reads and writes field columns in place', () => {
    const rs = Rec.array(4, (i) => ({ x: i, y: 10 * i }));
    const axpy = vectorize((a: number, b: number) => a + 0.5 * b);
    axpy(rs.field('x'), rs.field('y'), { out: rs.field('x') });
    expect(rs.toObjects().map((r) => r.x)).toEqual([0, 6, 12, 18]);
    const total = vectorize((a: number, b: number) => a + b, { identity: 0 });
    expect(total.reduce(rs.field('n'), { axis: null })).toBe(0);
  });

  it('stencil and guvectorize accept field columns too', () => {
    const G = jitclass({ u: 'float64', w: 'float64' }, class {});
    const gs = G.array(6, (i) => ({ u: i * i, w: 1 }));
    const lap = stencil((u: (d: number) => number) => u(-1) + u(1) - 2 * u(0));
    lap(gs.field('u'), { out: gs.field('w') });
    expect(gs.toObjects().map((r) => r.w)).toEqual([1, 2, 2, 2, 2, 1]);
    const dot = guvectorize((x: View, y: View) => {
      let s = 0;
      for (let i = 0; i < x.shape[0]; i++) s += x.get(i) * y.get(i);
      return s;
    }, '(n),(n)->()');
    expect(toArray(dot(gs.field('u'), gs.field('w')) as never)).toEqual([85]);
  });

  it('checks indices and field names', () => {
    const rs = Rec.array(2);
    expectError(() => rs.get(2), IndexError, 'index 2 is out of bounds for axis 0 with size 2');
    expectError(() => rs.get(-3), IndexError, /index -3 is out of bounds/);
    expectError(() => rs.get(0.5), TypeError, /record index must be an integer/);
    expectError(() => rs.field('z' as never), TypeError, /Rec has no field "z" \(fields: x, y/);
  });

  it('set writes some fields of one record, checking them all first', () => {
    const rs = Rec.array(2);
    rs.set(1, { x: 3, alive: 1 });
    expect(rs.get(1).x).toBe(3);
    expect(rs.get(1).alive).toBe(true);
    expectError(() => rs.set(0, { x: 5, n: 'no' as never }), TypeError, /Rec\.n must be/);
    expect(rs.get(0).x).toBe(0);
  });

  it('iterates over record views', () => {
    const rs = Rec.array(3, (i) => ({ x: i }));
    const seen: number[] = [];
    for (const r of rs) {
      seen.push(r.x);
      r.x = r.x * 10;
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(toArray(rs.field('x'))).toEqual([0, 10, 20]);
    expect([...rs].length).toBe(3);
  });

  it('round-trips plain objects', () => {
    const objs = [
      { x: 1.5, y: 0.25, n: -3, alive: true },
      { x: -2, y: 8, n: 70000, alive: false },
    ];
    const rs = Rec.fromObjects(objs);
    expect(rs.toObjects()).toEqual(objs);
    expect(Rec.fromObjects(new Set([{ x: 1 }])).length).toBe(1);
    // Records (views or standalone) copy field by field, though their fields are accessors.
    expect(Rec.fromObjects([...rs]).toObjects()).toEqual(objs);
    expect(new Rec(rs.get(1)).n).toBe(70000);
    const Other = jitclass({ x: 'int8', extra: 'int8' }, class {});
    expectError(() => Rec.fromObjects([new Other()]), TypeError, /no field "extra"/);
    expectError(() => Rec.fromObjects(5 as never), TypeError, /iterable of objects/);
    expectError(() => Rec.fromObjects([{ q: 1 }] as never), TypeError, /no field "q"/);
  });

  it('is not extensible', () => {
    const rs = Rec.array(1);
    expectError(
      () => {
        (rs as unknown as { x: number }).x = 1;
      },
      TypeError,
      /not extensible|Cannot add property/,
    );
  });
});
