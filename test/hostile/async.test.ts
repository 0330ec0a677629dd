/**
 * Finding 2: lost writes with `.async` on plain (non-shared) arrays. The workers compute
 * into shared scratch; the copy-back used to rewrite the whole touched range from the
 * scratch, undoing elements the call did not compute — another call's, or the caller's
 * writes made meanwhile. It now merges back only the elements the call changed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { view, wrap } from '../../src/core/array.js';
import { BoolArray, closePool, setParallelOptions, vectorize } from '../../src/index.js';
import { runs } from '../support.js';

const f = vectorize((a: number, b: number) => a * 10 + b, { target: 'parallel' });

beforeAll(() => setParallelOptions({ workers: 2, threshold: 0 }));
afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
});

const n = 4096;
const plain = (values: (i: number) => number) =>
  wrap(
    Float64Array.from({ length: n }, (_, i) => values(i)),
    [n],
  );
const mask = (keep: (i: number) => boolean, m = n) => {
  const d = new BoolArray(m);
  for (let i = 0; i < m; i++) d[i] = keep(i) ? 1 : 0;
  return wrap(d, [m]);
};

describe('.async on a plain out: no lost writes', () => {
  it('two calls with complementary where masks both land', async () => {
    const out = plain(() => -1);
    const a = plain((i) => i);
    const even = mask((i) => i % 2 === 0);
    const odd = mask((i) => i % 2 === 1);
    const pa = f.async(a, 1, { out, where: even });
    const pb = f.async(a, 2, { out, where: odd });
    await Promise.all([pa, pb]);
    for (let i = 0; i < n; i++) expect(out.data[i]).toBe(i * 10 + (i % 2 === 0 ? 1 : 2));
  });

  it('the even and the odd elements of one buffer, as two strided views', async () => {
    const data = new Float64Array(n).fill(-1);
    const evens = view(data, [n / 2], [2], 0);
    const odds = view(data, [n / 2], [2], 1);
    const a = plain((i) => i);
    await Promise.all([
      f.async(view(a.data, [n / 2], [2], 0), 1, { out: evens }),
      f.async(view(a.data, [n / 2], [2], 1), 2, { out: odds }),
    ]);
    for (let i = 0; i < n; i++) expect(data[i]).toBe(i * 10 + (i % 2 === 0 ? 1 : 2));
  });

  it('keeps a write the caller made while the call was in flight', async () => {
    const out = plain(() => -1);
    const a = plain((i) => i);
    const p = f.async(a, 0, { out, where: mask((i) => i < n / 2) });
    out.data[n - 1] = 123; // not owned by the call
    await p;
    expect(out.data[n - 1]).toBe(123);
    expect(out.data[0]).toBe(0);
    expect(out.data[n / 2 - 1]).toBe((n / 2 - 1) * 10);
    expect(out.data[n / 2]).toBe(-1);
  });

  it('property: N async calls with disjoint where masks, interleaved with caller writes, equal the sequential result', async () => {
    const owner = fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 64, maxLength: 64 });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }),
        owner,
        fc.array(fc.tuple(fc.integer({ min: 0, max: 63 }), fc.double({ noNaN: true })), {
          maxLength: 8,
        }),
        async (calls, own, writes) => {
          const m = 64;
          const a = wrap(
            Float64Array.from({ length: m }, (_, i) => i),
            [m],
          );
          const out = wrap(new Float64Array(m).fill(-7), [m]);
          const expected = Float64Array.from(out.data);
          const ownArr = wrap(
            Float64Array.from(own, (c) => (c >= calls ? -1 : c)),
            [m],
          );
          const pending: Promise<unknown>[] = [];
          // Caller writes go to elements no call owns (owner -1); owned elements race by design.
          const free = writes.filter(([i]) => ownArr.data[i] === -1);
          for (let c = 0; c < calls; c++) {
            const where = mask((i) => ownArr.data[i] === c, m);
            pending.push(f.async(a, c, { out, where }));
            const w = free[c];
            if (w) out.data[w[0]] = w[1];
          }
          for (const [i, v] of free.slice(calls)) out.data[i] = v;
          await Promise.all(pending);
          // The sequential result: each call writes its own elements; caller writes stay.
          for (let i = 0; i < m; i++) {
            const c = ownArr.data[i];
            if (c >= 0) expected[i] = i * 10 + c;
          }
          for (const [i, v] of free) expected[i] = v;
          expect(Array.from(out.data)).toEqual(Array.from(expected));
        },
      ),
      runs(40),
    );
  });
});
