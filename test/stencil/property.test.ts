/**
 * Property tests: random kernels (sums of accessor reads at random offsets, `Math.max`,
 * scalar coefficients, computed offsets) over random shapes (1-D to 4-D, axes of length 0
 * and 1 and axes shorter than the neighborhood), dtypes and views, against the naive
 * reference, for every boundary mode and for one mode per axis.
 *
 * Values are small integers and the kernels add them with small coefficients, so every
 * dtype computes the same exact numbers as the float64 reference; wrap-around and
 * promotion are tested on their own in stencil.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { materialize, type Ty } from '../../src/compiler/ir.js';
import { arithTy, join } from '../../src/compiler/types.js';
import {
  type Boundary,
  DTYPES,
  type DType,
  type Extent,
  type NdArray,
  stencil,
} from '../../src/index.js';
import { assertArraysEqual, dtypeOfArray, ndarrayArb, shapeArb } from '../../src/testing/index.js';
import { runs } from '../support.js';
import { refStencil } from './reference.js';

const MODES: readonly Boundary[] = ['skip', 'constant', 'nearest', 'reflect', 'mirror', 'wrap'];

interface Term {
  input: number;
  offsets: number[];
  coef: number;
  /** Read inside Math.max with the next term. */
  max: boolean;
}

interface Case {
  shape: number[];
  dtypes: DType[];
  terms: Term[];
  /** A scalar argument multiplies the first term (weakly typed, like a Python scalar). */
  scalar: number | null;
  /** The first term's axis-0 offset is `t + offset` with `t` a scalar argument. */
  computed: number | null;
  cval: number;
  /** Extra width added to every side of a declared neighborhood. */
  slack: number;
  outDtype: DType | null;
}

/** dtypes in which a negative coefficient keeps every value exact (no unsigned wrap, no clamp). */
const signed = (d: DType) => ['int8', 'int16', 'int32', 'float32', 'float64'].includes(d);

