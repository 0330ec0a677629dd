import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { free, type NdArray } from '../src/index.js';

/**
 * The side-by-side timer: contenders of one workload are timed by tinybench, round-robin
 * (so drifting memory bandwidth hits them alike), and each reports its median.
 */
export interface Contender {
  name: string;
  run: () => unknown;
}

export interface Timing {
  name: string;
  medianMs: number;
}

export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs every contender `rounds` times (after `warmup` untimed runs each), interleaved, and
 * returns their median times per call in ms, in the contenders' order.
 *
 * The timing is tinybench's: one `Bench` holds a task per contender, and each round is one
 * `runSync()` of that bench with a fixed count of one iteration per task and no time budget
 * (`iterations: 1, time: 0`), so round r times contender 1, 2, … in turn before round r+1
 * starts: a slow drift of the machine (another job, memory bandwidth, thermal) lands on
 * every contender alike instead of on whichever tinybench would have run last. The
 * per-task latency samples tinybench keeps (`retainSamples`) are collected across rounds
 * and their median reported. Warmup is tinybench's own (`warmupIterations`, run once
 * before the first round, untimed).
 *
 * `inner`: each sample runs the contender `inner` times and is divided by `inner`.
 * tinybench brackets every single call of a task function with two timer reads and does
 * not batch fast functions itself; for a ~1 µs call (a ufunc on 16 elements) the timer
 * reads, their resolution and the per-sample bookkeeping would be a large part of the
 * sample, so µs-scale workloads pass `inner` in the thousands and the timer cost is spread
 * over the batch (as tinybench's README suggests for work below the timer's grain).
 */
export function sideBySide(
  contenders: Contender[],
  rounds: number,
  warmup = 2,
  inner = 1,
): Timing[] {
  const bench = new Bench({
    iterations: 1, // one sample per contender per round…
    time: 0, // …and no time budget, so every round is short and rounds interleave
    warmup: false, // warmed up once below, not before every round
    warmupIterations: warmup,
    warmupTime: 0,
    retainSamples: true,
    throws: true, // a contender that throws stops the bench, as a plain call would
    timestampProvider: 'hrtimeNow',
  });
  contenders.forEach((c, i) => {
    const batch = () => {
      for (let k = 0; k < inner; k++) c.run();
    };
    // The index keeps task names unique; `async: false` skips tinybench's probe call.
    bench.add(`${i}:${c.name}`, batch, { async: false });
  });
  if (warmup > 0) for (const task of bench.tasks) task.warmupSync();
  const samples = contenders.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    bench.reset();
    bench.runSync();
    bench.tasks.forEach((task, i) => {
      const res = task.result;
      if (res.state !== 'completed' || !res.latency.samples)
        throw new Error(`bench task ${task.name}: ${res.state}`);
      for (const ms of res.latency.samples) samples[i].push(ms / inner);
    });
  }
  return contenders.map((c, i) => ({ name: c.name, medianMs: median(samples[i]) }));
}

/** One line of the report. Times in ms; `unit: 'µs'` prints them as microseconds. */
export interface Row {
  /** Stable id of the workload (also the key in the Python side's JSON). */
  key: string;
  workload: string;
  numbats: number;
  hand: number;
  ndarrayOps?: number;
  /**
   * A plain hand-written gpu.js kernel doing the same work on the backend numbats' gpu
   * target uses, including its upload and the readback into a TypedArray (bench/gpujs.bench.ts).
   */
  gpujs?: number;
  /** Peers measured in Python (NumPy, Numba, SciPy), by name. */
  python?: Record<string, number>;
  note?: string;
  unit?: 'ms' | 'µs';
}

/**
 * Runs a Python benchmark script (`bench/*.py`) that prints one JSON object on its last
 * line; returns null (and says why) when python3 or a module it needs is missing.
 */
export function runPython(scriptUrl: URL, args: string[] = []): Record<string, number> | null {
  const script = fileURLToPath(scriptUrl);
  const r = spawnSync('python3', [script, ...args], { encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) {
    const why = r.error?.message ?? r.stderr.trim().split('\n').pop();
    console.log(`(${script.split('/').pop()} not measured: ${why})`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/**
 * The bench frees what it allocates, as a user with `using` or `free()` would: a `npm run
 * bench` run is one synchronous job, in which the garbage collector never gets to hand heap
 * blocks back (FinalizationRegistry callbacks wait for the event loop), so arrays dropped by
 * one suite would fill the heap for the next and push its arrays onto ordinary buffers.
 */
export function freeResult(r: unknown): void {
  if (Array.isArray(r)) {
    for (const x of r) freeResult(x);
    return;
  }
  if (r !== null && typeof r === 'object' && 'data' in r && 'shape' in r) free(r as NdArray);
}

/** A contender whose call returns fresh numbats arrays: they are freed after each call. */
export function freeing(run: () => unknown): () => void {
  return () => freeResult(run());
}

/** The arrays a suite made for its workloads, freed when the suite ends. */
export class SuiteArrays {
  private readonly list: NdArray[] = [];
  /** Records `a` for {@link SuiteArrays.freeAll}; returns it. */
  keep<T extends NdArray>(a: T): T {
    this.list.push(a);
    return a;
  }
  freeAll(): void {
    for (const a of this.list.splice(0)) free(a);
  }
}
