/**
 * Property tests of guvectorize against naive loops (helpers.ts' refGufunc): random loop
 * dims that broadcast, random dtypes, and operands that are random views (transposed,
 * stepped, reversed, stride 0, size 0), for the gufuncs issue 3 lists.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DType, dtypeOf, guvectorize, type NdArray, type View } from '../../../src/index.js';
import {
  assertArraysEqual,
  broadcastShapeOf,
  broadcastShapesArb,
  castTo,
  dtypeArb,
} from '../../../src/testing/index.js';
import { arith, runs } from '../../support.js';
import {
  arithOf,
  type Core,
  expectWritten,
  inputArb,
  loopShapeArb,
  memberOf,
  outArb,
  refGufunc,
  TEST_DTYPES,
} from './helpers.js';

const dt = dtypeArb({ only: TEST_DTYPES });
// Core sizes up to 16 get loops with literal sizes (a few per kernel), larger ones the
// generic loop: 17 keeps both kinds under test.
const side = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 4 }), weight: 5 },
  { arbitrary: fc.constant(17), weight: 1 },
);
const loops2 = broadcastShapesArb(2, { maxDims: 3, maxSide: 3 });

const rowDot = guvectorize(
  (x: View, y: View) => {
    let s = 0;
    for (let i = 0; i < x.shape[0]; i++) s += x.get(i) * y.get(i);
    return s;
  },
  '(n),(n)->()',
  { name: 'rowDot' },
);

const matmulKernel = (a: View, b: View, c: View) => {
  for (let i = 0; i < a.shape[0]; i++) {
    for (let j = 0; j < b.shape[1]; j++) {
      let s = 0;
      for (let k = 0; k < a.shape[1]; k++) s += a.get(i, k) * b.get(k, j);
      c.set(i, j, s);
    }
  }
};
const matmul = guvectorize(matmulKernel, '(m,n),(n,p)->(m,p)', { name: 'matmul' });
const matmulOpt = guvectorize(matmulKernel, '(m?,n),(n,p?)->(m?,p?)', { name: 'matmul' });

/** The naive product of an (m,n) and an (n,p) matrix in the arithmetic of type `t`. */
function refMatmul(t: DType, p: number) {
  const { add, mul } = arithOf(t);
  return (a: Core, b: Core): Core => {
    const B = b as number[][];
    return (a as number[][]).map((row) =>
      Array.from({ length: p }, (_, j) => row.reduce((s, v, k) => add(s, mul(v, B[k][j])), 0)),
    );
  };
}

describe('row dot (n),(n)->()', () => {
  it('matches a naive loop over broadcast loop dims, dtypes and views', () => {
    const caseArb = fc
      .record({ loops: loops2, n: side, ta: dt, tb: dt })
      .chain(({ loops, n, ta, tb }) =>
        fc.tuple(inputArb([...loops[0], n], ta), inputArb([...loops[1], n], tb)),
      );
    fc.assert(
      fc.property(caseArb, ([a, b]) => {
        const t = arith(dtypeOf(a), dtypeOf(b));
        const { add, mul } = arithOf(t);
        const want = refGufunc(
          (x, y) => (x as number[]).reduce((s, v, i) => add(s, mul(v, (y as number[])[i])), 0),
          [a, b],
          { inCore: [1, 1], outCore: [[]], outDtypes: [t] },
        );
        const got = rowDot(a, b) as NdArray;
        expect(dtypeOf(got)).toBe(t);
        assertArraysEqual(got, want[0]);
      }),
      runs(120),
    );
  });
});

describe('batched matmul (m,n),(n,p)->(m,p)', () => {
  it('matches a naive loop, allocating or writing a random out view', () => {
    const caseArb = fc
      .record({ loops: loops2, m: side, n: side, p: side, ta: dt, tb: dt, withOut: fc.boolean() })
      .chain(({ loops, m, n, p, ta, tb, withOut }) => {
        const full = broadcastShapeOf(loops)!;
        const t = arith(ta, tb);
        return fc.tuple(
          inputArb([...loops[0], m, n], ta),
          inputArb([...loops[1], n, p], tb),
          withOut ? outArb([...full, m, p], [t, 'float64']) : fc.constant(null),
        );
      });
    fc.assert(
      fc.property(caseArb, ([a, b, out]) => {
        const t = arith(dtypeOf(a), dtypeOf(b));
        const p = b.shape.at(-1)!;
        const opts = { inCore: [2, 2], outCore: [[a.shape.at(-2)!, p]], outDtypes: [t] };
        if (out) {
          const before = Array.from(out.data as ArrayLike<number>);
          const want = refGufunc(refMatmul(t, p), [a, b], { ...opts, out: [out] });
          expect(matmul(a, b, { out })).toBe(out);
          expectWritten(out, want[0], before);
        } else {
          const got = matmul(a, b) as NdArray;
          expect(dtypeOf(got)).toBe(t);
          assertArraysEqual(got, refGufunc(refMatmul(t, p), [a, b], opts)[0]);
        }
      }),
      runs(120),
    );
  });
});

