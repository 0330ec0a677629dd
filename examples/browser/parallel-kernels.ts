/**
 * The kernels of the parallel page, shared by the page and its Web Worker: an escape-time
 * Mandelbrot (compute-bound, the case the parallel target is for; the demo's kernel) on a
 * cpu and a parallel ufunc.
 */
import { type NdArray, vectorize, zeros } from 'numbats';
import { escapeTime } from '../showcase/escape-time.js';

const signatures = ['int32(float64, float64)'];
export const mandelCpu = vectorize(escapeTime, { signatures });
export const mandelParallel = vectorize(escapeTime, { signatures, target: 'parallel' });

/** The points of an `n`×`n` view of [-2, 0.6]×[-1.3, 1.3] as a row and a column (they broadcast). */
export function grid(n: number, shared: boolean): { re: NdArray; im: NdArray } {
  const re = zeros([1, n], 'float64', { shared });
  const im = zeros([n, 1], 'float64', { shared });
  const r = re.data as Float64Array;
  const i = im.data as Float64Array;
  for (let k = 0; k < n; k++) {
    r[k] = -2 + (2.6 * k) / (n - 1);
    i[k] = -1.3 + (2.6 * k) / (n - 1);
  }
  return { re, im };
}

/** FNV-1a over the escape counts: a short fingerprint to compare targets. */
export function fingerprint(a: NdArray): number {
  const d = a.data as Int32Array;
  let h = 0x811c9dc5;
  for (let k = 0; k < d.length; k++) h = Math.imul(h ^ d[k], 0x01000193);
  return h >>> 0;
}
