/**
 * The escape-time Mandelbrot kernel (at most 100 iterations), shared by the demo and the
 * benchmarks so every figure times the same function.
 */
export const escapeTime = (cx: number, cy: number) => {
  let x = 0;
  let y = 0;
  let i = 0;
  while (i < 100 && x * x + y * y <= 4) {
    const t = x * x - y * y + cx;
    y = 2 * x * y + cy;
    x = t;
    i++;
  }
  return i;
};