function caseArb(nd: fc.Arbitrary<number>): fc.Arbitrary<Case> {
  return nd.chain((n) =>
    fc
      .record({
        shape: shapeArb({ minDims: n, maxDims: n, minSide: 0, maxSide: 5 }),
        dtypes: fc.array(fc.constantFrom(...DTYPES), { minLength: 1, maxLength: 3 }),
        rawTerms: fc.array(
          fc.record({
            input: fc.nat(),
            offsets: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }),
            coef: fc.integer({ min: 1, max: 2 }),
            negative: fc.boolean(),
            max: fc.boolean(),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        scalar: fc.option(fc.integer({ min: 0, max: 2 })),
        computed: fc.option(fc.integer({ min: -1, max: 1 })),
        cval: fc.integer({ min: -3, max: 9 }),
        slack: fc.integer({ min: 0, max: 1 }),
        outDtype: fc.option(fc.constantFrom(...DTYPES)),
      })
      .map(({ rawTerms, dtypes, ...rest }) => {
        const allSigned = dtypes.every(signed);
        // Every input is read at least once (an unread parameter takes a number).
        const terms = dtypes.map((_, i) => ({ ...rawTerms[i % rawTerms.length], input: i }));
        for (const t of rawTerms.slice(dtypes.length))
          terms.push({ ...t, input: t.input % dtypes.length });
        return {
          ...rest,
          dtypes,
          // cval is cast to each input's dtype: negative only where that keeps it exact.
          cval: allSigned ? rest.cval : Math.abs(rest.cval),
          terms: terms.map((t) => ({
            input: t.input,
            offsets: t.offsets,
            coef: t.negative && allSigned ? -t.coef : t.coef,
            max: t.max,
          })),
        };
      }),
  );
}

/** Builds the kernel source: `(a0, a1, s, t) => 2 * a0(t + 1, 0) + Math.max(a1(0, 0), …)`. */
function kernelOf(c: Case): { fn: (...args: any[]) => number; params: string[] } {
  const params = c.dtypes.map((_, i) => `a${i}`);
  if (c.scalar !== null) params.push('s');
  if (c.computed !== null) params.push('t');
  const read = (t: Term, k: number) => {
    const offs = t.offsets.map((o, a) =>
      k === 0 && a === 0 && c.computed !== null ? `t + ${o}` : String(o),
    );
    return `a${t.input}(${offs.join(', ')})`;
  };
  const parts: string[] = [];
  for (let k = 0; k < c.terms.length; k++) {
    const t = c.terms[k];
    let e = `${t.coef} * ${read(t, k)}`;
    if (k === 0 && c.scalar !== null) e = `s * ${e}`;
    if (t.max && k + 1 < c.terms.length) {
      k++;
      e = `Math.max(${e}, ${c.terms[k].coef} * ${read(c.terms[k], k)})`;
    }
    parts.push(e);
  }
  const fn = new Function(...params, `return ${parts.join(' + ')};`) as (...a: any[]) => number;
  return { fn, params };
}

/** The offsets the kernel may read per axis (what a declared neighborhood must cover). */
function reach(c: Case, nd: number): Extent[] {
  return Array.from({ length: nd }, (_, a) => {
    let lo = 0;
    let hi = 0;
    let first = true;
    c.terms.forEach((t, k) => {
      const o = t.offsets[a];
      const [l, h] = k === 0 && a === 0 && c.computed !== null ? [o - 1, o + 1] : [o, o];
      lo = first ? l : Math.min(lo, l);
      hi = first ? h : Math.max(hi, h);
      first = false;
    });
    return [lo - c.slack, hi + c.slack] as const;
  });
}

function check(c: Case, inputs: NdArray[], out: NdArray | null, modes: readonly Boundary[]) {
  const nd = c.shape.length;
  const { fn } = kernelOf(c);
  // Without computed offsets the neighborhood is inferred (no slack), else declared.
  const neighborhood = c.computed === null ? reach({ ...c, slack: 0 }, nd) : reach(c, nd);
  const f = stencil(fn, {
    boundary: modes.length === 1 ? modes[0] : modes,
    cval: c.cval,
    neighborhood: c.computed === null ? undefined : neighborhood,
    dtype: c.outDtype ?? undefined,
  });
  if (c.computed === null) expect(f.neighborhood).toEqual(neighborhood);
  const args: (NdArray | number)[] = [...inputs];
  if (c.scalar !== null) args.push(c.scalar);
  if (c.computed !== null) args.push(c.computed);
  const expected = refStencil(fn, args, {
    modes: modes.length === 1 ? new Array(nd).fill(modes[0]) : modes,
    cval: c.cval,
    neighborhood,
    outDtype: out ? dtypeOfArray(out) : (c.outDtype ?? kernelType(c)),
    out: out ?? undefined,
  });
  const got = out ? f(...args, { out }) : f(...args);
  if (out) expect(got).toBe(out);
  assertArraysEqual(got, expected);
}

/**
 * The kernel's return type, which is the result's dtype (Numba): each term `coef * a(…)` has
 * its input's dtype (bool counts as int32); `Math.max` joins its pair and the sum promotes
 * left to right, so the order of the expression tree matters (max(int8, float32) is float32,
 * and uint16 + float32 stays float32, while (uint16 + int8) + float32 is float64).
 */
function kernelType(c: Case): DType {
  const term = (t: Term) => arithTy('wint', c.dtypes[t.input]);
  const parts: Ty[] = [];
  for (let k = 0; k < c.terms.length; k++) {
    const t = c.terms[k];
    if (t.max && k + 1 < c.terms.length) {
      parts.push(join(term(t), term(c.terms[++k])));
    } else parts.push(term(t));
  }
  return materialize(parts.reduce(arithTy));
}

/** Inputs of the case's dtypes and shape (random views), and maybe an `out` array. */
function arraysArb(c: Case): fc.Arbitrary<[NdArray[], NdArray | null]> {
  const inputs = fc.tuple(
    ...c.dtypes.map((dtype) => ndarrayArb({ dtype, shape: c.shape, small: true })),
  );
  const out = fc.option(ndarrayArb({ shape: c.shape, small: true, writable: true }));
  return fc.tuple(inputs, out);
}

describe('stencil vs the naive reference', () => {
  for (const mode of MODES) {
    it(`boundary '${mode}', 1-D to 4-D`, () => {
      fc.assert(
        fc.property(
          caseArb(fc.integer({ min: 1, max: 4 })).chain((c) =>
            arraysArb(c).map(([ins, out]) => [c, ins, out] as const),
          ),
          ([c, inputs, out]) => check(c, inputs, out, [mode]),
        ),
        runs(40),
      );
    });
  }

  it('one mode per axis', () => {
    fc.assert(
      fc.property(
        caseArb(fc.integer({ min: 1, max: 3 })).chain((c) =>
          fc
            .tuple(
              arraysArb(c),
              fc.array(fc.constantFrom(...MODES), {
                minLength: c.shape.length,
                maxLength: c.shape.length,
              }),
            )
            .map(([[ins, out], modes]) => [c, ins, out, modes] as const),
        ),
        ([c, inputs, out, modes]) => check(c, inputs, out, modes),
      ),
      runs(60),
    );
  });
});
