/**
 * guvectorize calls on wasm: the loop over the broadcast dims and the kernel's core in
 * scalar wasm, bit for bit the JS loop, on every dtype and layout (transposed, strided,
 * reversed and broadcast views); view indices past their extent hand the call to the JS
 * loop, and kernels that read their outputs stay there. Loop counters the analysis holds as
 * i32 (counters.ts) give the same bits in every loop form, at the i32 edges too.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DType, guvectorize, type NdArray, type View, zeros } from '../../../src/index.js';
import { wasmGufuncConfig } from '../../../src/targets/wasm/gufunc.js';
import { wasmConfig } from '../../../src/targets/wasm/map.js';
import { ndarrayArb } from '../../../src/testing/index.js';
import { runs } from '../../support.js';
import { both, expectSame, onHeapCopy, SIMD_DTYPES, useWasmForEveryCall } from './helpers.js';

useWasmForEveryCall();
beforeAll(() => {
  wasmGufuncConfig.mode = 'always';
});
afterAll(() => {
  wasmGufuncConfig.mode = 'auto';
});

/** Every SIMD lane dtype, and bool (scalar loops). */
const DTYPES: DType[] = [...SIMD_DTYPES, 'bool'];

const matmul = guvectorize((a: View, b: View, c: View) => {
  for (let i = 0; i < a.shape[0]; i++)
    for (let j = 0; j < b.shape[1]; j++) {
      let s = 0;
      for (let k = 0; k < a.shape[1]; k++) s += a.get(i, k) * b.get(k, j);
      c.set(i, j, s);
    }
}, '(m,n),(n,p)->(m,p)');
const norm = guvectorize((x: View) => {
  let s = 0;
  for (let i = 0; i < x.shape[0]; i++) s += x.get(i) * x.get(i);
  return Math.sqrt(s);
}, '(n)->()');
// Integer wrap, a scalar input and a conditional: every element of the output row written.
const affine = guvectorize((x: View, k: number, o: View) => {
  for (let i = 0; i < x.shape[0]; i++) {
    const v = x.get(i) * 3 + k;
    o.set(i, v > 100 ? v - 7 : v);
  }
}, '(n),()->(n)');

/** A float64 (or float32) array of `shape` holding 0.5, 1.5, 2.5, … */
function ndarrayOf(shape: number[], dtype: 'float64' | 'float32' = 'float64'): NdArray {
  const a = zeros(shape, dtype);
  const d = a.data as Float64Array | Float32Array;
  for (let i = 0; i < d.length; i++) d[i] = i + 0.5;
  return a;
}

/** A view arbitrary of `shape` and a random dtype among `dtypes`. */
const arr = (shape: number[], dtypes: DType[] = DTYPES) =>
  ndarrayArb({ dtype: dtypes, shape, views: true, special: false });

/**
 * Kernels over one row `(n)->(n)` in the loop forms the counter analysis knows (and some it
 * must refuse), each writing every output element so the outputs need no zeroing.
 */
