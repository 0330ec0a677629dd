/**
 * guvectorize's surface: kernel forms, return values, `out`, overlap, signatures in Numba's
 * and NumPy's notation, `dtype`, `types`, `inspect`, attributes, and size-0 loops.
 */
import { describe, expect, it } from 'vitest';
import {
  asarray,
  dtypeOf,
  guvectorize,
  type NdArray,
  toNested,
  type View,
  zeros,
} from '../../../src/index.js';
import { fromValues } from '../../../src/testing/index.js';

const nested = (a: unknown) => toNested(a as NdArray);

const rowSum = guvectorize(
  (x: View) => {
    let s = 0;
    for (let i = 0; i < x.shape[0]; i++) s += x.get(i);
    return s;
  },
  ' ( n ) -> ( ) ',
  { name: 'rowSum' },
);

describe('kernel forms and results', () => {
  it('a returned () output: arrays for array inputs', () => {
    expect(
      nested(
        rowSum(
          asarray([
            [1, 2],
            [3, 4],
          ]),
        ),
      ),
    ).toEqual([3, 7]);
    expect(rowSum.signature).toBe(' ( n ) -> ( ) ');
    expect([rowSum.nin, rowSum.nout, rowSum.ufuncName]).toEqual([1, 1, 'rowSum']);
  });

  it('a plain number only when every input is a JS scalar and there is no out', () => {
    const hyp = guvectorize((a: number, b: number) => Math.sqrt(a * a + b * b), '(),()->()');
    expect(hyp(3, 4)).toBe(5);
    expect(nested(hyp(asarray([3, 6]), 4))).toEqual([5, Math.sqrt(52)]);
    const out = zeros([]);
    expect(hyp(3, 4, { out })).toBe(out);
    // A fixed output dim makes the result an array even for scalar inputs.
    const splat = guvectorize((v: number, o: View) => {
      for (let i = 0; i < 3; i++) o.set(i, v * i);
    }, '()->(3)');
    expect(nested(splat(2))).toEqual([0, 2, 4]);
  });

  it('several outputs: () outputs as 0-d views written with .set(value)', () => {
    const stats = guvectorize((x: View, mean: View, spread: View) => {
      const n = x.shape[0];
      let s = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        s += x.get(i);
        lo = Math.min(lo, x.get(i));
        hi = Math.max(hi, x.get(i));
      }
      mean.set(s / n);
      spread.set(hi - lo);
    }, '(n)->(),()');
    const [mean, spread] = stats(
      asarray([
        [1, 2, 6],
        [4, 4, 4],
      ]),
    ) as NdArray[];
    expect(nested(mean)).toEqual([3, 4]);
    expect(nested(spread)).toEqual([5, 0]);
    const [m1, s1] = stats(asarray([1, 2, 6])) as NdArray[];
    expect([nested(m1), nested(s1)]).toEqual([3, 5]);
  });

  it('reads shape.length, and `return;` ends a kernel early', () => {
    const firstNeg = guvectorize((x: View, o: View) => {
      o.set(x.shape.length * 100);
      for (let i = 0; i < x.shape[0]; i++) {
        if (x.get(i) < 0) {
          o.set(i);
          return;
        }
      }
    }, '(n)->()');
    expect(
      nested(
        firstNeg(
          asarray([
            [1, -1, -2],
            [1, 2, 3],
          ]),
        ),
      ),
    ).toEqual([1, 100]);
  });

  it('size-0 loop dims give empty outputs; size-0 core dims run the kernel on empty views', () => {
    expect(nested(rowSum(zeros([0, 3])))).toEqual([]);
    expect((rowSum(zeros([2, 0, 3])) as NdArray).shape).toEqual([2, 0]);
    expect(nested(rowSum(zeros([2, 0])))).toEqual([0, 0]);
  });

  it('bool outputs hold 0/1', () => {
    const gt = guvectorize((x: View, o: View) => {
      for (let i = 0; i < x.shape[0]; i++) o.set(i, x.get(i) > 1);
    }, '(n)->(n)');
    const r = gt(asarray([0, 2, 3])) as NdArray;
    expect([dtypeOf(r), nested(r)]).toEqual(['bool', [0, 1, 1]]);
    const double = guvectorize((x: View, o: View) => {
      for (let i = 0; i < x.shape[0]; i++) o.set(i, x.get(i) * 2);
    }, '(n)->(n)');
    // dtype bool: inputs read as bool (0.25 is true), the int32 product stored as bool.
    const out = zeros([3], 'bool');
    double(asarray([0, 0.25, 3]), { out, dtype: 'bool' });
    expect(Array.from(out.data as Uint8Array)).toEqual([0, 1, 1]);
  });
});

