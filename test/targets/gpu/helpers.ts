/** Shared pieces of the gpu target tests: backend list, float32 comparisons. */
import { expect } from 'vitest';
import { dtypeOf, isNdarray, type NdArray, toArray } from '../../../src/core/array.js';
import { INFO } from '../../../src/core/dtypes.js';
import { type GpuBackend, gpuStatus } from '../../../src/index.js';

export const BACKENDS: readonly GpuBackend[] = ['webasm', 'headlessgl'];

const status = gpuStatus();
/** Whether a backend can run in this process. */
export const available = (b: GpuBackend): boolean => status.available[b];

/** Logs once per file which backends run and why (the test output says what was exercised). */
export function logBackends(file: string): void {
  const gl = status.available.headlessgl
    ? 'headlessgl available'
    : `headlessgl NOT available (${status.reason}); its tests do not run here`;
  console.log(`[numbats gpu:${file}] webasm available: ${status.available.webasm}; ${gl}`);
}

/** fast-check runs per property (GLSL compiles cost ~50 ms each, wasm ones ~2 ms); NUMBATS_GPU_RUNS overrides. */
export const gpuRuns = (b: GpuBackend): { numRuns: number } => ({
  numRuns: Number(process.env.NUMBATS_GPU_RUNS) || (b === 'headlessgl' ? 20 : 40),
});

/**
 * gpu (float32) equals cpu within float32 tolerance: integer and bool results exactly,
 * float results within 1e-5 relative to the result plus 2e-6 of `scale` (the inputs'
 * magnitude: float32 rounding of the operands is relative to them, not to the result).
 */
export function expectClose(gpu: unknown, cpu: unknown, scale = 1): void {
  if (!isNdarray(cpu)) {
    expect(typeof gpu).toBe('number');
    expectValuesClose([gpu as number], [cpu as number], 'float64', scale);
    return;
  }
  expect(isNdarray(gpu)).toBe(true);
  const g = gpu as NdArray;
  const c = cpu as NdArray;
  expect(g.shape).toEqual(c.shape);
  expect(dtypeOf(g)).toBe(dtypeOf(c));
  expectValuesClose(toArray(g), toArray(c), dtypeOf(c), scale);
}

function expectValuesClose(g: number[], c: number[], dtype: string, scale: number): void {
  const exact = INFO[dtype as keyof typeof INFO].kind !== 'f';
  for (let i = 0; i < c.length; i++) {
    const a = g[i];
    const b = c[i];
    if (Number.isNaN(b) && Number.isNaN(a)) continue;
    const tol = exact ? 0 : 1e-5 * Math.abs(b) + 2e-6 * scale;
    if (!(Math.abs(a - b) <= tol) && a !== b) {
      throw new Error(`element ${i}: gpu ${a} vs cpu ${b} (tolerance ${tol}, dtype ${dtype})`);
    }
  }
}

/** The largest magnitude in some arrays (1 at least). */
export function magnitude(...arrays: NdArray[]): number {
  let m = 1;
  for (const a of arrays) for (const v of toArray(a)) if (Math.abs(v) > m) m = Math.abs(v);
  return m;
}
