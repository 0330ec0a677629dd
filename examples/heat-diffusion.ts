/**
 * Heat diffusion with a 5-point Laplacian: explicit Euler steps
 * `u ← u + α·(u(-1,0) + u(1,0) + u(0,-1) + u(0,1) − 4·u(0,0))` on a plate whose edges are
 * insulated (`boundary: 'nearest'`: no heat crosses them, so the total is conserved) or
 * held at a fixed temperature (`'constant'` with `cval`). α is an extra argument: it
 * arrives as a number, so one compiled stencil serves every α (stable for α ≤ 1/4).
 *
 * Run: npx tsx examples/heat-diffusion.ts
 */
import { fileURLToPath } from 'node:url';
import { type NdArray, type Rel, type Stencil, stencil, zeros } from '../src/index.js';

const step = (u: Rel, alpha: number) =>
  u(0, 0) + alpha * (u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0));

/** One Euler step per boundary condition. */
export const heatStep: Record<'insulated' | 'cold', Stencil<typeof step>> = {
  insulated: stencil(step, { boundary: 'nearest', name: 'heat' }),
  cold: stencil(step, { boundary: 'constant', cval: 0, name: 'heat' }),
};

/** Runs `steps` Euler steps from `u0` (left unchanged), ping-ponging two buffers. */
export function diffuse(
  u0: NdArray,
  steps: number,
  alpha = 0.2,
  edges: 'insulated' | 'cold' = 'insulated',
): NdArray {
  const f = heatStep[edges];
  let cur = f(u0, alpha);
  let next = zeros(u0.shape, 'float64');
  for (let s = 1; s < steps; s++) {
    f(cur, alpha, { out: next });
    [cur, next] = [next, cur];
  }
  return steps === 0 ? u0 : cur;
}

/** A plate at 0 with a hot square (100°) in the middle. */
export function hotSquare(n: number, size = Math.max(1, n >> 3)): NdArray {
  const u = zeros([n, n]);
  const lo = (n - size) >> 1;
  for (let i = lo; i < lo + size; i++) for (let j = lo; j < lo + size; j++) u.set(i, j, 100);
  return u;
}

export function total(u: NdArray): number {
  let s = 0;
  for (let i = 0; i < u.shape[0]; i++) for (let j = 0; j < u.shape[1]; j++) s += u.get(i, j);
  return s;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const u0 = hotSquare(64);
  for (const edges of ['insulated', 'cold'] as const) {
    for (const steps of [0, 100, 1000]) {
      const u = diffuse(u0, steps, 0.2, edges);
      console.log(
        `${edges.padEnd(9)} after ${String(steps).padStart(4)} steps: total heat ${total(u).toFixed(1)}, centre ${u.get(32, 32).toFixed(2)}°`,
      );
    }
  }
}
