/**
 * `prange` with `parallel: true`: loops split over the worker pool, reductions combined in
 * chunk order, compared with the same function compiled serially.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { view } from '../../src/core/array.js';
import { STORAGE } from '../../src/core/dtypes.js';
import {
  type DType,
  IndexError,
  type JitArray,
  jit,
  type NdArray,
  prange,
  zeros,
} from '../../src/index.js';
import { setPrangeChunks } from '../../src/jit/parallel.js';
import { closePool, parallelStatus, setParallelOptions } from '../../src/targets/parallel/index.js';

beforeAll(() => setParallelOptions({ workers: 2, threshold: 0 }));
afterEach(() => setPrangeChunks(null));
afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
});

/** An array of `dtype` over `values`, on a SharedArrayBuffer or not. */
function arr(values: number[], dtype: DType, shared = false): NdArray {
  const C = STORAGE[dtype];
  const data = shared
    ? new C(new SharedArrayBuffer(values.length * C.BYTES_PER_ELEMENT), 0, values.length)
    : new C(values.length);
  data.set(values);
  return view(data, [values.length], [1], 0);
}

/** Deterministic pseudo-random values for a dtype (small, so products stay exact). */
function values(n: number, dtype: DType, kind: 'any' | 'product'): number[] {
  let x = 12345;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
  const signed = !dtype.startsWith('uint') && dtype !== 'bool';
  return Array.from({ length: n }, () => {
    const r = next();
    if (dtype === 'bool') return r < 0.5 ? 0 : 1;
    if (kind === 'product') {
      // Mostly 1: a product of a few 2s and -1s stays exact and in range.
      if (r < 0.02) return 2;
      if (r < 0.04 && signed) return -1;
      return 1;
    }
    if (dtype === 'float64' || dtype === 'float32') return (r - 0.5) * 200;
    const span = dtype.endsWith('8') || dtype === 'uint8_clamped' ? 100 : 1000;
    return Math.floor(signed ? (r - 0.5) * span : r * span);
  });
}

const INT_DTYPES: DType[] = [
  'int8',
  'int16',
  'int32',
  'uint8',
  'uint16',
  'uint32',
  'uint8_clamped',
  'bool',
];
const FLOAT_DTYPES: DType[] = ['float64', 'float32'];

// One kernel per operator: a prange reduction into `s`, returned with the element count.
const KERNELS = {
  '+=': (a: NdArray) => {
    let s = 0;
    for (const i of prange(a.shape[0])) s += a.get(i);
    return s;
  },
  '-=': (a: NdArray) => {
    let s = 7;
    for (const i of prange(a.shape[0])) s -= a.get(i);
    return s;
  },
  '*=': (a: NdArray) => {
    let s = 1;
    for (const i of prange(a.shape[0])) s *= a.get(i);
    return s;
  },
  '&=': (a: NdArray) => {
    let s = -1;
    for (const i of prange(a.shape[0])) s &= a.get(i) + 1024;
    return s;
  },
  '|=': (a: NdArray) => {
    let s = 0;
    for (const i of prange(a.shape[0])) s |= a.get(i);
    return s;
  },
  '^=': (a: NdArray) => {
    let s = 0;
    for (const i of prange(a.shape[0])) s ^= a.get(i);
    return s;
  },
  min: (a: NdArray) => {
    let s = Infinity;
    for (const i of prange(a.shape[0])) s = Math.min(s, a.get(i));
    return s;
  },
  max: (a: NdArray) => {
    let s = -Infinity;
    for (const i of prange(a.shape[0])) s = Math.max(a.get(i), s);
    return s;
  },
} as const;

const N = 3001;

