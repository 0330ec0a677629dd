/**
 * Property tests of a ufunc call against the naive `refCall`: broadcasting over random
 * views of every dtype, `out` (also overlapping an input), `where`, `dtype`, and weak JS
 * scalars; plus NumPy's integer wrap-around, float32 rounding and uint8_clamped stores.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allIndices,
  assertArraysEqual,
  broadcastArraysArb,
  broadcastShapeOf,
  broadcastShapesArb,
  castTo,
  copyOf,
  dtypeArb,
  elementOffset,
  fromValues,
  getAt,
  ndarrayArb,
  refCall,
  valuesOf,
} from '../../src/testing/index.js';
import { expectError, runs, snapshot } from '../support.js';
import {
  asarray,
  canCastSameKind,
  DTYPES,
  type DType,
  dtypeOf,
  INFO_FOR_TESTS,
  type NdArray,
  toNested,
  vectorize,
} from './imports.js';
import { add, BINARY, type BinaryKernel, max, mul, sub, UNARY } from './kernels.js';

const binaryArb = fc.constantFrom(...BINARY);

/** Expected result of `k(a, b)` by the reference. */
function expected(k: BinaryKernel, a: NdArray | number, b: NdArray | number, t: DType) {
  return refCall(k.ref(t), [a, b], { outDtype: t, inDtypes: [t, t] });
}

/**
 * Checks that after a call writing `view` (a view of some buffer whose contents were
 * `before`), the view holds `want` and every other element of the buffer is unchanged.
 */
function expectWritten(view: NdArray, want: NdArray, before: number[]): void {
  assertArraysEqual(view, want);
  const touched = new Set(allIndices(view.shape).map((i) => elementOffset(view, i)));
  const after = Array.from(view.data as ArrayLike<number>);
  after.forEach((v, p) => {
    if (!touched.has(p)) expect(Object.is(v, before[p]) || v === before[p]).toBe(true);
  });
}

describe('call: broadcasting over random views', () => {
  it('matches refCall for every dtype pair (NaN, ±Infinity and -0 included)', () => {
    fc.assert(
      fc.property(binaryArb, broadcastArraysArb(2, { special: true }), (k, [a, b]) => {
        const t = k.type(dtypeOf(a), dtypeOf(b));
        const r = k.u(a, b) as NdArray;
        expect(dtypeOf(r)).toBe(t);
        assertArraysEqual(r, expected(k, a, b, t));
      }),
      runs(150),
    );
  });

  it('handles 3 inputs with broadcasting (a*b + c)', () => {
    const fma = vectorize((a: number, b: number, c: number) => a * b + c);
    fc.assert(
      fc.property(
        broadcastArraysArb(3, { dtype: ['int16', 'float64', 'float32', 'uint8'] }),
        ([a, b, c]) => {
          const t1 = mul.type(dtypeOf(a), dtypeOf(b));
          const t = add.type(t1, dtypeOf(c));
          const ref = (x: number, y: number, z: number) =>
            castTo(t, castTo(t, castTo(t1, x * y)) + castTo(t, z));
          const r = fma(a, b, c) as NdArray;
          expect(dtypeOf(r)).toBe(t);
          assertArraysEqual(
            r,
            refCall(ref, [a, b, c], { outDtype: t, inDtypes: [t1, t1, undefined] }),
          );
        },
      ),
      runs(80),
    );
  });

  it('applies unary kernels to every dtype', () => {
    fc.assert(
      fc.property(fc.constantFrom(...UNARY), ndarrayArb({ special: true }), (k, a) => {
        const t = k.type(dtypeOf(a));
        const r = k.u(a) as NdArray;
        expect(dtypeOf(r)).toBe(t);
        assertArraysEqual(r, refCall(k.ref(t), [a], { outDtype: t, inDtypes: [t] }));
      }),
      runs(100),
    );
  });

  it('gives several outputs for return [a, b]', () => {
    const sumDiff = vectorize((a: number, b: number) => [a + b, a - b]);
    expect(sumDiff.nout).toBe(2);
    fc.assert(
      fc.property(broadcastArraysArb(2), ([a, b]) => {
        const t = add.type(dtypeOf(a), dtypeOf(b));
        const [s, d] = sumDiff(a, b) as NdArray[];
        const [es, ed] = refCall((x, y) => [x + y, x - y], [a, b], {
          outDtype: [t, t],
          inDtypes: [t, t],
        });
        assertArraysEqual(s, es);
        assertArraysEqual(d, ed);
      }),
      runs(60),
    );
  });

  it('returns a plain number when every input is a scalar, else an ndarray', () => {
    expect(add.u(2, 3)).toBe(5);
    expect(add.u(2.5, 0.25)).toBe(2.75);
    expect(add.u(true, true)).toBe(2);
    expect(max.u(true, false)).toBe(1);
    const r = add.u(asarray(2), 3) as NdArray;
    expect(r.shape).toEqual([]);
    expect(toNested(r)).toBe(5);
    expect(add.u(new Int8Array([1, 2]), 1)).toMatchObject({ shape: [2] });
    expect(toNested(add.u([[1], [2]], [10, 20]) as NdArray)).toEqual([
      [11, 21],
      [12, 22],
    ]);
  });
});

