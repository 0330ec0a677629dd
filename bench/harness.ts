import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A small side-by-side timer: contenders of one workload run round-robin (so drifting
 * memory bandwidth hits them alike), and each reports its median.
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

/** Runs every contender `rounds` times (after `warmup` untimed rounds), interleaved. */
export function sideBySide(
  contenders: Contender[],
  rounds: number,
  warmup = 2,
  inner = 1,
): Timing[] {
  for (let w = 0; w < warmup; w++)
    for (const c of contenders) for (let k = 0; k < inner; k++) c.run();
  const times = contenders.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    contenders.forEach((c, i) => {
      const t0 = performance.now();
      for (let k = 0; k < inner; k++) c.run();
      times[i].push((performance.now() - t0) / inner);
    });
  }
  return contenders.map((c, i) => ({ name: c.name, medianMs: median(times[i]) }));
}

/** One line of the report. Times in ms; `unit: 'µs'` prints them as microseconds. */
export interface Row {
  /** Stable id of the workload (also the key in the Python side's JSON). */
  key: string;
  workload: string;
  numbats: number;
  hand: number;
  ndarrayOps?: number;
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
