/**
 * Picture output for the showcase: PNG through pngjs, animated GIF through gifenc, and a
 * perceptual colour map. Arrays are read with `.get`, so any ndarray view works.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import gifenc from 'gifenc';
import { PNG } from 'pngjs';
import type { NdArray } from '../../src/index.js';

/** Inferno-like colour stops (dark → purple → orange → yellow). */
const STOPS: [number, number, number][] = [
  [0, 0, 4],
  [40, 11, 84],
  [101, 21, 110],
  [159, 42, 99],
  [212, 72, 66],
  [245, 125, 21],
  [250, 193, 39],
  [252, 255, 164],
];

/** A colour for t in [0, 1]. */
export function colormap(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i];
  const b = STOPS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

/** Writes a 2-D array as a PNG, mapping [lo, hi] through the colour map. */
export function writeHeatmapPng(path: string, a: NdArray, lo: number, hi: number): void {
  const [h, w] = a.shape;
  const png = new PNG({ width: w, height: h });
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const [r, g, b] = colormap(((a.get(i, j) as number) - lo) / (hi - lo || 1));
      const p = (i * w + j) * 4;
      png.data[p] = r;
      png.data[p + 1] = g;
      png.data[p + 2] = b;
      png.data[p + 3] = 255;
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, PNG.sync.write(png));
}

/** Writes 0/1 boards as an animated GIF, each cell `scale`×`scale` pixels. */
export function writeBoardsGif(path: string, boards: NdArray[], scale = 3, delayMs = 60): void {
  const [h, w] = boards[0].shape;
  const gif = gifenc.GIFEncoder(); // gifenc is CommonJS: its exports arrive as the default
  const palette = [
    [16, 18, 32],
    [250, 193, 39],
  ];
  const W = w * scale;
  const H = h * scale;
  for (const b of boards) {
    const idx = new Uint8Array(W * H);
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        if ((b.get(i, j) as number) === 0) continue;
        for (let di = 0; di < scale; di++)
          idx.fill(1, (i * scale + di) * W + j * scale, (i * scale + di) * W + (j + 1) * scale);
      }
    }
    gif.writeFrame(idx, W, H, { palette, delay: delayMs });
  }
  gif.finish();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, gif.bytes());
}