describe('call: out and where', () => {
  /** Inputs a, b, a mask and an out array whose shapes broadcast (out may be larger). */
  const caseArb = fc
    .tuple(binaryArb, broadcastShapesArb(4, { maxDims: 3 }))
    .chain(([k, [sa, sb, sw, so]]) => {
      const full = broadcastShapeOf([sa, sb, sw, so])!;
      return fc.tuple(
        fc.constant(k),
        ndarrayArb({ shape: sa }),
        ndarrayArb({ shape: sb }),
        fc.option(ndarrayArb({ shape: sw, dtype: 'bool' }), { nil: undefined }),
        ndarrayArb({ shape: full, writable: true }),
      );
    });

  it('writes into out (any view, cast same_kind), only where the mask is true', () => {
    fc.assert(
      fc.property(caseArb, ([k, a, b, where, out]) => {
        const t = k.type(dtypeOf(a), dtypeOf(b));
        const before = snapshot(out);
        if (!canCastSameKind(t, dtypeOf(out))) {
          expectError(
            () => k.u(a, b, { out, where }),
            TypeError,
            `Cannot cast ufunc '${k.name}' output from dtype('${t}') to dtype('${dtypeOf(out)}') with casting rule 'same_kind'`,
          );
          expect(snapshot(out)).toEqual(before);
          return;
        }
        const want = refCall(k.ref(t), [a, b], {
          outDtype: t,
          inDtypes: [t, t],
          where,
          out: copyOf(out),
        });
        const r = k.u(a, b, { out, where });
        expect(r).toBe(out);
        expectWritten(out, want, before);
      }),
      runs(150),
    );
  });

  it('fills a new result with 0 where the mask is false', () => {
    fc.assert(
      fc.property(
        broadcastShapesArb(3).chain(([sa, sb, sw]) =>
          fc.tuple(
            ndarrayArb({ shape: sa }),
            ndarrayArb({ shape: sb }),
            ndarrayArb({ shape: sw, dtype: 'bool' }),
          ),
        ),
        ([a, b, where]) => {
          const t = add.type(dtypeOf(a), dtypeOf(b));
          assertArraysEqual(
            add.u(a, b, { where }) as NdArray,
            refCall((x, y) => x + y, [a, b], { outDtype: t, inDtypes: [t, t], where }),
          );
        },
      ),
      runs(80),
    );
    expect(toNested(add.u([1, 2], 1, { where: false }) as NdArray)).toEqual([0, 0]);
  });

  it('accepts one out array per output', () => {
    const sumDiff = vectorize((a: number, b: number) => [a + b, a - b]);
    const a = asarray(new Int16Array([1, 2, 3]));
    const o1 = fromValues([0, 0, 0], [3], 'float64');
    const o2 = fromValues([0, 0, 0], [3], 'int32');
    const r = sumDiff(a, 10, { out: [o1, o2] }) as NdArray[];
    expect(r[0]).toBe(o1);
    expect(r[1]).toBe(o2);
    expect(valuesOf(o1)).toEqual([11, 12, 13]);
    expect(valuesOf(o2)).toEqual([-9, -8, -7]);
  });
});

