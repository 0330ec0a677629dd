/** Game of Life from Gosper's glider gun on a torus (`stencil`, `'wrap'`). */
import { copy, type NdArray, zeros } from '../../src/index.js';
import { life } from '../game-of-life.js';

/** Gosper's glider gun, as (column, row) pairs of its live cells. */
const GUN: [number, number][] = [
  [24, 0],
  [22, 1],
  [24, 1],
  [12, 2],
  [13, 2],
  [20, 2],
  [21, 2],
  [34, 2],
  [35, 2],
  [11, 3],
  [15, 3],
  [20, 3],
  [21, 3],
  [34, 3],
  [35, 3],
  [0, 4],
  [1, 4],
  [10, 4],
  [16, 4],
  [20, 4],
  [21, 4],
  [0, 5],
  [1, 5],
  [10, 5],
  [14, 5],
  [16, 5],
  [17, 5],
  [22, 5],
  [24, 5],
  [10, 6],
  [16, 6],
  [24, 6],
  [11, 7],
  [15, 7],
  [12, 8],
  [13, 8],
];

/** A board with the gun near its top-left corner. */
export function gunBoard(h: number, w: number): NdArray {
  const b = zeros([h, w], 'uint8');
  for (const [x, y] of GUN) b.set(2 + y, 2 + x, 1);
  return b;
}

/**
 * Runs `generations` steps, keeping a copy of every `every`-th board for the animation.
 * `step` is one generation: `life` (on `cpu`) unless the same rule compiled for another
 * target is passed (the tests do).
 */
export function runLife(
  start: NdArray,
  generations: number,
  every: number,
  step: (board: NdArray, options: { out: NdArray }) => unknown = life,
): { frames: NdArray[]; final: NdArray } {
  let cur = copy(start);
  let next = zeros(start.shape, 'uint8');
  const frames: NdArray[] = [copy(start)];
  for (let g = 1; g <= generations; g++) {
    step(cur, { out: next }); // two buffers, swapped: a generation allocates nothing
    [cur, next] = [next, cur];
    if (g % every === 0) frames.push(copy(cur));
  }
  return { frames, final: cur };
}

/** The same generations with a hand-written double loop (for the timing table). */
export function runLifeByHand(
  start: Uint8Array,
  h: number,
  w: number,
  generations: number,
): Uint8Array {
  let cur = start.slice();
  let next = new Uint8Array(h * w);
  for (let g = 0; g < generations; g++) {
    for (let i = 0; i < h; i++) {
      const up = ((i + h - 1) % h) * w;
      const row = i * w;
      const down = ((i + 1) % h) * w;
      for (let j = 0; j < w; j++) {
        const l = (j + w - 1) % w;
        const r = (j + 1) % w;
        const n =
          cur[up + l] +
          cur[up + j] +
          cur[up + r] +
          cur[row + l] +
          cur[row + r] +
          cur[down + l] +
          cur[down + j] +
          cur[down + r];
        next[row + j] = n === 3 || (n === 2 && cur[row + j] === 1) ? 1 : 0;
      }
    }
    [cur, next] = [next, cur];
  }
  return cur;
}
