/**
 * Image filters as stencils on a float32 grey-level image: a 3×3 box blur and the Sobel
 * edge magnitude, both with scipy.ndimage's default 'reflect' edges (the image continues
 * as its mirror image, edge pixels repeated). Values are 0..1, as image libraries keep
 * them when they compute.
 *
 * Run: npx tsx examples/image-filters.ts
 */
import { fileURLToPath } from 'node:url';
import { type NdArray, type Rel, stencil, zeros } from '../src/index.js';

/** Mean of the 3×3 neighbourhood. */
export const blur = stencil(
  (p: Rel) =>
    (p(-1, -1) +
      p(-1, 0) +
      p(-1, 1) +
      p(0, -1) +
      p(0, 0) +
      p(0, 1) +
      p(1, -1) +
      p(1, 0) +
      p(1, 1)) /
    9,
  { boundary: 'reflect', name: 'blur' },
);

/** Gradient magnitude from the two Sobel kernels (scipy's `hypot(sobel(a, 0), sobel(a, 1))`). */
export const sobel = stencil(
  (p: Rel) => {
    const gx = p(-1, 1) + 2 * p(0, 1) + p(1, 1) - (p(-1, -1) + 2 * p(0, -1) + p(1, -1));
    const gy = p(1, -1) + 2 * p(1, 0) + p(1, 1) - (p(-1, -1) + 2 * p(-1, 0) + p(-1, 1));
    return Math.hypot(gx, gy);
  },
  { boundary: 'reflect', name: 'sobel' },
);

/** A synthetic h×w image: a bright disc on a dark diagonal gradient. */
export function testImage(h: number, w: number): NdArray {
  const img = zeros([h, w], 'float32');
  const r = Math.min(h, w) / 3;
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const inDisc = (i - h / 2) ** 2 + (j - w / 2) ** 2 < r * r;
      img.set(i, j, inDisc ? 0.9 : (0.3 * (i + j)) / (h + w));
    }
  }
  return img;
}

/** The image as ASCII art (darkest to brightest: ` .:-=+*#%@`). */
export function ascii(img: NdArray, max = 1): string {
  const ramp = ' .:-=+*#%@';
  const rows: string[] = [];
  for (let i = 0; i < img.shape[0]; i++) {
    let line = '';
    for (let j = 0; j < img.shape[1]; j++) {
      const v = Math.min(1, Math.max(0, img.get(i, j) / max));
      line += ramp[Math.round(v * (ramp.length - 1))];
    }
    rows.push(line);
  }
  return rows.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const img = testImage(16, 32);
  console.log(`image:\n${ascii(img)}\n`);
  console.log(`3×3 blur:\n${ascii(blur(img))}\n`);
  console.log(`Sobel edges:\n${ascii(sobel(img), 3)}`);
}