describe('prange reductions against serial jit', () => {
  for (const [op, k] of Object.entries(KERNELS)) {
    const bitwise = op === '&=' || op === '|=' || op === '^=';
    const serial = jit(k);
    const par = jit(k, { parallel: true });
    const dtypes = bitwise ? INT_DTYPES : [...INT_DTYPES, ...FLOAT_DTYPES];
    it(`${op}: every dtype, exact for integers`, () => {
      for (const dt of dtypes) {
        const a = arr(values(N, dt, op === '*=' ? 'product' : 'any'), dt, dt.endsWith('16'));
        const want = serial(a);
        const got = par(a);
        if (FLOAT_DTYPES.includes(dt)) {
          expect(got, `${op} ${dt}`).toBeCloseTo(want, 6);
        } else expect(got, `${op} ${dt}`).toBe(want);
      }
      const d = par.diagnostics()[0];
      expect(d.loops[0].parallel).toBe(true);
      expect(d.loops[0].reductions).toEqual([{ variable: 's', operator: op === '-=' ? '+=' : op }]);
      expect(d.loops[0].lastRun?.path).toBe('workers');
    });
    if (!bitwise) {
      it(`${op}: floats equal the serial result with one chunk, and are stable run to run`, () => {
        for (const dt of FLOAT_DTYPES) {
          const a = arr(values(N, dt, op === '*=' ? 'product' : 'any'), dt, true);
          setPrangeChunks(1);
          expect(Object.is(par(a), serial(a)), `${op} ${dt}`).toBe(true);
          setPrangeChunks(null);
          const first = par(a);
          for (let r = 0; r < 3; r++) expect(Object.is(par(a), first)).toBe(true);
        }
      });
    }
  }

  it('a float sum over many chunks is within rounding of the serial one', () => {
    const k = KERNELS['+='];
    const a = arr(
      Array.from({ length: 100000 }, (_, i) => Math.sin(i) * 1e3),
      'float64',
    );
    const want = jit(k)(a);
    const got = jit(k, { parallel: true })(a);
    expect(Math.abs(got - want)).toBeLessThan(1e-9 * 1e3 * 100000);
  });

  it('combines reductions updated under an if, several per loop', () => {
    const k = (a: NdArray, t: number) => {
      let pos = 0;
      let neg = 0;
      let lo = Infinity;
      let hi = -Infinity;
      let count = 0;
      let bits = 0;
      for (const i of prange(a.shape[0])) {
        const v = a.get(i);
        if (v > t) {
          pos += v;
          count++;
          hi = Math.max(hi, v);
        } else {
          neg -= v;
          if (v < -t) lo = Math.min(lo, v);
          else bits |= i & 7;
        }
      }
      return [pos, neg, lo, hi, count, bits];
    };
    const a = arr(values(N, 'int32', 'any'), 'int32', true);
    const want = jit(k)(a, 50);
    expect(jit(k, { parallel: true })(a, 50)).toEqual(want);
    const d = jit(k, { parallel: true });
    d(a, 50);
    expect(d.diagnostics()[0].loops[0].reductions.map((r) => `${r.variable}${r.operator}`)).toEqual(
      ['pos+=', 'neg+=', 'lo min', 'hi max', 'count+=', 'bits|='].map((x) => x.replace(' ', '')),
    );
  });

  it('wraps a narrow accumulator the same way in every chunk (int32 local)', () => {
    const k = (a: NdArray) => {
      const s = zeros(1, 'int32');
      let acc = s.get(0);
      for (const i of prange(a.shape[0])) acc += a.get(i) * 1000000;
      return acc;
    };
    const a = arr(values(N, 'int32', 'any'), 'int32');
    expect(jit(k, { parallel: true })(a)).toBe(jit(k)(a));
  });
});

