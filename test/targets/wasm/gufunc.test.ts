/**
 * guvectorize calls on wasm: the loop over the broadcast dims and the kernel's core in
 * scalar wasm, bit for bit the JS loop, on every dtype and layout (transposed, strided,
 * reversed and broadcast views); view indices past their extent hand the call to the JS
 * loop, and kernels that read their outputs stay there.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DType, guvectorize, type NdArray, type View, zeros } from '../../../src/index.js';
import { wasmGufuncConfig } from '../../../src/targets/wasm/gufunc.js';
import { ndarrayArb } from '../../../src/testing/index.js';
import { runs } from '../../support.js';
import { both, expectSame, onHeapCopy, useWasmForEveryCall } from './helpers.js';

useWasmForEveryCall();
beforeAll(() => {
  wasmGufuncConfig.enabled = true;
});
afterAll(() => {
  wasmGufuncConfig.enabled = false;
});

const DTYPES: DType[] = [
  'float64',
  'float32',
  'int32',
  'uint32',
  'int16',
  'uint16',
  'int8',
  'uint8',
  'bool',
];

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

/** A view arbitrary of `shape` and a random dtype among `dtypes`. */
const arr = (shape: number[], dtypes: DType[] = DTYPES) =>
  ndarrayArb({ dtype: dtypes, shape, views: true, special: false });

describe('gufuncs on wasm', () => {
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
});
