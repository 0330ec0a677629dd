/** The Mandelbrot set with `vectorize`: one escape-time kernel broadcast over a grid. */
import { type NdArray, parallelStatus, type Target, vectorize, zeros } from '../../src/index.js';
import { escapeTime } from './escape-time.js';

/** `parallel` where workers are available (Node), `cpu` otherwise. */
export const mandelTarget: Target = parallelStatus().available ? 'parallel' : 'cpu';
export const mandelbrot = vectorize(escapeTime, { name: 'mandelbrot', target: mandelTarget });

/** The grid: a (1, w) row of real parts and an (h, 1) column of imaginary parts. */
export function grid(h: number, w: number): [NdArray, NdArray] {
  const xs = zeros([1, w], 'float64', { shared: true });
  const ys = zeros([h, 1], 'float64', { shared: true });
  for (let j = 0; j < w; j++) xs.set(0, j, -2.2 + (3.2 * j) / (w - 1));
  for (let i = 0; i < h; i++) ys.set(i, 0, -1.2 + (2.4 * i) / (h - 1));
  return [xs, ys];
}

/** The same picture with a hand-written double loop (for the timing table). */
export function mandelbrotByHand(out: Int32Array, h: number, w: number): void {
  for (let i = 0; i < h; i++) {
    const cy = -1.2 + (2.4 * i) / (h - 1);
    for (let j = 0; j < w; j++) {
      out[i * w + j] = escapeTime(-2.2 + (3.2 * j) / (w - 1), cy);
    }
  }
}