describe('prange loops and arrays', () => {
  it('writes arguments, arrays made before the loop and arrays made inside it', () => {
    const k = (a: NdArray, out: NdArray) => {
      const n = a.shape[0];
      const m = a.shape[1];
      const means = zeros(n);
      for (const i of prange(n)) {
        const row = zeros(m);
        for (let j = 0; j < m; j++) row.set(j, a.get(i, j) * 2);
        let s = 0;
        for (let j = 0; j < m; j++) s += row.get(j);
        means.set(i, s / m);
        out.set(i, 0, s);
      }
      return means;
    };
    const data = Array.from({ length: 300 * 5 }, (_, i) => (i % 17) - 8);
    for (const shared of [false, true]) {
      const a = view(arr(data, 'float64', shared).data as Float64Array, [300, 5], [5, 1], 0);
      const o1 = view(new Float64Array(600), [300, 2], [2, 1], 0);
      const o2 = view(
        shared ? new Float64Array(new SharedArrayBuffer(600 * 8)) : new Float64Array(600),
        [300, 2],
        [2, 1],
        0,
      );
      const want = jit(k)(a, o1) as NdArray;
      const got = jit(k, { parallel: true })(a, o2) as NdArray;
      expect(Array.from(got.data as Float64Array)).toEqual(Array.from(want.data as Float64Array));
      expect(Array.from(o2.data as Float64Array)).toEqual(Array.from(o1.data as Float64Array));
    }
  });

  it('handles strided views, start/stop/step and negative steps', () => {
    const k = (a: NdArray, out: NdArray, step: number) => {
      let s = 0;
      for (const i of prange(a.shape[0] - 1, -1, step)) {
        out.set(i, a.get(i) * 3);
        s += a.get(i);
      }
      for (const i of prange(1, a.shape[0], 3)) s += i;
      return s;
    };
    const base = Array.from({ length: 2001 }, (_, i) => i % 13);
    const a = view(new Float64Array(base), [1000], [-2], 2000);
    for (const step of [-1, -3]) {
      const o1 = zeros(1000);
      const o2 = zeros(1000);
      const want = jit(k)(a, o1, step);
      expect(jit(k, { parallel: true })(a, o2, step)).toBe(want);
      expect(Array.from(o2.data as Float64Array)).toEqual(Array.from(o1.data as Float64Array));
    }
  });

  it('runs nested prange loops serially inside each chunk (three-loop matmul)', () => {
    const mm = (A: NdArray, B: NdArray) => {
      const n = A.shape[0];
      const C = zeros([n, B.shape[1]]);
      for (const i of prange(n)) {
        for (const j of prange(B.shape[1])) {
          let t = 0;
          for (const k of prange(A.shape[1])) t += A.get(i, k) * B.get(k, j);
          C.set(i, j, t);
        }
      }
      return C;
    };
    // 64 iterations whose body holds loops count as 64 × 1024 elements: the threshold.
    const n = 64;
    const A = view(new Float64Array(values(n * n, 'float64', 'any')), [n, n], [n, 1], 0);
    const B = view(new Float64Array(values(n * n, 'float64', 'any').reverse()), [n, n], [1, n], 0);
    const par = jit(mm, { parallel: true });
    const got = par(A, B) as NdArray;
    const want = jit(mm)(A, B) as NdArray;
    expect(Array.from(got.data as Float64Array)).toEqual(Array.from(want.data as Float64Array));
    const loops = par.diagnostics()[0].loops;
    expect(loops.map((l) => [l.variable, l.parallel])).toEqual([
      ['i', true],
      ['j', false],
      ['k', false],
    ]);
    expect(loops[1].why).toMatch(/nested in the prange loop over 'i'/);
    expect(loops[0].races).toEqual([]);
    // The loop runs on the workers even with the default threshold: its body holds loops.
    setParallelOptions({ threshold: 65536 });
    try {
      par(A, B);
      expect(par.diagnostics()[0].loops[0].lastRun?.path).toBe('workers');
    } finally {
      setParallelOptions({ threshold: 0 });
    }
  });

  it('returns a tuple computed after a parallel loop', () => {
    const k = (a: NdArray) => {
      const n = a.shape[0];
      const sq = zeros(n);
      let s = 0;
      let best = Infinity;
      for (const i of prange(n)) {
        sq.set(i, a.get(i) * a.get(i));
        s += a.get(i);
        best = Math.min(best, Math.abs(a.get(i) - 0.5));
      }
      const mean = s / n;
      return [mean, best, sq];
    };
    const a = arr(values(5000, 'float64', 'any'), 'float64', true);
    setPrangeChunks(1);
    const [m1, b1, q1] = jit(k, { parallel: true })(a) as [number, number, NdArray];
    const [m0, b0, q0] = jit(k)(a) as [number, number, NdArray];
    expect(m1).toBe(m0);
    expect(b1).toBe(b0);
    expect(Array.from(q1.data as Float64Array)).toEqual(Array.from(q0.data as Float64Array));
    expect((q1.data as Float64Array).buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('runs small loops inline and says so', () => {
    setParallelOptions({ threshold: 65536 });
    try {
      const par = jit(KERNELS['+='], { parallel: true });
      expect(par(arr([1, 2, 3], 'float64'))).toBe(6);
      const run = par.diagnostics()[0].loops[0].lastRun;
      expect(run?.path).toBe('inline');
      expect(run?.reason).toMatch(/3 iterations < the pool's threshold 65536/);
      expect(par.diagnostics()[0].text).toMatch(/last call: inline/);
    } finally {
      setParallelOptions({ threshold: 0 });
    }
  });

  it('is a plain range without parallel, and diagnostics say so', () => {
    const d = jit(KERNELS['+=']);
    expect(d(arr([1, 2, 3], 'int32'))).toBe(6);
    const l = d.diagnostics()[0].loops[0];
    expect(l.parallel).toBe(false);
    expect(l.why).toMatch(/parallel is off/);
  });

  it('runs loops that break, return or call functions serially, with the reason', () => {
    const sq = jit((x: number) => x * x);
    const k = (a: NdArray) => {
      let s = 0;
      for (const i of prange(a.shape[0])) {
        if (a.get(i) > 1e9) break;
        s += a.get(i);
      }
      for (const i of prange(a.shape[0])) s += sq(a.get(i));
      return s;
    };
    const d = jit(k, { parallel: true, functions: { sq } });
    const a = arr([1, 2, 3, 4], 'float64');
    expect(d(a)).toBe(10 + 30);
    const loops = d.diagnostics()[0].loops;
    expect(loops.map((l) => l.parallel)).toEqual([false, false]);
    expect(loops[0].why).toMatch(/breaks out of the prange loop/);
    expect(loops[1].why).toMatch(/calls a function passed in `functions`/);
  });

  it('.async gives the same results', async () => {
    const k = KERNELS['+='];
    const a = arr(values(N, 'float64', 'any'), 'float64', true);
    const par = jit(k, { parallel: true });
    expect(await par.async(a)).toBe(par(a));
    const ser = jit(k);
    expect(await ser.async(a)).toBe(ser(a));
  });
});

describe('races', () => {
  it("reports the tutorials' y[i % 4] += x[i] and a local read after the loop, warning once", () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const k = (x: NdArray, y: NdArray) => {
        let last = 0;
        for (const i of prange(x.shape[0])) {
          y.set(i % 4, y.get(i % 4) + x.get(i));
          last = x.get(i);
        }
        return last;
      };
      const d = jit(k, { parallel: true });
      const x = arr(values(100, 'float64', 'any'), 'float64', true);
      d(x, zeros(4));
      d(x, zeros(4));
      const races = d.diagnostics()[0].loops[0].races;
      expect(races.map((r) => [r.variable, r.kind])).toEqual([
        ['last', 'local'],
        ['y', 'array'],
      ]);
      expect(races[1].why).toMatch(/y\.set\(i % 4, …\): no index is the loop variable 'i'/);
      expect(d.diagnostics()[0].text).toMatch(/may race: y\.set\(i % 4/);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/may race/);
      // Without parallel nothing is run on the workers, so nothing is reported.
      jit(k)(x, zeros(4));
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('does not report writes indexed by the loop variable on any axis, or private arrays', () => {
    const k = (a: NdArray, out: NdArray, off: number) => {
      for (const i of prange(a.shape[0])) {
        const tmp = zeros(2);
        tmp.set(0, a.get(i, 0));
        out.set(0, i, tmp.get(0));
        out.set(1, i + off, a.get(i, 1));
      }
    };
    const d = jit(k, { parallel: true });
    const a = view(new Float64Array(20), [10, 2], [2, 1], 0);
    d(a, zeros([2, 12]), 1);
    expect(d.diagnostics()[0].loops[0].races).toEqual([]);
  });
});

describe('faults', () => {
  it('rethrows a worker IndexError with its class and message; the pool stays usable', () => {
    const k = (a: NdArray) => {
      let s = 0;
      for (const i of prange(a.shape[0])) s += a.get(i + 1);
      return s;
    };
    const a = arr(values(1000, 'float64', 'any'), 'float64', true);
    let want: unknown;
    try {
      jit(k, { boundscheck: true })(a);
    } catch (e) {
      want = e;
    }
    expect(want).toBeInstanceOf(IndexError);
    const par = jit(k, { parallel: true, boundscheck: true });
    let got: unknown;
    try {
      par(a);
    } catch (e) {
      got = e;
    }
    expect(par.diagnostics()[0].loops[0].lastRun?.path).toBe('workers');
    expect(got).toBeInstanceOf(IndexError);
    expect((got as Error).message).toBe((want as Error).message);
    expect(parallelStatus().ready).toBe(parallelStatus().started);
    // The pool is usable afterwards.
    const ok = jit(KERNELS['+='], { parallel: true });
    expect(ok(a)).toBeCloseTo(jit(KERNELS['+='])(a), 6);
  });

  it('an .async call rejects with the worker error', async () => {
    const k = (a: NdArray) => {
      let s = 0;
      for (const i of prange(a.shape[0])) s += a.get(i + 1);
      return s;
    };
    const a = arr(values(1000, 'float64', 'any'), 'float64', true);
    await expect(jit(k, { parallel: true, boundscheck: true }).async(a)).rejects.toThrow(
      IndexError,
    );
  });
});

describe('fastmath', () => {
  const sum = (a: JitArray) => {
    let s = 0;
    for (const x of a) s += x * 0.5;
    return s;
  };
  const psum = KERNELS['+='];

  it('keeps four accumulators with fastmath, left-to-right order without', () => {
    const a = arr(values(1003, 'float64', 'any'), 'float64');
    const exact = jit(sum);
    const fast = jit(sum, { fastmath: true });
    let want = 0;
    for (const x of a.data as Float64Array) want += x * 0.5;
    expect(Object.is(exact(a), want)).toBe(true);
    expect(fast(a)).toBeCloseTo(want, 8);
    expect(exact.inspect()).not.toMatch(/\+=4/);
    expect(fast.inspect()).toMatch(/\+=4/);
    const f32 = arr(values(1003, 'float32', 'any'), 'float32');
    expect(jit(sum, { fastmath: true })(f32)).toBeCloseTo(exact(f32), 2);
  });

  it('applies inside the chunks of a parallel loop, and to min/max and products', () => {
    const a = arr(values(10007, 'float64', 'any'), 'float64', true);
    const d = jit(psum, { parallel: true, fastmath: true });
    expect(d(a)).toBeCloseTo(jit(psum)(a), 6);
    expect(d.inspect()).toMatch(/chunk run by the workers[\s\S]*\+=4/);
    expect(d.diagnostics()[0].fastmath).toBe(true);
    for (const op of ['min', 'max', '*='] as const) {
      const v = arr(values(10007, 'float64', op === '*=' ? 'product' : 'any'), 'float64');
      expect(jit(KERNELS[op], { fastmath: true })(v)).toBe(jit(KERNELS[op])(v));
    }
  });

  it('leaves loops with other work, integer accumulators and non-unit steps alone', () => {
    const k = (a: NdArray, out: NdArray) => {
      let s = 0;
      let n = 0;
      for (const i of prange(a.shape[0])) {
        s += a.get(i);
        out.set(i, s);
      }
      for (const i of prange(a.shape[0])) n += i;
      for (const i of prange(0, a.shape[0], 2)) s += a.get(i);
      return s + n;
    };
    const d = jit(k, { fastmath: true });
    const a = arr(values(100, 'float64', 'any'), 'float64');
    expect(d(a, zeros(100))).toBe(jit(k)(a, zeros(100)));
    expect(d.inspect()).not.toMatch(/\+=4/);
  });
});

describe('inspect', () => {
  it('tells how the last call ran each parallel loop', () => {
    const d = jit(KERNELS['+='], { parallel: true });
    const a = arr(values(5000, 'float64', 'any'), 'float64', true);
    d(a);
    expect(d.inspect()).toMatch(
      /prange loop 1 \(line \d+\): last call ran on the workers \(5000 iterations in \d+ chunks/,
    );
    expect(jit(KERNELS['+=']).inspect('(float64[::1])')).not.toMatch(/last call/);
  });
});
