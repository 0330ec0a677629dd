/**
 * Seeded random arrays that give the same numbers in every JS engine (Node, browsers,
 * workers): the generator is xoshiro128** (Blackman & Vigna) seeded through SplitMix32,
 * written with 32-bit integer operations only, and every transform after it (uniform
 * floats, unbiased integers, normals) uses IEEE basic arithmetic and `Math.sqrt` — never an
 * engine's `Math.log`/`Math.cos`, whose last bits may differ between engines.
 *
 * The streams are numbats' own: the same seed does not give NumPy's numbers (NumPy's
 * PCG64 needs 128-bit arithmetic), but it gives the same numbers everywhere numbats runs.
 */
import { type AllocOptions, type NdArray, zeros } from './array.js';
import { checkDType, type DType, describe, INFO, isInteger, type TypedArray } from './dtypes.js';
import { ValueError } from './errors.js';
import { checkOptionKeys } from './option-keys.js';

/** Options of the random helpers. */
export interface RandomOptions extends AllocOptions {
  /**
   * Seed (an integer from 0 to 2^53 - 1): the same seed gives the same numbers in every
   * engine. Without one, a fresh seed is drawn from `crypto.getRandomValues`.
   */
  seed?: number;
}

/** Options of `random`. */
export interface UniformOptions extends RandomOptions {
  /** 'float64' (53 random bits, the default) or 'float32' (24 bits). */
  dtype?: 'float64' | 'float32';
}

/** Options of `normal`. */
export interface NormalOptions extends UniformOptions {
  /** Mean (default 0). */
  loc?: number;
  /** Standard deviation (default 1, must be >= 0). */
  scale?: number;
}

/** Options of `integers`. */
export interface IntegersOptions extends RandomOptions {
  /** Element type (default int32; any integer dtype, or float64 for ranges beyond 32 bits). */
  dtype?: DType;
  /** Include `high` (default false: values are in `[low, high)`, as NumPy). */
  endpoint?: boolean;
}

