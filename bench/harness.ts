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
