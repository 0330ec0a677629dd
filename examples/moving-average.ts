/**
 * A trailing moving average with `guvectorize`. The layout `(n),()->(n)` maps each row of
 * the input to a row of averages; the window width is a `()` input, so it can be one
 * number for every row or an array of widths, one per row (loop dims broadcast). The
 * signature types the width as int32, because it is used in an index (`x.get(i - w)`).
 *
 * Run: npx tsx examples/moving-average.ts
 */
import { fileURLToPath } from 'node:url';
import { asarray, guvectorize, type NdArray, toNested, type View, zeros } from '../src/index.js';

/** out[i] = mean of x[max(0, i-w+1) … i]: a running sum, one add and one subtract per element. */
export const movingAverage = guvectorize(
  (x: View, w: number, out: View) => {
    let sum = 0;
    for (let i = 0; i < x.shape[0]; i++) {
      sum += x.get(i);
      if (i >= w) sum -= x.get(i - w);
      out.set(i, sum / Math.min(i + 1, w));
    }
  },
  '(n),()->(n)',
  { name: 'movingAverage', signatures: ['void(float64[:], int32, float64[:])'] },
);

/** The same average, naively, for checking. */
export function naiveMovingAverage(xs: readonly number[], w: number): number[] {
  return xs.map((_, i) => {
    const win = xs.slice(Math.max(0, i - w + 1), i + 1);
    return win.reduce((a, b) => a + b, 0) / win.length;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const prices = [10, 11, 12, 13, 12, 11, 10, 12, 14, 16];
  console.log('prices      ', prices.join(' '));
  console.log(
    '3-day MA    ',
    (toNested(movingAverage(asarray(prices), 3) as NdArray) as number[])
      .map((v) => v.toFixed(2))
      .join(' '),
  );
  // Two series, each with its own window: the widths broadcast against the rows' loop dim.
  const rows = asarray([prices, prices.map((p) => 20 - p)]);
  const widths = asarray(new Int32Array([2, 4]));
  console.log('per-row MA  ', JSON.stringify(toNested(movingAverage(rows, widths) as NdArray)));

  // 1000 series of 10 000 points, written into a preallocated output.
  const big = zeros([1000, 10_000]);
  for (let i = 0; i < big.data.length; i++) big.data[i] = Math.random();
  const out = zeros([1000, 10_000]);
  movingAverage(big, 50, { out });
  const t0 = performance.now();
  movingAverage(big, 50, { out });
  console.log(`1000 × 10 000 points, window 50: ${(performance.now() - t0).toFixed(1)} ms`);
}
