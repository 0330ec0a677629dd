/**
 * A fountain of particles with `jitclass`: struct-of-arrays records stepped by one compiled
 * loop per time step, then binned into a density image with a ufunc's `at` (unbuffered, so
 * particles landing in the same pixel all count).
 */
import { asarray, Fields, jitclass, type NdArray, vectorize } from '../../src/index.js';

const G = 9.81;
const spec = { x: 'float64', y: 'float64', vx: 'float64', vy: 'float64' } as const;

class Drop extends Fields(spec) {
  step(dt: number) {
    this.vy -= G * dt;
    this.x += this.vx * dt;
    this.y += this.vy * dt;
    if (this.y < 0) {
      this.y = -this.y * 0.6; // the basin floor returns 60% of the speed
      this.vy = -this.vy * 0.6;
    }
  }
}

export const Drops = jitclass(spec, Drop, { constants: { G } });

/** n drops leaving the nozzle at (0, 0) in a fan of angles and speeds. */
export function fountain(n: number) {
  return Drops.array(n, (i) => {
    const a = Math.PI / 2 + 0.35 * Math.sin(i * 12.9898);
    const v = 9 + 2 * Math.sin(i * 78.233);
    return { x: 0, y: 0, vx: v * Math.cos(a), vy: v * Math.sin(a) };
  });
}

const add = vectorize((a: number, b: number) => a + b, { identity: 0, name: 'add' });
const toPixel = vectorize((v: number, lo: number, scale: number) => Math.floor((v - lo) * scale), {
  name: 'toPixel',
});
const inside = vectorize(
  (r: number, c: number, h: number, w: number) => r >= 0 && r < h && c >= 0 && c < w,
  { name: 'inside' },
);

/** Adds the drops in view to `hist`, an h×w image of x ∈ [-5, 5], y ∈ [0, 6]. */
export function density(drops: ReturnType<typeof fountain>, hist: NdArray): void {
  const [h, w] = hist.shape;
  const cols = toPixel(drops.field('x'), -5, w / 10) as NdArray;
  const rows = toPixel(drops.field('y'), 0, h / 6) as NdArray;
  const ok = inside(rows, cols, h, w) as NdArray;
  const r: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < ok.shape[0]; i++) {
    if (ok.get(i)) {
      r.push(h - 1 - (rows.get(i) as number));
      c.push(cols.get(i) as number);
    }
  }
  // Unbuffered: drops that land in the same pixel each count (NumPy's np.add.at).
  add.at(hist, [asarray(r), asarray(c)], 1);
}