describe('matmul with optional dims (m?,n),(n,p?)->(m?,p?)', () => {
  it('treats 1-d operands as NumPy matmul does', () => {
    const caseArb = fc
      .record({
        loops: loops2,
        m: side,
        n: side,
        p: side,
        hasM: fc.boolean(),
        hasP: fc.boolean(),
        t: dt,
      })
      .chain(({ loops, m, n, p, hasM, hasP, t }) =>
        fc.tuple(
          inputArb(hasM ? [...loops[0], m, n] : [n], t),
          inputArb(hasP ? [...loops[1], n, p] : [n], t),
          fc.constant({ hasM, hasP }),
        ),
      );
    fc.assert(
      fc.property(caseArb, ([a, b, { hasM, hasP }]) => {
        const t = arith(dtypeOf(a), dtypeOf(b));
        const mm = refMatmul(t, hasP ? b.shape.at(-1)! : 1);
        const outCore = [...(hasM ? [a.shape.at(-2)!] : []), ...(hasP ? [b.shape.at(-1)!] : [])];
        const want = refGufunc(
          (x, y) => {
            const r = mm(hasM ? x : [x], hasP ? y : (y as number[]).map((v) => [v])) as Core[][];
            const rows = hasP ? r : r.map((row) => row[0]);
            return hasM ? rows : rows[0];
          },
          [a, b],
          { inCore: [hasM ? 2 : 1, hasP ? 2 : 1], outCore: [outCore], outDtypes: [t] },
        );
        const got = matmulOpt(a, b) as NdArray;
        assertArraysEqual(got, want[0]);
      }),
      runs(100),
    );
  });
});

describe('cross product (3),(3)->(3)', () => {
  const cross = guvectorize((a: View, b: View, c: View) => {
    c.set(0, a.get(1) * b.get(2) - a.get(2) * b.get(1));
    c.set(1, a.get(2) * b.get(0) - a.get(0) * b.get(2));
    c.set(2, a.get(0) * b.get(1) - a.get(1) * b.get(0));
  }, '(3),(3)->(3)');
  it('matches a naive loop', () => {
    const caseArb = fc
      .record({ loops: loops2, ta: dt, tb: dt })
      .chain(({ loops, ta, tb }) =>
        fc.tuple(inputArb([...loops[0], 3], ta), inputArb([...loops[1], 3], tb)),
      );
    fc.assert(
      fc.property(caseArb, ([a, b]) => {
        const t = arith(dtypeOf(a), dtypeOf(b));
        const { sub, mul } = arithOf(t);
        const want = refGufunc(
          (x, y) => {
            const [a0, a1, a2] = x as number[];
            const [b0, b1, b2] = y as number[];
            return [
              sub(mul(a1, b2), mul(a2, b1)),
              sub(mul(a2, b0), mul(a0, b2)),
              sub(mul(a0, b1), mul(a1, b0)),
            ];
          },
          [a, b],
          { inCore: [1, 1], outCore: [[3]], outDtypes: [t] },
        );
        assertArraysEqual(cross(a, b) as NdArray, want[0]);
      }),
      runs(80),
    );
  });
});

