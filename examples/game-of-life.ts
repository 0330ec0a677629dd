/**
 * Conway's Game of Life on a torus with `stencil`: the neighbour count is eight relative
 * reads, `boundary: 'wrap'` glues opposite edges, and the board is a uint8 array of 0/1.
 * Two buffers are swapped between generations, so a step allocates nothing.
 *
 * Run: npx tsx examples/game-of-life.ts
 */
import { fileURLToPath } from 'node:url';
import { type NdArray, type Rel, stencil, zeros } from '../src/index.js';

/**
 * The rule for one cell: a live cell with 2 or 3 live neighbours survives, a dead one with
 * 3 is born. Exported so other targets (`stencil(lifeRule, { boundary: 'wrap', target:
 * 'gpu' })`), the benchmarks and the tests compile the very same kernel.
 */
export const lifeRule = (c: Rel) => {
  const n = c(-1, -1) + c(-1, 0) + c(-1, 1) + c(0, -1) + c(0, 1) + c(1, -1) + c(1, 0) + c(1, 1);
  return n === 3 || (n === 2 && c(0, 0) === 1) ? 1 : 0;
};

/** One generation on a torus (`cpu` target). */
export const life = stencil(lifeRule, { boundary: 'wrap', name: 'life' });

/** An n×n uint8 board with a glider whose bounding box starts at (row, col). */
export function glider(n: number, row = 0, col = 0): NdArray {
  const board = zeros([n, n], 'uint8');
  for (const [i, j] of [
    [0, 1],
    [1, 2],
    [2, 0],
    [2, 1],
    [2, 2],
  ]) {
    board.set((row + i) % n, (col + j) % n, 1);
  }
  return board;
}

/** Runs `generations` steps from `board` (left unchanged) and returns the final board. */
export function evolve(board: NdArray, generations: number): NdArray {
  let cur = life(board);
  let next = zeros(board.shape, 'uint8');
  for (let g = 1; g < generations; g++) {
    life(cur, { out: next });
    [cur, next] = [next, cur];
  }
  return generations === 0 ? board : cur;
}

/** The board as text: `#` for live cells. */
export function render(board: NdArray): string {
  const rows: string[] = [];
  for (let i = 0; i < board.shape[0]; i++) {
    let line = '';
    for (let j = 0; j < board.shape[1]; j++) line += board.get(i, j) ? '#' : '.';
    rows.push(line);
  }
  return rows.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = 8;
  const start = glider(n);
  for (const g of [0, 1, 2, 4, 4 * n]) {
    console.log(`generation ${g}:\n${render(evolve(start, g))}\n`);
  }
  // A large random board: one step of 4096² cells, timed.
  const big = zeros([4096, 4096], 'uint8');
  for (let i = 0; i < big.data.length; i++) big.data[i] = Math.random() < 0.3 ? 1 : 0;
  const out = zeros([4096, 4096], 'uint8');
  life(big, { out });
  const t0 = performance.now();
  life(big, { out });
  console.log(`one generation of a 4096×4096 board: ${(performance.now() - t0).toFixed(1)} ms`);
}