describe('call: out overlapping an input', () => {
  /** A writable base, the input view `a` and an overlapping out view of the same shape. */
  const overlapArb = fc
    .tuple(
      binaryArb,
      fc.constantFrom('same', 'reversed', 'shifted', 'transposed'),
      broadcastShapesArb(2, { minDims: 1, maxDims: 3, minSide: 1 }),
    )
    .chain(([k, kind, shapes]) =>
      fc.tuple(
        fc.constant(k),
        fc.constant(kind),
        fc.constant(shapes),
        // A base dtype that some input dtype can be combined with and cast back into.
        dtypeArb({
          only: DTYPES.filter((d) => DTYPES.some((t) => canCastSameKind(k.type(d, t), d))),
        }),
      ),
    )
    .chain(([k, kindWanted, [sa, sb], dt]) => {
      const full = broadcastShapeOf([sa, sb])!;
      // Both inputs may be 0-d: then only the same view can overlap.
      const kind = full.length === 0 ? 'same' : kindWanted;
      const baseShape =
        kind === 'shifted' ? [...full.slice(0, -1), full[full.length - 1] + 1] : full;
      // b's dtype is chosen so that the result casts back into the base dtype.
      const bTypes = DTYPES.filter((t) => canCastSameKind(k.type(dt, t), dt));
      return fc.tuple(
        fc.constant(k),
        fc.constant(kind),
        ndarrayArb({ shape: baseShape, dtype: dt, writable: true }),
        ndarrayArb({ shape: sb, dtype: bTypes }),
        fc.constant(full),
      );
    });

  it('gives the result a separate output would (NumPy copies overlapping inputs)', () => {
    fc.assert(
      fc.property(overlapArb, ([k, kind, base, b, full]) => {
        let a = base;
        let out = base;
        const last = full.length - 1;
        if (kind === 'reversed') out = base.step(...full.map(() => -1)) as NdArray;
        if (kind === 'shifted') {
          a = base.hi(...full) as NdArray;
          out = base.lo(...full.map((_, i) => (i === last ? 1 : 0))) as NdArray;
        }
        // A transposed input of the same shape exists when the shape reads the same reversed.
        const palindrome = full.every((d, i) => d === full[last - i]);
        if (kind === 'transposed' && palindrome) {
          a = base.transpose(...full.map((_, i) => last - i)) as NdArray;
        }
        const t = k.type(dtypeOf(a), dtypeOf(b));
        const before = snapshot(base);
        const want = refCall(k.ref(t), [copyOf(a), b], {
          outDtype: t,
          inDtypes: [t, t],
          out: copyOf(out),
        });
        k.u(a, b, { out });
        expectWritten(out, want, before);
      }),
      runs(150),
    );
  });

  it('handles np.add(a[1:], a[:-1], out=a[1:]) like NumPy', () => {
    const base = fromValues([1, 2, 3, 4, 5], [5], 'int32');
    add.u(base.lo(1), base.hi(4), { out: base.lo(1) as NdArray });
    expect(valuesOf(base)).toEqual([1, 3, 5, 7, 9]);
    const c = fromValues([1, 2, 3, 4, 5], [5], 'int32');
    add.u(c.hi(4), c.lo(1), { out: c.lo(1) as NdArray });
    expect(valuesOf(c)).toEqual([1, 3, 5, 7, 9]);
  });
});

describe('call: dtype', () => {
  it('reads every input as dtype and writes dtype (dynamic typing)', () => {
    fc.assert(
      fc.property(binaryArb, broadcastArraysArb(2), dtypeArb(), (k, [a, b], d) => {
        const kt = k.type(d, d);
        const ref = k.ref(kt);
        // NumPy: dtype selects the loop; inputs cast into it under casting='same_kind'.
        const bad = [a, b].findIndex((x) => !canCastSameKind(dtypeOf(x), d));
        if (bad >= 0) {
          expectError(
            () => k.u(a, b, { dtype: d }),
            TypeError,
            `Cannot cast ufunc '${k.name}' input ${bad} from dtype('${dtypeOf([a, b][bad])}') to dtype('${d}') with casting rule 'same_kind'`,
          );
        } else expect(dtypeOf(k.u(a, b, { dtype: d }) as NdArray)).toBe(d);
        const r = k.u(a, b, { dtype: d, casting: 'unsafe' }) as NdArray;
        expect(dtypeOf(r)).toBe(d);
        assertArraysEqual(
          r,
          refCall((x, y) => castTo(kt, +ref(x, y)), [a, b], { outDtype: d, inDtypes: [d, d] }),
        );
      }),
      runs(100),
    );
  });
});

