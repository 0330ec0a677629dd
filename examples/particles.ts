/**
 * Particles under gravity with jitclass: 200 000 particles in struct-of-arrays storage,
 * stepped by one compiled loop per time step (`ps.call('step', …)`), bouncing off the floor
 * and leaving through the walls. The same class also makes ordinary objects (`new
 * Particles({...})`) whose methods run as plain JS, and ufuncs read its columns directly.
 *
 * Run: npx tsx examples/particles.ts
 */
import { Fields, jitclass, toArray, vectorize } from '../src/index.js';

/** Gravity (m/s²): a constant the compiled methods read through `constants`. */
const G = 9.81;

const spec = {
  x: 'float64',
  y: 'float64',
  vx: 'float64',
  vy: 'float64',
  bounces: 'int32',
  alive: 'bool',
} as const;

class Particle extends Fields(spec) {
  /** One explicit Euler step; the floor reflects with restitution `e`, the walls absorb. */
  step(dt: number, e: number) {
    if (!this.alive) return;
    this.vy -= G * dt;
    this.x += this.vx * dt;
    this.y += this.vy * dt;
    if (this.y < 0) {
      this.y = -this.y * e;
      this.vy = -this.vy * e;
      this.bounces++;
    }
    if (this.x < 0 || this.x > 100) this.alive = false;
  }

  get speed() {
    return Math.hypot(this.vx, this.vy);
  }

  /** Mechanical energy per unit mass (0 once the particle has left). */
  energy() {
    return this.alive ? 0.5 * this.speed ** 2 + G * this.y : 0;
  }
}

const Particles = jitclass(spec, Particle, { constants: { G } });

// Deterministic initial state: a fan of launch angles from a tower in the middle.
const N = 200_000;
const launch = (i: number) => {
  const angle = (Math.PI * (i + 0.5)) / N;
  const v = 5 + (i % 13);
  return { x: 50, y: 20, vx: v * Math.cos(angle), vy: v * Math.sin(angle), alive: true };
};
const ps = Particles.array(N, launch);

const add = vectorize((a: number, b: number) => a + b, { identity: 0, name: 'add' });
const total = (a: Parameters<typeof add.reduce>[0]) => add.reduce(a, { axis: null }) as number;
const alive = () => toArray(ps.field('alive')).filter((v) => v === 1).length;

console.log(`${N} particles, energy ${total(ps.call('energy')).toFixed(0)}`);

// A single particle as an ordinary object: same class, same method, plain JS.
const probe = new Particles(launch(0));

const dt = 0.002;
const t0 = performance.now();
const steps = 2000;
for (let s = 1; s <= steps; s++) {
  ps.call('step', dt, 0.8);
  probe.step(dt, 0.8);
  if (s % 500 === 0) {
    console.log(
      `t=${(s * dt).toFixed(1)}s  alive ${alive()}  bounces ${total(ps.field('bounces'))}  ` +
        `energy ${total(ps.call('energy')).toFixed(0)}`,
    );
  }
}
const ms = (performance.now() - t0) / steps;
console.log(`${ms.toFixed(2)} ms per step of ${N} particles (one compiled loop)`);

// The compiled loop and the plain method agree on particle 0.
const p0 = ps.get(0);
console.log(
  `particle 0: compiled (${p0.x.toFixed(6)}, ${p0.y.toFixed(6)}),`,
  `plain JS (${probe.x.toFixed(6)}, ${probe.y.toFixed(6)})`,
);
console.log('\nthe generated loop:\n');
console.log(Particles.inspect('step', dt, 0.8));
