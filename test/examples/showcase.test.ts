/**
 * The showcase pictures are right: a small Mandelbrot grid and Life boards computed with
 * the demo's own kernels and helpers (examples/showcase/) equal reference values computed
 * independently with NumPy (golden/make_golden.py wrote golden/*.json; rerun it to
 * regenerate them, Python is not needed to run this test).
 *
 * - Mandelbrot: a 32x24 grid over the demo's region, every escape-time count equal on
 *   `cpu` and `parallel` (same float64 operations in the same order as the reference, so
 *   exact), and on `gpu` for at least 97% of the cells: gpu.js computes in float32 on every
 *   backend, so points near the set's boundary, where the orbit escapes after many
 *   iterations, can escape one or more iterations earlier or later (or not at all), and
 *   the grid coordinates themselves are rounded to float32.
 * - Life: Gosper's glider gun (the demo's gunBoard) on a 40x40 torus, the boards after 30,
 *   60, 90, 120 and 200 generations equal on `cpu`, `parallel` and `gpu` (uint8 0/1 cells
 *   and neighbour counts up to 8 are exact in float32), plus facts about the gun checked by
 *   hand: period 30, one glider emitted per period, gliders wrapping across the edge.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifeRule } from '../../examples/game-of-life.js';
import { escapeTime } from '../../examples/showcase/escape-time.js';
import { gunBoard, runLife, runLifeByHand } from '../../examples/showcase/life.js';
import { grid, mandelbrot, mandelbrotByHand } from '../../examples/showcase/mandelbrot.js';
import {
  dtypeOf,
  type GpuBackend,
  gpuStatus,
  type NdArray,
  parallelStatus,
  type Stencil,
  setGpuBackend,
  setParallelOptions,
  stencil,
  toNested,
  vectorize,
} from '../../src/index.js';

function golden<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8')) as T;
}

const MANDEL = golden<{ shape: [number, number]; maxIterations: number; counts: number[][] }>(
  'mandelbrot.json',
);
const LIFE = golden<{
  shape: [number, number];
  start: [number, number][];
  generations: Record<string, [number, number][]>;
  gliderAt30: [number, number][];
}>('life.json');

const [MH, MW] = MANDEL.shape;
const [LH, LW] = LIFE.shape;
const GENS = Object.keys(LIFE.generations).map(Number);
/** runLife keeps every EVERY-th board: every generation in the golden file is one of them. */
const EVERY = 10;
const LAST = Math.max(...GENS);

/** gpu.js backends: each runs where this process has it (headlessgl needs GL, e.g. xvfb-run). */
const GPU_BACKENDS: GpuBackend[] = ['webasm', 'headlessgl'];
const hasGpu = (b: GpuBackend): boolean => gpuStatus().available[b];

/** Live cells as [row, column], row-major (the order of np.argwhere). */
function liveCells(board: NdArray): [number, number][] {
  const cells: [number, number][] = [];
  for (let i = 0; i < board.shape[0]; i++)
    for (let j = 0; j < board.shape[1]; j++) if (board.get(i, j) !== 0) cells.push([i, j]);
  return cells;
}

/** The boards after each golden generation, by runLife with `step` (default: the demo's). */
function lifeBoards(step?: Stencil<typeof lifeRule>): Map<number, NdArray> {
  const { frames, final } = runLife(gunBoard(LH, LW), LAST, EVERY, step);
  expect(frames.length).toBe(LAST / EVERY + 1);
  expect(liveCells(final)).toEqual(liveCells(frames[LAST / EVERY]));
  return new Map(GENS.map((g) => [g, frames[g / EVERY]]));
}

function expectLifeGolden(boards: Map<number, NdArray>): void {
  for (const g of GENS) {
    expect(dtypeOf(boards.get(g)!)).toBe('uint8');
    expect(liveCells(boards.get(g)!), `generation ${g}`).toEqual(LIFE.generations[g]);
  }
}

/** Where workers exist, the parallel calls went to them (else they ran on cpu: say so). */
function expectWorkersRan(jobsBefore: number): void {
  const st = parallelStatus();
  if (st.available) expect(st.jobs).toBeGreaterThan(jobsBefore);
  else console.log(`[showcase] parallel target ran on cpu: ${st.reason}`);
}

function expectMandelGolden(counts: NdArray): void {
  expect(counts.shape).toEqual([MH, MW]);
  expect(toNested(counts)).toEqual(MANDEL.counts);
}