describe('call: dtype with out', () => {
  it('computes in dtype, then casts into out (np.add(a, b, dtype=..., out=...))', () => {
    // The int8 loop wraps 100 + 100 to -56 before the value reaches a float64 out.
    const f64 = fromValues([0], [1], 'float64');
    const i16 = asarray(new Int16Array([100]));
    add.u(i16, i16, { dtype: 'int8', out: f64 });
    expect(valuesOf(f64)).toEqual([-56]);
    // np.add([1.], [1.], dtype=bool, casting='unsafe', out=np.zeros(1, np.uint32)) -> [1]
    // (True + True is True)
    const u32 = fromValues([0], [1], 'uint32');
    add.u(asarray([1]), asarray([1]), { dtype: 'bool', casting: 'unsafe', out: u32 });
    expect(valuesOf(u32)).toEqual([1]);
  });

  it('matches refCall for any dtype and out', () => {
    fc.assert(
      fc.property(
        broadcastShapesArb(2).chain(([sa, sb]) =>
          fc.tuple(
            binaryArb,
            ndarrayArb({ shape: sa }),
            ndarrayArb({ shape: sb }),
            // bool is the dtype whose loop type differs (bool + bool is int32): weight it up.
            fc.oneof(
              { arbitrary: fc.constant<DType>('bool'), weight: 1 },
              { arbitrary: dtypeArb(), weight: 2 },
            ),
            ndarrayArb({ shape: broadcastShapeOf([sa, sb])!, writable: true }),
          ),
        ),
        ([k, a, b, d, out]) => {
          const before = snapshot(out);
          const inputsCast = canCastSameKind(dtypeOf(a), d) && canCastSameKind(dtypeOf(b), d);
          if (!inputsCast || !canCastSameKind(d, dtypeOf(out))) {
            expectError(() => k.u(a, b, { dtype: d, out }), TypeError, /Cannot cast ufunc/);
            expect(snapshot(out)).toEqual(before);
            return;
          }
          const kt = k.type(d, d);
          const ref = k.ref(kt);
          const want = refCall((x, y) => castTo(d, castTo(kt, +ref(x, y))), [a, b], {
            outDtype: d,
            inDtypes: [d, d],
            out: copyOf(out),
          });
          k.u(a, b, { dtype: d, out });
          expectWritten(out, want, before);
        },
      ),
      runs(100),
    );
  });
});

describe('call: weak JS scalars (NumPy 2 rules)', () => {
  /** The dtype a JS number takes next to an array of dtype `d` (or 'error'). */
  function weakType(d: DType, s: number): DType | 'error' {
    if (d === 'float32' || d === 'float64') return d;
    if (!Number.isInteger(s)) return 'float64';
    if (d === 'bool') return s >= -(2 ** 31) && s < 2 ** 31 ? 'int32' : 'float64';
    const { min, max: hi } = INFO_FOR_TESTS[d];
    return s >= min && s <= hi ? d : 'error';
  }

  const scalarArb = fc.oneof(
    fc.integer({ min: -10, max: 10 }),
    fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
    fc.constantFrom(127, 128, -128, -129, 255, 256, 65535, 65536, 2 ** 31, -(2 ** 31) - 1),
    fc.double({ min: -1e3, max: 1e3, noNaN: true }),
    fc.constantFrom(0.5, -2.5, Number.NaN, Number.POSITIVE_INFINITY),
  );

  it('take the array dtype when they fit, float64 when fractional, RangeError when out of range', () => {
    fc.assert(
      fc.property(
        binaryArb,
        ndarrayArb({ maxDims: 2 }),
        scalarArb,
        fc.boolean(),
        (k, a, s, left) => {
          const w = weakType(dtypeOf(a), s);
          const call = () => (left ? k.u(s, a) : k.u(a, s)) as NdArray;
          if (w === 'error') {
            expectError(
              call,
              RangeError,
              `JS integer ${s} is out of bounds for ${dtypeOf(a)} (NumPy 2 raises OverflowError here)`,
            );
            return;
          }
          const t = k.type(dtypeOf(a), w);
          const r = call();
          expect(dtypeOf(r)).toBe(t);
          const ins: [NdArray | number, NdArray | number] = left ? [s, a] : [a, s];
          assertArraysEqual(r, expected(k, ins[0], ins[1], t));
        },
      ),
      runs(200),
    );
  });

  it('follow the examples of the design contract', () => {
    const i8 = asarray(new Int8Array([1, 2, 127]));
    const r = add.u(i8, 3) as NdArray;
    expect(dtypeOf(r)).toBe('int8');
    expect(valuesOf(r)).toEqual([4, 5, -126]);
    const f = add.u(i8, 2.5) as NdArray;
    expect(dtypeOf(f)).toBe('float64');
    expect(valuesOf(f)).toEqual([3.5, 4.5, 129.5]);
    expectError(() => add.u(i8, 300), RangeError, /JS integer 300 is out of bounds for int8/);
    const f32 = add.u(asarray(new Float32Array([1])), 0.1) as NdArray;
    expect(dtypeOf(f32)).toBe('float32');
    expect(valuesOf(f32)).toEqual([Math.fround(1 + Math.fround(0.1))]);
    expect(dtypeOf(add.u(asarray([true]), 1) as NdArray)).toBe('int32');
    expect(dtypeOf(add.u(asarray([true]), true) as NdArray)).toBe('int32');
    expect(dtypeOf(max.u(asarray([true]), true) as NdArray)).toBe('bool');
    expect(dtypeOf(sub.u(asarray(new Uint8Array([0])), 1) as NdArray)).toBe('uint8');
    expect(valuesOf(sub.u(asarray(new Uint8Array([0])), 1) as NdArray)).toEqual([255]);
  });
});

