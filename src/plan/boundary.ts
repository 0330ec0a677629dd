/**
 * Boundary modes as index formulas: where a coordinate `j` outside `[0, n)` reads from.
 * These run only in the border band of a stencil (generated code calls them as `B.<mode>`);
 * the interior never remaps. Each formula is periodic like scipy.ndimage's line extension,
 * so offsets larger than the axis (and axes of length 1) give scipy's values. Shared by the
 * stencil kind (which names the modes and generates `B.<mode>` calls), the `parallel`
 * workers (which receive `BORDER_HELPERS`) and the `gpu` target's fallback.
 */

/**
 * How a stencil reads outside the array, as `scipy.ndimage` names it (`'skip'` is Numba's
 * default). For an axis `a b c d`:
 *
 * - `'skip'`: cells whose neighborhood leaves the array are not computed; they get `cval`
 *   (or keep their value in a given `out`).
 * - `'constant'`: `k k k | a b c d | k k k` with `k = cval`.
 * - `'nearest'`: `a a a | a b c d | d d d`.
 * - `'reflect'`: half-sample symmetric, `c b a | a b c d | d c b`.
 * - `'mirror'`: whole-sample symmetric, `d c b | a b c d | c b a`.
 * - `'wrap'`: periodic, `b c d | a b c d | a b c`.
 *
 * Offsets larger than the axis keep repeating the pattern, as scipy does.
 */
export type Boundary = 'skip' | 'constant' | 'nearest' | 'reflect' | 'mirror' | 'wrap';

/** Every boundary mode, in the order error messages list them. */
export const BOUNDARIES: readonly Boundary[] = [
  'skip',
  'constant',
  'nearest',
  'reflect',
  'mirror',
  'wrap',
];

/** Periodic: `… c d | a b c d | a b …`. */
function wrap(j: number, n: number): number {
  if (j >= 0 && j < n) return j;
  const m = j % n;
  return m < 0 ? m + n : m;
}

/** Half-sample symmetric (period 2n): `… b a | a b c d | d c …`. */
function reflect(j: number, n: number): number {
  if (j >= 0 && j < n) return j;
  const p = 2 * n;
  let m = j % p;
  if (m < 0) m += p;
  return m < n ? m : p - 1 - m;
}

/** Whole-sample symmetric (period 2n - 2): `… c b | a b c d | c b …`; a length-1 axis repeats its element. */
function mirror(j: number, n: number): number {
  if (j >= 0 && j < n) return j;
  if (n === 1) return 0;
  const p = 2 * n - 2;
  let m = j % p;
  if (m < 0) m += p;
  return m < n ? m : p - m;
}

/** Edge value repeated: `a a | a b c d | d d`. */
function nearest(j: number, n: number): number {
  return j < 0 ? 0 : j >= n ? n - 1 : j;
}

/**
 * Checks a computed offset against the declared neighborhood. Generated code calls it
 * before using the offset, so a bad offset is a RangeError instead of a read of some other
 * element (or of `undefined`).
 */
function check(o: number, lo: number, hi: number, axis: number, name: string): number {
  if (o >= lo && o <= hi && Math.trunc(o) === o) return o;
  throw new RangeError(
    `${name}: computed offset ${o} on axis ${axis} is outside the declared neighborhood [${lo}, ${hi}]`,
  );
}

/** The helpers generated stencil code may call, passed in as `B`. */
export const BORDER_HELPERS = { wrap, reflect, mirror, nearest, check };

/** Modes whose out-of-range reads come from inside the array (an index remap). */
export type RemapMode = 'nearest' | 'reflect' | 'mirror' | 'wrap';

/** Source of the index `j` remapped into `[0, n)` by a remapping mode. */
export function remapCode(mode: RemapMode, j: string, n: string): string {
  return `B.${mode}(${j},${n})`;
}

/** The index formula of a mode, for references outside generated code (fallback and tests). */
export function remapIndex(mode: Boundary, j: number, n: number): number {
  switch (mode) {
    case 'wrap':
      return wrap(j, n);
    case 'reflect':
      return reflect(j, n);
    case 'mirror':
      return mirror(j, n);
    case 'nearest':
      return nearest(j, n);
    default:
      // 'constant' and 'skip' have no source element outside the array.
      return j >= 0 && j < n ? j : -1;
  }
}