/** xoshiro128**: 128 bits of state in four int32 words. */
class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    // SplitMix32 over the seed's low word, then its high word, fills the state: every
    // seed below 2^53 gives its own stream.
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    let a = lo;
    const mix = (): number => {
      a = (a + 0x9e3779b9) | 0;
      let t = a ^ (a >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) | 0;
    };
    this.s0 = mix();
    this.s1 = mix();
    a ^= hi;
    this.s2 = mix();
    this.s3 = mix();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32 random bits, as an unsigned integer. */
  next(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** A float64 in [0, 1) from 53 random bits (the usual (a >> 5, b >> 6) construction). */
  float64(): number {
    const a = this.next() >>> 5;
    const b = this.next() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A float32 value in [0, 1) from 24 random bits. */
  float32(): number {
    return (this.next() >>> 8) / 16777216;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function generator(seed: unknown): Xoshiro128 {
  if (seed === undefined) {
    const w = new Uint32Array(2);
    if (typeof globalThis.crypto?.getRandomValues === 'function')
      globalThis.crypto.getRandomValues(w);
    else {
      w[0] = Math.random() * 4294967296;
      w[1] = Math.random() * 2097152;
    }
    return new Xoshiro128((w[1] & 0x1fffff) * 4294967296 + w[0]);
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new TypeError(`seed must be an integer from 0 to 2^53 - 1; got ${describe(seed)}`);
  }
  return new Xoshiro128(seed);
}

function checkKeys(o: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  if (o === undefined) return {};
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    throw new TypeError(`${what}: options must be an object like { seed: 42 }; got ${describe(o)}`);
  }
  // Not a compiler: no Numba notes.
  checkOptionKeys(o, new Set(keys), what, {});
  return o as Record<string, unknown>;
}

function floatDType(d: unknown, what: string): 'float64' | 'float32' {
  if (d === undefined) return 'float64';
  if (d !== 'float64' && d !== 'float32') {
    throw new TypeError(`${what}: dtype must be 'float64' or 'float32'; got ${describe(d)}`);
  }
  return d;
}

/**
 * Uniform random floats in `[0, 1)` (NumPy's `Generator.random`).
 *
 * @example
 * random([2, 3], { seed: 42 });   // the same 6 numbers in Node and in every browser
 */
export function random(shape: number | readonly number[], options?: UniformOptions): NdArray {
  const o = checkKeys(options, 'random', ['seed', 'dtype', 'shared']);
  const dtype = floatDType(o.dtype, 'random');
  const g = generator(o.seed);
  const a = zeros(shape, dtype, options);
  const d = a.data as TypedArray;
  if (dtype === 'float64') for (let i = 0; i < d.length; i++) d[i] = g.float64();
  else for (let i = 0; i < d.length; i++) d[i] = g.float32();
  return a;
}

const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const SQRT1_2 = Math.SQRT1_2;

/**
 * Natural log of `x` in (0, 1] from basic arithmetic only (so every engine agrees to the
 * bit): x = m·2^e with m in [√½, √2), then log m = 2·atanh(s), s = (m-1)/(m+1), |s| ≤ 0.172,
 * by its series to 12 terms (error below 2^-60 relative), plus e·ln 2 in two parts.
 */
export function portableLog(x: number): number {
  let m = x;
  let e = 0;
  // Exact scalings by powers of two.
  while (m < SQRT1_2) {
    m *= 2;
    e--;
  }
  while (m >= 2 * SQRT1_2) {
    m /= 2;
    e++;
  }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let sum = 0;
  for (let k = 23; k >= 3; k -= 2) sum = (sum + 1 / k) * s2;
  const logm = 2 * s + 2 * s * sum;
  return e * LN2_HI + (logm + e * LN2_LO);
}

/**
 * Normally distributed floats (NumPy's `Generator.normal`): mean `loc`, standard deviation
 * `scale`, by Marsaglia's polar method over the uniform stream.
 *
 * @example
 * normal(1000, { seed: 7, loc: 10, scale: 2 });
 */
export function normal(shape: number | readonly number[], options?: NormalOptions): NdArray {
  const o = checkKeys(options, 'normal', ['seed', 'dtype', 'shared', 'loc', 'scale']);
  const dtype = floatDType(o.dtype, 'normal');
  const loc = o.loc === undefined ? 0 : o.loc;
  const scale = o.scale === undefined ? 1 : o.scale;
  if (typeof loc !== 'number' || !Number.isFinite(loc)) {
    throw new TypeError(`normal: loc must be a finite number; got ${describe(loc)}`);
  }
  if (typeof scale !== 'number' || !(scale >= 0) || !Number.isFinite(scale)) {
    throw new ValueError(`normal: scale must be a finite number >= 0; got ${describe(scale)}`);
  }
  const g = generator(o.seed);
  const a = zeros(shape, dtype, options);
  const d = a.data as TypedArray;
  for (let i = 0; i < d.length; ) {
    let u: number;
    let v: number;
    let r: number;
    do {
      u = 2 * g.float64() - 1;
      v = 2 * g.float64() - 1;
      r = u * u + v * v;
    } while (r >= 1 || r === 0);
    const f = Math.sqrt((-2 * portableLog(r)) / r);
    d[i++] = loc + scale * u * f;
    if (i < d.length) d[i++] = loc + scale * v * f;
  }
  return a;
}

/**
 * Uniform random integers in `[low, high)` (`[low, high]` with `endpoint: true`), without
 * modulo bias (NumPy's `Generator.integers`). Default dtype int32.
 *
 * @example
 * integers(0, 6, 10, { seed: 1 });   // ten dice rolls, 0..5
 */
export function integers(
  low: number,
  high: number,
  shape: number | readonly number[],
  options?: IntegersOptions,
): NdArray {
  const o = checkKeys(options, 'integers', ['seed', 'dtype', 'shared', 'endpoint']);
  const dtype = o.dtype === undefined ? 'int32' : checkDType(o.dtype);
  if (!isInteger(dtype) && dtype !== 'float64') {
    throw new TypeError(`integers: dtype must be an integer dtype or float64; got '${dtype}'`);
  }
  for (const [name, v] of [
    ['low', low],
    ['high', high],
  ] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      throw new TypeError(`integers: ${name} must be an integer; got ${describe(v)}`);
    }
  }
  const endpoint = o.endpoint === true;
  const top = endpoint ? high : high - 1;
  if (low > top) throw new ValueError(endpoint ? 'low > high' : 'low >= high');
  const info = INFO[dtype];
  if (low < info.min) throw new ValueError(`low is out of bounds for ${dtype}`);
  if (top > info.max) throw new ValueError(`high is out of bounds for ${dtype}`);
  const range = top - low + 1;
  if (range > 2 ** 53) throw new ValueError('integers: high - low must be at most 2^53');
  const g = generator(o.seed);
  const a = zeros(shape, dtype, options);
  const d = a.data as TypedArray;
  if (range <= 4294967296) {
    // Rejection keeps every value equally likely: draws at or above the largest multiple
    // of `range` below 2^32 are redrawn.
    const limit = 4294967296 - (4294967296 % range);
    for (let i = 0; i < d.length; i++) {
      let u = g.next();
      while (u >= limit) u = g.next();
      d[i] = low + (u % range);
    }
  } else {
    const limit = 9007199254740992 - (9007199254740992 % range);
    for (let i = 0; i < d.length; i++) {
      let u: number;
      do u = (g.next() >>> 5) * 67108864 + (g.next() >>> 6);
      while (u >= limit);
      d[i] = low + (u % range);
    }
  }
  return a;
}