describe('out', () => {
  const cumsum = guvectorize((x: View, o: View) => {
    let s = 0;
    for (let i = 0; i < x.shape[0]; i++) {
      s += x.get(i);
      o.set(i, s);
    }
  }, '(n)->(n)');

  it('is written in place and returned', () => {
    const out = zeros([2, 3]);
    expect(
      cumsum(
        asarray([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        { out },
      ),
    ).toBe(out);
    expect(nested(out)).toEqual([
      [1, 3, 6],
      [4, 9, 15],
    ]);
  });

  it('may be the input itself (inputs sharing memory with an output are read from a copy)', () => {
    const a = asarray([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const reverse = guvectorize((x: View, o: View) => {
      const n = x.shape[0];
      for (let i = 0; i < n; i++) o.set(i, x.get(n - 1 - i));
    }, '(n)->(n)');
    reverse(a, { out: a });
    expect(nested(a)).toEqual([
      [3, 2, 1],
      [6, 5, 4],
    ]);
  });

  it('may have more loop dims than the inputs, which broadcast to it', () => {
    const out = zeros([2, 2, 3]);
    cumsum(asarray([1, 1, 1]), { out });
    expect(nested(out)).toEqual([
      [
        [1, 2, 3],
        [1, 2, 3],
      ],
      [
        [1, 2, 3],
        [1, 2, 3],
      ],
    ]);
  });

  it('casts the kernel type into a wider out dtype', () => {
    const out = zeros([3], 'float64');
    cumsum(asarray(new Int8Array([100, 100, 100])), { out });
    // The loop runs in int8 (NumPy's type for int8 inputs) and wraps before the cast.
    expect(nested(out)).toEqual([100, -56, 44]);
  });
});

describe('signatures and dtypes', () => {
  const dotFn = (x: View, y: View) => {
    let s = 0;
    for (let i = 0; i < x.shape[0]; i++) s += x.get(i) * y.get(i);
    return s;
  };

  it("Numba's void form lists the outputs; the first loop the inputs cast to safely wins", () => {
    const dot = guvectorize(
      (x: View, y: View, o: View) => {
        let s = 0;
        for (let i = 0; i < x.shape[0]; i++) s += x.get(i) * y.get(i);
        o.set(s);
      },
      '(n),(n)->()',
      {
        signatures: [
          'void(int32[:], int32[:], int32[:])',
          'void(float64[::1], float64[:], float64)',
        ],
      },
    );
    expect(dot.types).toEqual(['int32,int32->int32', 'float64,float64->float64']);
    const i16 = fromValues([1, 2, 3], [3], 'int16');
    const r = dot(i16, i16) as NdArray;
    expect(dtypeOf(r)).toBe('int32');
    expect(nested(r)).toBe(14);
    expect(dtypeOf(dot(asarray([0.5]), asarray([2])) as NdArray)).toBe('float64');
  });

  it("a returned () output's type as the return type, and NumPy's notation", () => {
    const f = guvectorize(dotFn, '(n),(n)->()', { signatures: 'float32(float32[:], float32[:])' });
    const r = f(fromValues([0.1, 0.2], [2], 'float32'), fromValues([3, 3], [2], 'float32'));
    expect(dtypeOf(r as NdArray)).toBe('float32');
    expect(nested(r)).toBe(
      Math.fround(Math.fround(Math.fround(0.1) * 3) + Math.fround(Math.fround(0.2) * 3)),
    );
    const g = guvectorize(dotFn, '(n),(n)->()', { signatures: ['int16,int16->int16'] });
    expect(g.types).toEqual(['int16,int16->int16']);
  });

  it('dtype: with signatures, picks the loop by its output type (inputs cast same_kind)', () => {
    const f = guvectorize(dotFn, '(n),(n)->()', {
      signatures: ['float32(float32[:], float32[:])', 'float64(float64[:], float64[:])'],
    });
    expect(dtypeOf(f(asarray([1]), asarray([2]), { dtype: 'float32' }) as NdArray)).toBe('float32');
  });

  it('dtype: with dynamic typing, types every input and output', () => {
    const f = guvectorize(dotFn, '(n),(n)->()');
    const r = f(asarray([100, 100]), asarray([1, 1]), { dtype: 'int8' }) as NdArray;
    expect(dtypeOf(r)).toBe('int8');
    expect(nested(r)).toBe(-56);
    expect(f.types).toContain('int8,int8->int8');
  });

  it('dynamic typing: an output view has the type of what the kernel stores', () => {
    const mean = guvectorize((x: View, o: View) => {
      let s = 0;
      for (let i = 0; i < x.shape[0]; i++) s += x.get(i);
      o.set(s / x.shape[0]);
    }, '(n)->()');
    const r = mean(fromValues([1, 2], [2], 'int16')) as NdArray;
    expect(dtypeOf(r)).toBe('float64');
    expect(nested(r)).toBe(1.5);
    const neg = guvectorize((x: View, o: View) => o.set(0, -x.get(0)), '(n)->(n)');
    expect(dtypeOf(neg(fromValues([1], [1], 'float32')) as NdArray)).toBe('float32');
    expect(neg.types).toEqual(['float32->float32']);
  });
});

describe('inspect', () => {
  it('shows index arithmetic on the typed arrays, no view objects', () => {
    const mm = guvectorize(
      (a: View, b: View, c: View) => {
        for (let i = 0; i < a.shape[0]; i++)
          for (let j = 0; j < b.shape[1]; j++) {
            let s = 0;
            for (let k = 0; k < a.shape[1]; k++) s += a.get(i, k) * b.get(k, j);
            c.set(i, j, s);
          }
      },
      '(m,n),(n,p)->(m,p)',
      { name: 'mm', signatures: ['void(float64[:,:], float64[:,:], float64[:,:])'] },
    );
    const src = mm.inspect();
    expect(src).toContain('// mm: float64,float64->float64, layout (m,n),(n,p)->(m,p)');
    expect(src).toMatch(/d0\[b0_0\+v\d+\*t0_0\+v\d+\]\*d1\[b1_0\+v\d+\*t1_0\+v\d+\]/);
    expect(src).not.toMatch(/\.get\(|\.set\(|\bnew\b|=>|\[\s*\]|\{\s*\}/);
    expect(mm.inspect('void(float64[:,:], float64[:,:], float64[:,:])')).toBe(src);
  });

  it('compiles a dynamic loop on demand', () => {
    const f = guvectorize((x: View) => x.get(0), '(n)->()', { name: 'first' });
    expect(f.inspect()).toBe(
      '// first: no loops compiled yet (call it, or pass a signature to inspect)',
    );
    f(asarray([1]));
    expect(f.inspect()).toMatch(/^\/\/ first: float64->float64/);
    expect(f.inspect('int8->int8')).toMatch(/\/\/ first: int8->int8/);
    expect(f.types).toContain('int8->int8');
  });
});

describe('async', () => {
  it('resolves to the result of a call', async () => {
    expect(nested(await rowSum.async(asarray([[1, 2]])))).toEqual([3]);
  });
});
