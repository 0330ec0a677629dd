/**
 * Property tests over random specs (names and dtypes) and values: storage matches a
 * TypedArray of each field's dtype through every path (constructor, arrays, views,
 * columns), and compiled `.call` loops match the JS methods run record by record.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DTYPES, type DType, jitclass, type TypedArray } from '../../src/index.js';
import { runs } from '../support.js';
import { expectCallMatchesMethod } from './helpers.js';

const RESERVED = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'toJSON',
  'array',
  'fromObjects',
  'inspect',
  'spec',
  'fields',
  'methods',
  'get',
  'set',
  'field',
  'call',
  'length',
  'toObjects',
  'prototype',
  // the generated classes' own methods
  'mix',
  'swap',
  'count',
]);

const nameArb = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,7}$/).filter((s) => !RESERVED.has(s));

function specArb(minFields: number, maxFields: number) {
  return fc
    .uniqueArray(nameArb, { minLength: minFields, maxLength: maxFields })
    .chain((names) =>
      fc
        .array(fc.constantFrom(...DTYPES), { minLength: names.length, maxLength: names.length })
        .map((dtypes) => Object.fromEntries(names.map((n, i) => [n, dtypes[i]]))),
    );
}

const valueArb: fc.Arbitrary<number | boolean> = fc.oneof(
  fc.double(),
  fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
  fc.integer({ min: -300, max: 300 }),
  fc.boolean(),
  fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY, 2 ** 31, 0.5, 2.5, -1),
);

function recordsArb(spec: Record<string, DType>, max: number) {
  const fields = Object.keys(spec);
  return fc.array(
    fc.record(Object.fromEntries(fields.map((f) => [f, valueArb])), { requiredKeys: [] }),
    {
      maxLength: max,
    },
  );
}

/** The stored (raw) element and the value a field reads back. */
function storedRaw(v: number | boolean | undefined, dtype: DType): number {
  const x = v === undefined ? 0 : +v;
  if (dtype === 'bool') return x !== 0 ? 1 : 0;
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
  return new Ctor([x])[0];
}
const readBack = (raw: number, dtype: DType) => (dtype === 'bool' ? raw !== 0 : raw);

describe('jitclass properties', () => {
  it('every path stores values like a TypedArray of the field dtype', () => {
    fc.assert(
      fc.property(
        specArb(1, 6).chain((spec) => fc.tuple(fc.constant(spec), recordsArb(spec, 6))),
        ([spec, objs]) => {
          const R = jitclass(spec, class {});
          const fields = Object.keys(spec);
          const rs = R.fromObjects(objs);
          expect(rs.length).toBe(objs.length);
          const expected = objs.map((o) =>
            Object.fromEntries(
              fields.map((f) => [
                f,
                readBack(storedRaw((o as Record<string, number | boolean>)[f], spec[f]), spec[f]),
              ]),
            ),
          );
          expect(rs.toObjects()).toEqual(expected);
          for (const f of fields) {
            const raw = objs.map((o) =>
              storedRaw((o as Record<string, number | boolean>)[f], spec[f]),
            );
            expect(Array.from(rs.field(f).data as TypedArray)).toEqual(raw);
          }
          objs.forEach((o, i) => {
            const view = rs.get(i) as Record<string, unknown>;
            const single = new R(o) as Record<string, unknown>;
            for (const f of fields) {
              expect(view[f]).toStrictEqual(expected[i][f]);
              expect(single[f]).toStrictEqual(expected[i][f]);
            }
          });
        },
      ),
      runs(60),
    );
  });

  it('writes through a view are visible in the column, and back', () => {
    fc.assert(
      fc.property(
        specArb(1, 4).chain((spec) =>
          fc.tuple(
            fc.constant(spec),
            fc.constantFrom(...Object.keys(spec)),
            fc.integer({ min: 0, max: 4 }),
            valueArb,
            valueArb,
          ),
        ),
        ([spec, f, i, v, w]) => {
          const rs = jitclass(spec, class {}).array(5);
          const col = rs.field(f);
          (rs.get(i) as Record<string, unknown>)[f] = v;
          expect(col.get(i)).toBe(storedRaw(v, spec[f]));
          col.set(i, storedRaw(w, spec[f]));
          expect((rs.get(i) as Record<string, unknown>)[f]).toStrictEqual(
            readBack(storedRaw(w, spec[f]), spec[f]),
          );
        },
      ),
      runs(60),
    );
  });

  it('.call equals the JS method on each record, for random specs and values', () => {
    fc.assert(
      fc.property(
        specArb(3, 6).chain((spec) =>
          fc.tuple(
            fc.constant(spec),
            fc.shuffledSubarray(Object.keys(spec), { minLength: 3, maxLength: 3 }),
            recordsArb(spec, 5),
            fc.double(),
          ),
        ),
        ([spec, [a, b, c], objs, k]) => {
          // Field names come from the validated spec: they are identifiers.
          const cls = new Function(`return class {
            mix(k) { this.${b} = this.${a} * k + this.${c}; return this.${a} - this.${c}; }
            swap() { const t = this.${a}; this.${a} = this.${b}; this.${b} = t; }
            count(k) {
              let s = 0;
              for (let j = 0; j < 3; j++) { if (this.${a} > k * j) s++; }
              this.${c} += s;
              return s > 1;
            }
          }`)();
          const R = jitclass(spec, cls);
          expectCallMatchesMethod(R as never, objs, 'mix', [k]);
          expectCallMatchesMethod(R as never, objs, 'swap', []);
          expectCallMatchesMethod(R as never, objs, 'count', [k]);
        },
      ),
      runs(40),
    );
  });
});