describe('showcase Mandelbrot vs NumPy', () => {
  it('the reference is the demo region at 100 iterations', () => {
    expect(MANDEL.maxIterations).toBe(100);
    expect(escapeTime(0, 0)).toBe(100); // the kernel's cap
    expect(escapeTime(2, 0)).toBe(2); // |z|² = 4 does not escape yet (<= 4 keeps going)
    expect(escapeTime(3, 0)).toBe(1);
    const [xs, ys] = grid(MH, MW);
    expect([xs.get(0, 0), xs.get(0, MW - 1), ys.get(0, 0), ys.get(MH - 1, 0)]).toEqual([
      -2.2, 1, -1.2, 1.2,
    ]);
  });

  it('cpu: every count equals the reference', () => {
    const [xs, ys] = grid(MH, MW);
    const counts = vectorize(escapeTime, { name: 'mandelbrot', target: 'cpu' })(xs, ys) as NdArray;
    // A count computed from the literal 0 (n++) is float64 holding the exact integer, as
    // Numba's int64 would hold it; it never wraps at 32 bits.
    expect(dtypeOf(counts)).toBe('float64');
    expectMandelGolden(counts);
  });

  it('the hand-written loop of the timing table equals the reference', () => {
    const out = new Int32Array(MH * MW);
    mandelbrotByHand(out, MH, MW);
    const rows = Array.from({ length: MH }, (_, i) =>
      Array.from(out.subarray(i * MW, (i + 1) * MW)),
    );
    expect(rows).toEqual(MANDEL.counts);
  });

  describe('parallel (the demo ufunc and a parallel one, threshold 0 so the workers run)', () => {
    beforeAll(() => setParallelOptions({ threshold: 0 }));
    afterAll(() => setParallelOptions({ threshold: 65536 }));

    it('every count equals the reference', () => {
      const [xs, ys] = grid(MH, MW);
      const jobs = parallelStatus().jobs;
      expectMandelGolden(mandelbrot(xs, ys) as NdArray); // the demo's ufunc ('parallel' in Node)
      const par = vectorize(escapeTime, { name: 'mandelbrot', target: 'parallel' });
      expectMandelGolden(par(xs, ys) as NdArray);
      expectWorkersRan(jobs);
    });
  });

  for (const backend of GPU_BACKENDS)
    describe.runIf(hasGpu(backend))(`gpu on ${backend} (float32)`, () => {
      beforeAll(() => setGpuBackend(backend));
      afterAll(() => setGpuBackend('auto'));

      it('at least 97% of the counts equal the reference', () => {
        const [xs, ys] = grid(MH, MW);
        const gpu = vectorize(escapeTime, { name: 'mandelbrot', target: 'gpu' });
        const counts = toNested(gpu(xs, ys) as NdArray) as number[][];
        let same = 0;
        const diffs: string[] = [];
        counts.forEach((row, i) => {
          row.forEach((v, j) => {
            if (v === MANDEL.counts[i][j]) same++;
            else diffs.push(`(${i},${j}) ${v} vs ${MANDEL.counts[i][j]}`);
          });
        });
        console.log(
          `[showcase] gpu ${backend}: ${same}/${MH * MW} Mandelbrot counts equal${diffs.length ? `; differ: ${diffs.join(', ')}` : ''}`,
        );
        expect(same / (MH * MW)).toBeGreaterThanOrEqual(0.97);
      });
    });
});

describe('showcase Game of Life vs NumPy', () => {
  it("starts from the demo's glider gun", () => {
    expect(liveCells(gunBoard(LH, LW))).toEqual(LIFE.start);
    expect(LIFE.start.length).toBe(36);
  });

  it("cpu (the demo's stencil): the boards equal the reference", () => {
    expectLifeGolden(lifeBoards());
  });

  it('the hand-written loop of the timing table equals the reference', () => {
    const start = gunBoard(LH, LW).data as Uint8Array;
    for (const g of [30, LAST]) {
      const b = runLifeByHand(start, LH, LW, g);
      const cells: [number, number][] = [];
      b.forEach((v, k) => {
        if (v) cells.push([Math.floor(k / LW), k % LW]);
      });
      expect(cells, `generation ${g}`).toEqual(LIFE.generations[g]);
    }
  });

  it('the gun has period 30 and emits one glider per period; gliders wrap around', () => {
    const boards = lifeBoards();
    const start = gunBoard(LH, LW);
    // The gun and its margin: rows 0-10, columns 0-38.
    const inGun = ([i, j]: [number, number]) => i <= 10 && j <= 38;
    const gun0 = liveCells(start).filter(inGun);
    for (const [k, g] of [30, 60, 90, 120].entries()) {
      const cells = liveCells(boards.get(g)!);
      expect(cells.filter(inGun), `gun at generation ${g}`).toEqual(gun0);
      expect(cells.length, `population at generation ${g}`).toBe(36 + 5 * (k + 1));
    }
    // After one period the only cells outside the gun are one glider, just below it.
    const glider = liveCells(boards.get(30)!).filter((c) => !inGun(c));
    expect(glider).toEqual(LIFE.gliderAt30);
    expect(glider).toEqual([
      [11, 25],
      [12, 26],
      [12, 27],
      [13, 25],
      [13, 26],
    ]);
    // Gliders travel down and right; by generation 120 one has crossed the right edge.
    const wrapped = (g: number) => liveCells(boards.get(g)!).some(([i, j]) => i > 10 && j < 2);
    expect(wrapped(60)).toBe(false);
    expect(wrapped(120)).toBe(true);
  });

  describe('parallel (threshold 0 so the workers run)', () => {
    beforeAll(() => setParallelOptions({ threshold: 0 }));
    afterAll(() => setParallelOptions({ threshold: 65536 }));

    it('the boards equal the reference', () => {
      const par = stencil(lifeRule, { boundary: 'wrap', name: 'life', target: 'parallel' });
      const jobs = parallelStatus().jobs;
      expectLifeGolden(lifeBoards(par));
      expectWorkersRan(jobs);
    });
  });

  for (const backend of GPU_BACKENDS)
    describe.runIf(hasGpu(backend))(`gpu on ${backend}`, () => {
      beforeAll(() => setGpuBackend(backend));
      afterAll(() => setGpuBackend('auto'));

      it('the boards equal the reference exactly', () => {
        const gpu = stencil(lifeRule, { boundary: 'wrap', name: 'life', target: 'gpu' });
        expectLifeGolden(lifeBoards(gpu));
      });
    });
});
