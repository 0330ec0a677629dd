/**
 * stencil workloads (issue 4): a 5-point Laplacian on (4096,4096) float64 and one Game of
 * Life step on (4096,4096) uint8, numbats vs a hand-written loop with the same boundary
 * handling, timed side by side. SciPy's and Numba's figures come from stencil_bench.py in
 * the same run.
 */
import ndarray from 'ndarray';
import { type NdArray, type Rel, stencil } from '../src/index.js';
import { type Contender, type Row, runPython, sideBySide } from './harness.js';

const N = 4096;

// The hand-written loops take their arrays as parameters, like any reusable function (and
// like numbats' generated loops), and run the interior without any bounds logic.

/** Interior only: the border is left as it is, like numbats' default 'skip' with `out`. */
function handLaplacian(u: Float64Array, out: Float64Array, n0: number, n1: number): void {
  for (let i = 1; i < n0 - 1; i++) {
    const row = i * n1;
    for (let j = 1; j < n1 - 1; j++) {
      const p = row + j;
      out[p] = u[p - n1] + u[p + n1] + u[p - 1] + u[p + 1] - 4 * u[p];
    }
  }
}

function lifeRule(n: number, alive: number): number {
  return n === 3 || (n === 2 && alive === 1) ? 1 : 0;
}

/** One cell on the torus, with wrapped indices (used on the border only). */
function lifeCellWrapped(c: Uint8Array, n0: number, n1: number, i: number, j: number): number {
  const up = ((i + n0 - 1) % n0) * n1;
  const mid = i * n1;
  const down = ((i + 1) % n0) * n1;
  const l = (j + n1 - 1) % n1;
  const r = (j + 1) % n1;
  const n = c[up + l] + c[up + j] + c[up + r] + c[mid + l] + c[mid + r] + c[down + l] + c[down + j];
  return lifeRule(n + c[down + r], c[mid + j]);
}

/** Interior without modulo, then the border rows and columns with wrapped indices. */
function handLife(c: Uint8Array, out: Uint8Array, n0: number, n1: number): void {
  for (let i = 1; i < n0 - 1; i++) {
    const row = i * n1;
    for (let j = 1; j < n1 - 1; j++) {
      const p = row + j;
      const up = p - n1;
      const down = p + n1;
      const n =
        c[up - 1] + c[up] + c[up + 1] + c[p - 1] + c[p + 1] + c[down - 1] + c[down] + c[down + 1];
      out[p] = n === 3 || (n === 2 && c[p] === 1) ? 1 : 0;
    }
  }
  for (let j = 0; j < n1; j++) {
    out[j] = lifeCellWrapped(c, n0, n1, 0, j);
    out[(n0 - 1) * n1 + j] = lifeCellWrapped(c, n0, n1, n0 - 1, j);
  }
  for (let i = 1; i < n0 - 1; i++) {
    out[i * n1] = lifeCellWrapped(c, n0, n1, i, 0);
    out[i * n1 + n1 - 1] = lifeCellWrapped(c, n0, n1, i, n1 - 1);
  }
}

/** Fails the bench when the two contenders disagree: they must do the same work. */
function sameResult(what: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) throw new Error(`${what}: numbats and the hand loop differ at ${i}`);
  }
}

function run(
  key: string,
  workload: string,
  contenders: Contender[],
  rounds: number,
  note?: string,
): Row {
  const t = sideBySide(contenders, rounds);
  const by = (n: string) => t.find((x) => x.name === n)!.medianMs;
  const row: Row = { key, workload, numbats: by('numbats'), hand: by('hand'), note };
  console.log(
    `${workload.padEnd(34)} numbats ${row.numbats.toFixed(2).padStart(8)} ms | hand ${row.hand.toFixed(2).padStart(8)} ms (${(row.numbats / row.hand).toFixed(2)}x)`,
  );
  return row;
}

export function stencilBenchmarks(rounds: number): Row[] {
  const rows: Row[] = [];
  const grid = new Float64Array(N * N);
  for (let i = 0; i < grid.length; i++) grid[i] = Math.random();
  const lapOut = new Float64Array(N * N);
  const U = ndarray(grid, [N, N]) as unknown as NdArray;
  const LO = ndarray(lapOut, [N, N]) as unknown as NdArray;
  const laplacian = stencil((u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0), {
    name: 'laplacian',
  });
  const lapCheck = new Float64Array(N * N);
  laplacian(U, { out: LO });
  handLaplacian(grid, lapCheck, N, N);
  sameResult('laplacian', lapOut, lapCheck);
  rows.push(
    run(
      'laplacian',
      'W8 5-point Laplacian 4096² f64',
      [
        { name: 'numbats', run: () => laplacian(U, { out: LO }) },
        { name: 'hand', run: () => handLaplacian(grid, lapOut, N, N) },
      ],
      rounds,
      "boundary 'skip', out given",
    ),
  );

  const cells = new Uint8Array(N * N);
  for (let i = 0; i < cells.length; i++) cells[i] = Math.random() < 0.3 ? 1 : 0;
  const lifeOut = new Uint8Array(N * N);
  const Cells = ndarray(cells, [N, N]) as unknown as NdArray;
  const LifeOut = ndarray(lifeOut, [N, N]) as unknown as NdArray;
  const life = stencil(
    (c: Rel) => {
      const n = c(-1, -1) + c(-1, 0) + c(-1, 1) + c(0, -1) + c(0, 1) + c(1, -1) + c(1, 0) + c(1, 1);
      return n === 3 || (n === 2 && c(0, 0) === 1) ? 1 : 0;
    },
    { boundary: 'wrap', name: 'life' },
  );
  const lifeCheck = new Uint8Array(N * N);
  life(Cells, { out: LifeOut });
  handLife(cells, lifeCheck, N, N);
  sameResult('life', lifeOut, lifeCheck);
  rows.push(
    run(
      'life',
      'W8 Life step 4096² u8 (wrap)',
      [
        { name: 'numbats', run: () => life(Cells, { out: LifeOut }) },
        { name: 'hand', run: () => handLife(cells, lifeOut, N, N) },
      ],
      rounds,
      "boundary 'wrap', out given",
    ),
  );

  console.log('running the SciPy/Numba side (stencil_bench.py)…');
  const py = runPython(new URL('./stencil_bench.py', import.meta.url), [String(rounds)]);
  // The script prints { "<row key>": { "SciPy": ms, "Numba": ms }, "notes": […] }.
  const peers = py as unknown as Record<string, Record<string, number> | string[]> | null;
  if (peers) {
    for (const r of rows) {
      const p = peers[r.key];
      if (p && !Array.isArray(p)) r.python = { ...p };
    }
    const notes = peers.notes;
    if (Array.isArray(notes)) for (const n of notes) console.log(`(${n})`);
  }
  return rows;
}
