/**
 * Batched small-matrix products with `guvectorize`: one kernel for `(m,n),(n,p)->(m,p)`
 * runs over every leading (loop) dim, and loop dims broadcast, so one matrix times a batch
 * works as well as a batch times a batch. NumPy's matmul layout `(m?,n),(n,p?)->(m?,p?)`
 * makes the same kernel take vectors too: a missing optional dim has size 1 in the kernel.
 *
 * Run: npx tsx examples/batched-matmul.ts
 */
import { fileURLToPath } from 'node:url';
import { asarray, guvectorize, type NdArray, toNested, type View, zeros } from '../src/index.js';

/** c = a·b for every pair of matrices in the batch. */
function product(a: View, b: View, c: View) {
  for (let i = 0; i < a.shape[0]; i++) {
    for (let j = 0; j < b.shape[1]; j++) {
      let s = 0;
      for (let k = 0; k < a.shape[1]; k++) s += a.get(i, k) * b.get(k, j);
      c.set(i, j, s);
    }
  }
}

export const matmul = guvectorize(product, '(m,n),(n,p)->(m,p)', { name: 'matmul' });

/** NumPy's matmul: 1-d operands are vectors (matrix·vector, vector·matrix, vector·vector). */
export const matmulNd = guvectorize(product, '(m?,n),(n,p?)->(m?,p?)', { name: 'matmul' });

/** The 4×4 products of a (count,4,4) batch, as a hand-written loop (for timing). */
function handMatmul4(a: Float64Array, b: Float64Array, c: Float64Array, count: number) {
  for (let t = 0; t < count; t++) {
    const o = t * 16;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += a[o + i * 4 + k] * b[o + k * 4 + j];
        c[o + i * 4 + j] = s;
      }
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // A rotation by 90° about z applied to a batch of column vectors (3×1 matrices):
  // the single matrix broadcasts over the batch's loop dim.
  const rot = asarray([
    [0, -1, 0],
    [1, 0, 0],
    [0, 0, 1],
  ]);
  const points = asarray([
    [[1], [0], [0]],
    [[0], [2], [0]],
    [[1], [1], [1]],
  ]); // (3,3,1)
  console.log('rotated     ', JSON.stringify(toNested(matmul(rot, points) as NdArray)));
  // The same with plain vectors, through the optional dims.
  console.log(
    'mat·vec     ',
    JSON.stringify(toNested(matmulNd(rot, asarray([1, 1, 1])) as NdArray)),
  );
  console.log(
    'vec·vec     ',
    toNested(matmulNd(asarray([1, 2, 3]), asarray([4, 5, 6])) as NdArray),
  );

  // 100 000 products of 4×4 matrices into a preallocated output, next to a hand loop.
  const count = 100_000;
  const a = zeros([count, 4, 4]);
  const b = zeros([count, 4, 4]);
  for (let i = 0; i < a.data.length; i++) {
    a.data[i] = Math.random();
    b.data[i] = Math.random();
  }
  const c = zeros([count, 4, 4]);
  const ref = new Float64Array(count * 16);
  // Median of 7 interleaved runs each (after a warm-up), so both loops are compiled and optimised.
  const runs: [number[], number[]] = [[], []];
  const fns = [
    () => matmul(a, b, { out: c }),
    () => handMatmul4(a.data as Float64Array, b.data as Float64Array, ref, count),
  ];
  for (let r = -2; r < 7; r++) {
    fns.forEach((f, k) => {
      const t0 = performance.now();
      f();
      if (r >= 0) runs[k].push(performance.now() - t0);
    });
  }
  const [tn, th] = runs.map((ts) => ts.sort((x, y) => x - y)[3]);
  const same = (c.data as Float64Array).every((v, i) => v === ref[i]);
  console.log(
    `${count} 4×4 products: numbats ${tn.toFixed(1)} ms, hand loop ${th.toFixed(1)} ms (same result: ${same})`,
  );
}