const LOOP_FORMS = {
  // Down-counting from an invariant `n - 1`, indices `n - 1 - i`.
  reverse: guvectorize((x: View, o: View) => {
    const n = x.shape[0];
    for (let i = n - 1; i >= 0; i--) o.set(n - 1 - i, x.get(i));
  }, '(n)->(n)'),
  // `<=` and a step of 2, then the odd tail; indices `i + 1`.
  pairs: guvectorize((x: View, o: View) => {
    const n = x.shape[0];
    let i2 = 0;
    for (let i = 0; i <= n - 2; i += 2) {
      o.set(i, x.get(i) + x.get(i + 1));
      o.set(i + 1, x.get(i) - x.get(i + 1));
      i2 = i + 2;
    }
    for (let j = i2; j < n; j++) o.set(j, x.get(j));
  }, '(n)->(n)'),
  // A triangular nest: the inner start is the outer counter.
  suffix: guvectorize((x: View, o: View) => {
    for (let i = 0; i < x.shape[0]; i++) {
      let s = 0;
      for (let j = i; j < x.shape[0]; j++) s += x.get(j);
      o.set(i, s);
    }
  }, '(n)->(n)'),
  // Counters in float arithmetic, -0 from `i * -1`, Math.min of a counter, a guarded
  // `i - 2` index, and a down-counter with `>` and a step of 3.
  weak: guvectorize((x: View, o: View) => {
    const n = x.shape[0];
    let t = 0;
    for (let k = n - 1; k > -1; k -= 3) t += x.get(k) * k;
    for (let i = 0; i < n; i++) {
      let v = x.get(i) * (i + 0.5) - i + 1 / (i * -1) / Math.min(i + 1, 3) + t;
      if (i >= 2) v += x.get(i - 2);
      o.set(i, v);
    }
  }, '(n)->(n)'),
  // Not counters: a while loop, a bound written in the body, a step too large.
  notCounters: guvectorize((x: View, o: View) => {
    let m = x.shape[0];
    for (let j = 0; j < m; j++) if (x.get(j) > 3) m = m - 1;
    let s = 0;
    for (let q = 0; q < 4000000000; q += 1000000000) s += q;
    let i = 0;
    while (i < x.shape[0]) {
      o.set(i, x.get(i) + i + s + m);
      i++;
    }
  }, '(n)->(n)'),
  // Counters at the i32 edge: the last fits, the loop past it stays on doubles.
  edge: guvectorize((x: View, o: View) => {
    let s = 0;
    for (let i = 2147483640; i < 2147483647; i++) s += i;
    let t = 0;
    for (let i = 2147483640; i < 2147483650; i++) t += i;
    // Down to the i32 minimum (it fits), and past it (`>=` would step below: doubles).
    let u = 0;
    for (let i = 0 - 2147483640; i > 0 - 2147483647 - 1; i--) u += i;
    let w = 0;
    for (let i = 0 - 2147483640; i >= 0 - 2147483647 - 1; i -= 1) w += i;
    for (let i = 0; i < x.shape[0]; i++) o.set(i, x.get(i) + s - t + u - w);
  }, '(n)->(n)'),
  // f64x2 rows (float64 views): a row loop with view reads, a local, constants, `+ - * /`,
  // negation, sqrt and abs, after a reduction (which stays scalar); odd sizes leave a tail.
  scale: guvectorize((x: View, o: View) => {
    const n = x.shape[0];
    let s = 0;
    for (let i = 0; i < n; i++) s += x.get(i) * x.get(i);
    const r = 1 / Math.sqrt(s);
    for (let i = 0; i < n; i++)
      o.set(i, -Math.abs(x.get(i) * r - 0.5) / (r + 1) + Math.sqrt(x.get(i) * x.get(i)));
  }, '(n)->(n)'),
  // A 2-D core with a fixed dim: `(n,3)` read through a counter bounded by the literal.
  // f64x2 rows along the fixed dim of a 2-D core (a pair and a tail in each row).
  fixedRows: guvectorize((x: View, o: View) => {
    for (let i = 0; i < x.shape[0]; i++)
      for (let k = 0; k < x.shape[1]; k++) o.set(i, k, x.get(i, k) * 2 + x.get(i, 0));
  }, '(n,3)->(n,3)'),
  fixed: guvectorize((x: View, o: View) => {
    for (let i = 0; i < x.shape[0]; i++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += x.get(i, k) * (k + 1);
      o.set(i, s);
    }
  }, '(n,3)->(n)'),
};

// A counter below x's size indexing y, whose size may be smaller: that index keeps its check
// (past the last row's end the JS loop reads undefined).
const mismatch = guvectorize((x: View, y: View, o: View) => {
  for (let i = 0; i < x.shape[0]; i++) o.set(i, x.get(i) + y.get(i));
}, '(n),(m)->(n)');