describe('add-scalar (n),()->(n)', () => {
  const addScalar = guvectorize((x: View, s: number, out: View) => {
    for (let i = 0; i < x.shape[0]; i++) out.set(i, x.get(i) + s);
  }, '(n),()->(n)');
  /** NumPy 2's type for a JS number meeting an array of `t` (values here fit every dtype). */
  const weak = (t: DType, v: number): DType =>
    t.startsWith('float') ? t : !Number.isInteger(v) ? 'float64' : t === 'bool' ? 'int32' : t;

  it('takes a JS number as a weak scalar', () => {
    const scalar = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(0.25, 2.5));
    const caseArb = fc
      .record({ loop: loopShapeArb, n: side, t: dt, s: scalar })
      .chain(({ loop, n, t, s }) => fc.tuple(inputArb([...loop, n], t), fc.constant(s)));
    fc.assert(
      fc.property(caseArb, ([x, s]) => {
        const ts = weak(dtypeOf(x), s);
        const t = arith(dtypeOf(x), ts);
        const { add, c } = arithOf(t);
        const want = refGufunc(
          (v) => (v as number[]).map((e) => add(c(e), c(castTo(ts, s)))),
          [x],
          { inCore: [1], outCore: [[x.shape.at(-1)!]], outDtypes: [t] },
        );
        const got = addScalar(x, s) as NdArray;
        expect(dtypeOf(got)).toBe(t);
        assertArraysEqual(got, want[0]);
      }),
      runs(80),
    );
  });

  it('broadcasts an array for the () input against the loop dims', () => {
    const caseArb = fc
      .record({ loops: loops2, n: side, tx: dt, ts: dt })
      .chain(({ loops, n, tx, ts }) =>
        fc.tuple(inputArb([...loops[0], n], tx), inputArb(loops[1], ts)),
      );
    fc.assert(
      fc.property(caseArb, ([x, s]) => {
        const t = arith(dtypeOf(x), dtypeOf(s));
        const { add } = arithOf(t);
        const want = refGufunc((v, k) => (v as number[]).map((e) => add(e, k as number)), [x, s], {
          inCore: [1, 0],
          outCore: [[x.shape.at(-1)!]],
          outDtypes: [t],
        });
        assertArraysEqual(addScalar(x, s) as NdArray, want[0]);
      }),
      runs(80),
    );
  });
});

describe('min-and-max (n)->(),() (two outputs)', () => {
  const minMax = guvectorize((x: View) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < x.shape[0]; i++) {
      const v = x.get(i);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return [lo, hi];
  }, '(n)->(),()');
  it('returns one array per output', () => {
    const caseArb = fc
      .record({ loop: loopShapeArb, n: side, t: dt })
      .chain(({ loop, n, t }) => inputArb([...loop, n], t));
    fc.assert(
      fc.property(caseArb, (x) => {
        const t = dtypeOf(x).startsWith('float') ? dtypeOf(x) : 'float64';
        const want = refGufunc(
          (v) => [Math.min(Infinity, ...(v as number[])), Math.max(-Infinity, ...(v as number[]))],
          [x],
          { inCore: [1], outCore: [[], []], outDtypes: [t, t] },
        );
        const [lo, hi] = minMax(x) as NdArray[];
        expect(dtypeOf(lo)).toBe(t);
        assertArraysEqual(lo, want[0]);
        assertArraysEqual(hi, want[1]);
      }),
      runs(80),
    );
  });
});

describe('an output-only dim through out ()->(n)', () => {
  const iota = guvectorize((start: number, out: View) => {
    for (let i = 0; i < out.shape[0]; i++) out.set(i, start + i);
  }, '()->(n)');
  it("takes n from out and broadcasts the input against out's loop dims", () => {
    const caseArb = fc
      .record({ loop: loopShapeArb, n: side, ts: dt, wide: fc.boolean() })
      .chain(({ loop, n, ts, wide }) =>
        fc.tuple(
          memberOf(loop).chain((s) => inputArb(s, ts)),
          // out has the kernel's type, or float64 (every type casts to it same_kind).
          outArb([...loop, n], wide ? 'float64' : arith(ts, ts)),
        ),
      );
    fc.assert(
      fc.property(caseArb, ([start, out]) => {
        const t = arith(dtypeOf(start), dtypeOf(start));
        const { add } = arithOf(t);
        const before = Array.from(out.data as ArrayLike<number>);
        const n = out.shape.at(-1)!;
        const want = refGufunc(
          (s) => Array.from({ length: n }, (_, i) => add(s as number, i)),
          [start],
          { inCore: [0], outCore: [[n]], outDtypes: [t], out: [out] },
        );
        iota(start, { out });
        expectWritten(out, want[0], before);
      }),
      runs(80),
    );
  });
});