describe('call: fixed-width arithmetic like NumPy', () => {
  const mulU = mul.u;
  it('wraps int32 products exactly (Math.imul), uint32 too', () => {
    const a = asarray(new Int32Array([2147483647, 123456789, -2147483648, 65536]));
    const b = asarray(new Int32Array([2, 987654321, -1, 65536]));
    // np.multiply(np.int32([...]), np.int32([...]))
    expect(valuesOf(mulU(a, b) as NdArray)).toEqual([-2, -67153019, -2147483648, 0]);
    const u = asarray(new Uint32Array([4294967295, 3000000000]));
    expect(valuesOf(mulU(u, u) as NdArray)).toEqual([1, 3800301568]);
    expect(valuesOf(add.u(u, u) as NdArray)).toEqual([4294967294, 1705032704]);
  });

  it('wraps small integer types and keeps float32 rounding', () => {
    // np.int8(100) + np.int8(100) == -56; np.uint8(3) - np.uint8(5) == 254; np.int16(300)*np.int16(300) == 24464
    expect(
      valuesOf(
        add.u(asarray(new Int8Array([100, -128])), asarray(new Int8Array([100, -1]))) as NdArray,
      ),
    ).toEqual([-56, 127]);
    expect(
      valuesOf(sub.u(asarray(new Uint8Array([3])), asarray(new Uint8Array([5]))) as NdArray),
    ).toEqual([254]);
    expect(
      valuesOf(mulU(asarray(new Int16Array([300])), asarray(new Int16Array([300]))) as NdArray),
    ).toEqual([24464]);
    expect(
      valuesOf(sub.u(asarray(new Uint16Array([0])), asarray(new Uint16Array([1]))) as NdArray),
    ).toEqual([65535]);
    // float32: 16777216 + 1 rounds back to 16777216; 0.1 + 0.2 in float32
    const f = asarray(new Float32Array([16777216, 0.1]));
    const g = asarray(new Float32Array([1, 0.2]));
    expect(valuesOf(add.u(f, g) as NdArray)).toEqual([
      16777216,
      Math.fround(Math.fround(0.1) + Math.fround(0.2)),
    ]);
    expect(valuesOf(mulU(f, f) as NdArray)[0]).toBe(Math.fround(16777216 * 16777216));
  });

  it('clamps uint8_clamped results and rounds half to even on store', () => {
    const c = asarray(new Uint8ClampedArray([200, 10, 0]));
    const d = asarray(new Uint8ClampedArray([100, 20, 1]));
    expect(valuesOf(add.u(c, d) as NdArray)).toEqual([255, 30, 1]);
    expect(valuesOf(sub.u(d, c) as NdArray)).toEqual([0, 10, 1]);
    const half = vectorize((x: number) => x / 2, { signatures: ['uint8_clamped(float64)'] });
    expect(valuesOf(half(asarray([1, 3, 5, 7, -3, 600])) as NdArray)).toEqual([0, 2, 2, 4, 0, 255]);
    // Reading float64 inputs as uint8_clamped (dtype option) rounds half to even too.
    const r = add.u(asarray([0.5, 1.5, 2.5, 254.5, -7]), 0, {
      dtype: 'uint8_clamped',
      casting: 'unsafe',
    }) as NdArray;
    expect(dtypeOf(r)).toBe('uint8_clamped');
    expect(valuesOf(r)).toEqual([0, 2, 2, 254, 0]);
  });

  it('stores 0/1 in bool results', () => {
    const cmp = vectorize((a: number, b: number) => a < b);
    const r = cmp(asarray([1, 5, 3]), 3) as NdArray;
    expect(dtypeOf(r)).toBe('bool');
    expect(valuesOf(r)).toEqual([1, 0, 0]);
    const truthy = vectorize((a: number) => a + 0, { signatures: ['bool(float64)'] });
    const out = fromValues([0, 0, 0, 0], [4], 'bool');
    truthy(asarray([-1, 0, 0.5, Number.NaN]), { out });
    expect(valuesOf(out)).toEqual([1, 0, 1, 1]);
    expect(getAt(out, [3])).toBe(1);
    const b = add.u(asarray([2, 0]), 0, { dtype: 'bool', casting: 'unsafe' }) as NdArray;
    expect(valuesOf(b)).toEqual([1, 0]);
  });
});