describe('gufuncs on wasm', () => {
  it('a counter bounded by one core dim indexes another: checked, the same bits', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 })).chain(([r, n]) =>
          fc.tuple(
            arr([r, n], ['float64']),
            fc.integer({ min: 0, max: 6 }).chain((m) => arr([r, m], ['float64'])),
          ),
        ),
        ([a, b]) => {
          const x = onHeapCopy(a);
          const y = onHeapCopy(b);
          const [js, w] = both(() => mismatch(x, y) as NdArray);
          expectSame(w, js, 'mismatch');
        },
      ),
      runs(60),
    );
  });

  it('every loop form the counter analysis meets, sizes 0 and 1 included, bit for bit the JS loop', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 9 })).chain(([r, n]) =>
          fc.tuple(
            arr([r, n], ['float64', 'float32', 'int32', 'uint8']),
            arr([r, n, 3]),
            // Unit-stride float rows with NaN, ±Infinity and -0 (the SIMD rows' input).
            ndarrayArb({ dtype: ['float64', 'float32'], shape: [r, n], special: true }),
          ),
        ),
        ([a, b, c]) => {
          const x = onHeapCopy(a);
          const rows = onHeapCopy(c);
          for (const [name, g] of Object.entries(LOOP_FORMS)) {
            const input = name.startsWith('fixed') ? onHeapCopy(b) : x;
            if (name === 'scale') {
              const [js, w] = both(() => g(rows) as NdArray);
              expectSame(w, js, 'scale over unit-stride rows');
            }
            const [js, w, path] = both(() => g(input) as NdArray);
            expectSame(w, js, name);
            // Empty operands stay on the JS loop (nothing to read).
            if (input.size > 0) expect(path, name).toMatch(/^wasm: scalar gufunc loop/);
          }
        },
      ),
      runs(60),
    );
  });

  it('SIMD rows: unit-stride float64 and float32 rows of every length from 0 to 9, and strided views', () => {
    for (const dt of ['float64', 'float32'] as const) {
      for (let n = 0; n <= 9; n++) {
        const x = onHeapCopy(ndarrayOf([3, n], dt));
        const [js, w] = both(() => LOOP_FORMS.scale(x) as NdArray);
        expectSame(w, js, `scale, ${dt} rows of ${n}`);
        // Every other column: not unit-stride, the scalar loop runs the row.
        const wide = onHeapCopy(ndarrayOf([3, 2 * n], dt));
        const strided = ndarray(wide.data, [3, n], [2 * n, 2], 0) as NdArray;
        const [js2, w2] = both(() => LOOP_FORMS.scale(strided) as NdArray);
        expectSame(w2, js2, `scale, strided ${dt} rows of ${n}`);
        // Rows of n inside rows of n + 4, in and out: a lane past a row's end would show in
        // the output's spare columns (and reads past it in their values).
        const [js3, w3] = both(() => {
          const xw = onHeapCopy(ndarrayOf([3, n + 4], dt));
          const ow = onHeapCopy(zeros([3, n + 4], dt));
          (ow.data as Float64Array).fill(7);
          const view = (a: NdArray) => ndarray(a.data, [3, n], [n + 4, 1], 0) as NdArray;
          LOOP_FORMS.scale(view(xw), { out: view(ow) });
          return ow;
        });
        expectSame(w3, js3, `scale, ${dt} rows of ${n} inside wider rows`);
      }
      const y = onHeapCopy(ndarrayOf([4, 3], dt));
      const [js, w] = both(() => LOOP_FORMS.fixedRows(y) as NdArray);
      expectSame(w, js, `fixed ${dt} rows`);
    }
    const f32 = LOOP_FORMS.scale;
    f32(onHeapCopy(ndarrayOf([2, 5], 'float32')));
    expect(f32.inspect('float32->float32')).toContain('f32x4.sqrt');
  });

  it('inspect names the i32 locals and the view indices proved in bounds', () => {
    const x = onHeapCopy(zeros([2, 3, 3]));
    matmul(x, x);
    expect(matmul.inspect()).toMatch(/last call on heap arrays: wasm: scalar gufunc loop/);
    // i, j, k; a.get(i, k), b.get(k, j) and c.set(i, j) need no check.
    expect(matmul.inspect()).toContain('i32 locals: i, j, k, 6 view index(es) proved in bounds');
    const ahead = guvectorize((v: View, o: View) => {
      const n = v.shape[0];
      for (let i = 0; i < n; i++) o.set(i, i + 1 < n ? v.get(i + 1) : 0);
      let s = 0;
      for (let i = 0; i <= n - 1; i++) s += v.get(i);
      if (n > 0) o.set(0, s);
    }, '(n)->(n)');
    ahead(onHeapCopy(zeros([2, 4])));
    // Only o.set(i, …) in the first loop: `i + 1` and the `<=` loop keep their checks.
    expect(ahead.inspect()).toContain('i32 locals: n, i, i, 1 view index(es) proved in bounds');
    const scale = LOOP_FORMS.scale;
    scale(onHeapCopy(ndarrayOf([2, 5])));
    expect(scale.inspect()).toContain('6 view index(es) proved in bounds, 1 SIMD row loop(s)');
    expect(scale.inspect()).toContain('v128.store');
    const rev = LOOP_FORMS.reverse;
    rev(x.pick(0) as NdArray);
    expect(rev.inspect()).toContain('i32 locals: n, i, 0 view index(es)');
  });

  it('matmul over broadcast loop dims, every dtype and layout, bit for bit the JS loop', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(
            fc.integer({ min: 1, max: 4 }),
            fc.integer({ min: 1, max: 5 }),
            fc.integer({ min: 1, max: 5 }),
            fc.integer({ min: 1, max: 5 }),
            fc.boolean(),
          )
          .chain(([l, m, n, p, bcast]) =>
            fc.tuple(arr([l, m, n]), arr(bcast ? [1, n, p] : [l, n, p])),
          ),
        ([a, b]) => {
          const x = onHeapCopy(a);
          const y = onHeapCopy(b);
          const [js, w, path] = both(() => matmul(x, y) as NdArray);
          expectSame(w, js, 'matmul');
          expect(path).toMatch(/^wasm: scalar gufunc loop/);
        },
      ),
      runs(80),
    );
  });

  it('row norms (returned outputs) and an integer kernel with a scalar input', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 9 }))
          .chain(([r, n]) => fc.tuple(arr([r, n]), fc.integer({ min: -50, max: 50 }))),
        ([a, k]) => {
          const x = onHeapCopy(a);
          const [js, w] = both(() => norm(x) as NdArray);
          expectSame(w, js, 'norm');
          const [js2, w2] = both(() => affine(x, k) as NdArray);
          expectSame(w2, js2, 'affine');
          for (const dt of ['int8', 'uint16', 'bool', 'float32'] as const) {
            const out = onHeapCopy(zeros(x.shape, dt));
            const [js3, w3] = both(() => {
              affine(x, k, { out, casting: 'unsafe' });
              return onHeapCopy(out);
            });
            expectSame(w3, js3, `affine into ${dt}`);
          }
        },
      ),
      runs(60),
    );
  });

  it('an index past its view hands the call to the JS loop, which gives it its meaning', () => {
    // x.get(i + 1) reads one past the row: the next row's first element in JS, or
    // undefined (NaN) past the buffer's end.
    const ahead = guvectorize((x: View, o: View) => {
      for (let i = 0; i < x.shape[0]; i++) o.set(i, x.get(i) + x.get(i + 1));
    }, '(n)->(n)');
    const a = zeros([3, 4]);
    for (let i = 0; i < 12; i++) a.data[i] = i;
    const x = onHeapCopy(a);
    const [js, w, path] = both(() => ahead(x) as NdArray);
    expectSame(w, js, 'ahead');
    expect(path).toBe('js: a view index left its view: the JS loop ran the call');
    expect((w as NdArray).get(0, 3)).toBe(7);
    expect(Number.isNaN((w as NdArray).get(2, 3))).toBe(true);
  });

  it('kernels that read their outputs stay on the JS loop; in-place calls agree', () => {
    const acc = guvectorize((x: View, o: View) => {
      o.set(0, x.get(0));
      for (let i = 1; i < x.shape[0]; i++) o.set(i, o.get(i - 1) + x.get(i));
    }, '(n)->(n)');
    const x = onHeapCopy(zeros([2, 5]));
    const [, , path] = both(() => acc(x) as NdArray);
    expect(path).toBe('js: the kernel reads an output view');
    // An output over its own input: the call stages a copy first, the same on both paths.
    const [js2, w2] = both(() => {
      const y = onHeapCopy(zeros([2, 5], 'int32'));
      y.data.fill(3);
      affine(y, 1, { out: y });
      return y;
    });
    expectSame(w2, js2, 'in place');
  });

  it("auto times both paths on a loop's first calls, keeps the faster, and inspect says why", () => {
    const saved = { ...wasmGufuncConfig };
    // A clock under the test's control: each timed call lasts `cost[path]` ms, the path
    // told by the order of the trials (JS first, then alternating).
    let now = 0;
    let reads = 0;
    let cost = { js: 5, wasm: 1 };
    wasmGufuncConfig.clock = () => {
      const timed = reads++;
      // Reads come in pairs (start, end) for the timed calls: JS, wasm, JS, wasm, …
      if (timed % 2 === 1) now += Math.floor(timed / 2) % 2 === 0 ? cost.js : cost.wasm;
      return now;
    };
    wasmGufuncConfig.trials = 2;
    wasmGufuncConfig.mode = 'auto';
    try {
      for (const [faster, js, wasm] of [
        ['wasm', 5, 1],
        ['js', 1, 5],
      ] as const) {
        cost = { js, wasm };
        reads = 0;
        const g = guvectorize((x: View) => {
          let s = 0;
          for (let i = 0; i < x.shape[0]; i++) s += x.get(i) * (i + 1);
          return s;
        }, '(n)->()');
        const x = onHeapCopy(ndarrayOf([2, 5]));
        wasmConfig.enabled = false;
        const expected = g(x) as NdArray;
        wasmConfig.enabled = true;
        const paths: string[] = [];
        // 1 untimed + 2 timed calls per path, then the choice (10 elements: 0.1 ms each).
        for (let k = 0; k < 8; k++) {
          expectSame(g(x) as NdArray, expected, `call ${k}`);
          paths.push(g.inspect().match(/last call on heap arrays: (.*)/)![1]);
        }
        expect(paths.slice(0, 6).map((p) => p.slice(0, 4))).toEqual([
          'js: ',
          'wasm',
          'js: ',
          'wasm',
          'js: ',
          'wasm',
        ]);
        const kept =
          faster === 'wasm'
            ? /^wasm: scalar gufunc loop .*, faster for this loop and core size: measured wasm 100000.00 ns, JS 500000.00 ns per element/
            : /^js: the JS loop, faster for this loop and core size: measured wasm 500000.00 ns, JS 100000.00 ns per element/;
        expect(paths[6]).toMatch(kept);
        expect(paths[7]).toMatch(kept);
        // Rows of 40 are another core size class: their trials start afresh.
        g(onHeapCopy(ndarrayOf([2, 40])));
        expect(g.inspect()).toContain(
          'last call on heap arrays: js: the JS loop, timed against the wasm loop (auto)',
        );
      }
    } finally {
      Object.assign(wasmGufuncConfig, saved);
    }
  });

  it('auto: a loop that left its view once runs its size class on the JS loop after', () => {
    const saved = wasmGufuncConfig.mode;
    wasmGufuncConfig.mode = 'auto';
    try {
      const ahead = guvectorize((x: View, o: View) => {
        for (let i = 0; i < x.shape[0]; i++) o.set(i, x.get(i) + x.get(i + 1));
      }, '(n)->(n)');
      const x = onHeapCopy(ndarrayOf([3, 4]));
      wasmConfig.enabled = false;
      const expected = ahead(x) as NdArray;
      wasmConfig.enabled = true;
      const paths: string[] = [];
      for (let k = 0; k < 4; k++) {
        expectSame(ahead(x) as NdArray, expected, `call ${k}`);
        paths.push(ahead.inspect().match(/last call on heap arrays: (.*)/)![1]);
      }
      expect(paths).toEqual([
        'js: the JS loop, timed against the wasm loop (auto)',
        'js: a view index left its view: the JS loop ran the call',
        'js: the JS loop, faster for this loop and core size: a view index left its view on an earlier call',
        'js: the JS loop, faster for this loop and core size: a view index left its view on an earlier call',
      ]);
    } finally {
      wasmGufuncConfig.mode = saved;
    }
  });
});
