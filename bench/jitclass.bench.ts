/**
 * jitclass workloads: `.call('step', dt)` over 1e6 records (struct-of-arrays columns), the
 * same method on 1e6 plain JS objects, and a hand-written loop over separate Float64Arrays
 * (a function taking them as parameters), timed side by side. Numba's jitclass (a class
 * holding column arrays, its method looping over them) and NumPy (whole-column
 * expressions) come from jitclass_bench.py in the same run when python3 has them.
 */
import { Fields, jitclass } from '../src/index.js';
import { type Row, runPython, sideBySide } from './harness.js';

const spec = { x: 'float64', y: 'float64', vx: 'float64', vy: 'float64' } as const;

/** The methods: compiled by jitclass, and inherited as-is by the plain-object class. */
class Body extends Fields(spec) {
  step(dt: number) {
    this.x += this.vx * dt;
    this.y += this.vy * dt;
  }
  fall(dt: number, g: number) {
    this.vy -= g * dt;
    this.x += this.vx * dt;
    this.y += this.vy * dt;
    if (this.y < 0) {
      this.y = -this.y;
      this.vy = -0.9 * this.vy;
    }
  }
}

/** The same records as ordinary JS objects (own data properties, methods from Body). */
class PlainBody extends Body {
  constructor(x: number, y: number, vx: number, vy: number) {
    super();
    this.x = x;
    this.y = y;
    this.vx = vx;
    this.vy = vy;
  }
}

function handStep(
  x: Float64Array,
  y: Float64Array,
  vx: Float64Array,
  vy: Float64Array,
  n: number,
  dt: number,
) {
  for (let i = 0; i < n; i++) {
    x[i] += vx[i] * dt;
    y[i] += vy[i] * dt;
  }
}

function handFall(
  x: Float64Array,
  y: Float64Array,
  vx: Float64Array,
  vy: Float64Array,
  n: number,
  dt: number,
  g: number,
) {
  for (let i = 0; i < n; i++) {
    vy[i] -= g * dt;
    x[i] += vx[i] * dt;
    y[i] += vy[i] * dt;
    if (y[i] < 0) {
      y[i] = -y[i];
      vy[i] = -0.9 * vy[i];
    }
  }
}

const fmt = (v: number) => v.toFixed(2).padStart(8);

export function jitclassBenchmarks(rounds: number): Row[] {
  const N = 1_000_000;
  const Particle = jitclass(spec, Body);
  const init = (i: number) => ({
    x: i % 1000,
    y: 1 + ((i * 7) % 100),
    vx: Math.sin(i),
    vy: Math.cos(i),
  });
  const ps = Particle.array(N, init);
  const objs = Array.from({ length: N }, (_, i) => {
    const r = init(i);
    return new PlainBody(r.x, r.y, r.vx, r.vy);
  });
  const cols = (['x', 'y', 'vx', 'vy'] as const).map((f) => Float64Array.from(ps.field(f).data));
  const [x, y, vx, vy] = cols;

  const rows: Row[] = [];
  const workload = (
    key: string,
    label: string,
    numbats: () => void,
    hand: () => void,
    plain: () => void,
  ) => {
    const t = sideBySide(
      [
        { name: 'numbats', run: numbats },
        { name: 'hand', run: hand },
        { name: 'objects', run: plain },
      ],
      rounds,
    );
    const [nb, hd, ob] = t.map((r) => r.medianMs);
    console.log(
      `${label.padEnd(34)} numbats ${fmt(nb)} ms | hand ${fmt(hd)} ms (${(nb / hd).toFixed(2)}x) | plain objects ${fmt(ob)} ms (${(nb / ob).toFixed(2)}x)`,
    );
    rows.push({
      key,
      workload: label,
      numbats: nb,
      hand: hd,
      note: `1e6 plain JS objects, same method: ${ob.toFixed(2)} ms (numbats ${(nb / ob).toFixed(2)}x)`,
    });
    // The same comparison as its own row, so the table's ratio column shows it.
    rows.push({
      key: `${key}Objects`,
      workload: `${label}: vs 1e6 plain objects`,
      numbats: nb,
      hand: ob,
    });
  };

  workload(
    'jitStep',
    "jitclass .call('step', dt), 1e6",
    () => ps.call('step', 1e-3),
    () => handStep(x, y, vx, vy, N, 1e-3),
    () => {
      for (const o of objs) o.step(1e-3);
    },
  );
  workload(
    'jitFall',
    "jitclass .call('fall', dt, g), 1e6",
    () => ps.call('fall', 1e-3, 9.81),
    () => handFall(x, y, vx, vy, N, 1e-3, 9.81),
    () => {
      for (const o of objs) o.fall(1e-3, 9.81);
    },
  );

  console.log('running the Python side (jitclass_bench.py)…');
  const py = runPython(new URL('./jitclass_bench.py', import.meta.url), [String(rounds)]);
  if (py) {
    for (const r of rows) {
      const peers: Record<string, number> = {};
      for (const peer of ['NumPy', 'Numba']) {
        const v = py[`${r.key}.${peer}`];
        if (v !== undefined) peers[peer] = v;
      }
      if (Object.keys(peers).length) r.python = peers;
    }
  }
  return rows;
}
