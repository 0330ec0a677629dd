/** Validation of `stencil` options and call options: every mistake fails before any work. */
import type { NdArray } from '../core/array.js';
import { checkOutArray, readCallOptions } from '../core/call-args.js';
import { checkDType, type DType, describe } from '../core/dtypes.js';
import { snapshotOptions } from '../core/guard.js';
import { checkOptionKeys } from '../core/option-keys.js';
import { checkTarget, type TargetOf } from '../targets/registry.js';
import { BOUNDARIES, type Boundary, type Extent, type StencilOptions } from './types.js';

/** Options after validation. */
export interface CheckedOptions {
  /** One mode, or one per axis (length checked against the kernel's ndim later). */
  readonly boundary: Boundary | readonly Boundary[];
  readonly cval: number;
  readonly neighborhood: readonly Extent[] | null;
  readonly dtype: DType | null;
  readonly name: string | null;
  readonly constants: unknown;
  readonly functions: unknown;
  readonly target: TargetOf<'stencil'>;
}

const OPTION_KEYS = new Set([
  'boundary',
  'cval',
  'neighborhood',
  'dtype',
  'name',
  'target',
  'constants',
  'functions',
]);
const CALL_KEYS = new Set(['out', 'cval']);

function checkKeys(o: object, allowed: Set<string>, what: string): void {
  checkOptionKeys(o, allowed, what);
}

function checkBoundary(b: unknown): Boundary {
  if (typeof b !== 'string' || !(BOUNDARIES as readonly string[]).includes(b)) {
    throw new TypeError(
      `boundary must be one of ${BOUNDARIES.map((m) => `'${m}'`).join(', ')} (or an array of them, one per axis); got ${describe(b)}`,
    );
  }
  return b as Boundary;
}

function checkCval(c: unknown, what: string): number {
  if (typeof c === 'boolean') return c ? 1 : 0;
  if (typeof c !== 'number') throw new TypeError(`${what} must be a number; got ${describe(c)}`);
  return c;
}

/** `[[lo, hi], …]` with integer bounds, lo <= hi. */
function checkNeighborhood(n: unknown): Extent[] {
  const bad = (why: string): never => {
    throw new TypeError(
      `neighborhood must be an array of [lo, hi] integer pairs, one per axis (lo <= hi): ${why}`,
    );
  };
  if (!Array.isArray(n)) return bad(`got ${describe(n)}`);
  n = n.slice();
  if ((n as unknown[]).length === 0) return bad('got an empty array');
  return (n as unknown[]).map((p: unknown, a) => {
    if (!Array.isArray(p) || p.length !== 2) return bad(`axis ${a} is ${describe(p)}`);
    const lo: unknown = p[0];
    const hi: unknown = p[1];
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi))
      return bad(`axis ${a} is [${String(lo)}, ${String(hi)}]`);
    if ((lo as number) > (hi as number)) return bad(`axis ${a} has lo ${lo} > hi ${hi}`);
    return [lo as number, hi as number] as const;
  });
}

export function checkStencilOptions(o: unknown): CheckedOptions {
  if (o === undefined) o = {};
  if (o === null || typeof o !== 'object' || Array.isArray(o))
    throw new TypeError('stencil: options must be an object');
  const opts = snapshotOptions(o, 'stencil') as StencilOptions;
  checkKeys(opts, OPTION_KEYS, 'stencil');
  const target = checkTarget(opts.target, 'stencil');
  const raw = opts.boundary ?? 'skip';
  let boundary: Boundary | Boundary[];
  if (Array.isArray(raw)) {
    if (raw.length === 0) throw new TypeError('boundary: an empty array gives no mode');
    boundary = raw.map(checkBoundary);
  } else boundary = checkBoundary(raw);
  if (opts.name !== undefined && typeof opts.name !== 'string')
    throw new TypeError(`name must be a string; got ${describe(opts.name)}`);
  return {
    boundary,
    cval: opts.cval === undefined ? 0 : checkCval(opts.cval, 'cval'),
    neighborhood: opts.neighborhood === undefined ? null : checkNeighborhood(opts.neighborhood),
    dtype: opts.dtype === undefined ? null : checkDType(opts.dtype),
    name: opts.name ?? null,
    constants: opts.constants,
    functions: opts.functions,
    target,
  };
}

/** A call's options after validation. */
export interface CheckedCall {
  readonly out: NdArray | null;
  readonly userOut: NdArray | null;
  readonly cval: number | null;
}

export function checkCallOptions(o: unknown, name: string): CheckedCall {
  const opts = readCallOptions<{ out?: unknown; cval?: unknown }>(o, name, CALL_KEYS);
  if (!opts) return { out: null, userOut: null, cval: null };
  let out: NdArray | null = null;
  let userOut: NdArray | null = null;
  if (opts.out !== undefined && opts.out !== null) {
    // The loops write through a checked copy of the header; the call returns the caller's
    // object. The same check as ufunc and gufunc `out`: an ndarray, no broadcast axis.
    out = checkOutArray(opts.out, `${name}: out`);
    userOut = opts.out as NdArray;
  }
  return {
    out,
    userOut,
    cval: opts.cval === undefined ? null : checkCval(opts.cval, `${name}: cval`),
  };
}
