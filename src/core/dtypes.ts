/**
 * The dtypes numbats knows, their storage, and NumPy 2's promotion and casting rules
 * restricted to them. There is no 64-bit integer: where NumPy would promote to int64
 * (uint32 with a signed integer) numbats promotes to float64, which holds every such
 * value exactly for addition and comparison.
 */

/** Element types of numbats arrays. `bool` is stored in a Uint8Array subclass as 0/1. */
export type DType =
  | 'float64'
  | 'float32'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint8_clamped'
  | 'bool';

/** Every dtype, in a fixed order (also the order used by tests). */
export const DTYPES: readonly DType[] = [
  'bool',
  'int8',
  'uint8',
  'uint8_clamped',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'float32',
  'float64',
];

/**
 * Storage for `bool` arrays: a Uint8Array holding 0/1. It is a distinct class so that the
 * dtype survives every ndarray view (`pick`, `transpose`, `step`, …), which all share `data`.
 */
export class BoolArray extends Uint8Array {}

/** Any TypedArray numbats stores elements in. */
export type TypedArray =
  | Float64Array
  | Float32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Uint8ClampedArray;

type TypedArrayCtor = {
  new (length: number): TypedArray;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): TypedArray;
  readonly BYTES_PER_ELEMENT: number;
};

/** The TypedArray constructor storing each dtype. */
export const STORAGE: Readonly<Record<DType, TypedArrayCtor>> = {
  float64: Float64Array,
  float32: Float32Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint8_clamped: Uint8ClampedArray,
  bool: BoolArray,
};

/** Kind letters as in NumPy: b(ool), u(nsigned), i(nteger), f(loat). */
export type Kind = 'b' | 'u' | 'i' | 'f';

interface DTypeInfo {
  readonly kind: Kind;
  readonly bits: number;
  readonly min: number;
  readonly max: number;
}

export const INFO: Readonly<Record<DType, DTypeInfo>> = {
  bool: { kind: 'b', bits: 1, min: 0, max: 1 },
  int8: { kind: 'i', bits: 8, min: -128, max: 127 },
  uint8: { kind: 'u', bits: 8, min: 0, max: 255 },
  uint8_clamped: { kind: 'u', bits: 8, min: 0, max: 255 },
  int16: { kind: 'i', bits: 16, min: -32768, max: 32767 },
  uint16: { kind: 'u', bits: 16, min: 0, max: 65535 },
  int32: { kind: 'i', bits: 32, min: -2147483648, max: 2147483647 },
  uint32: { kind: 'u', bits: 32, min: 0, max: 4294967295 },
  float32: { kind: 'f', bits: 32, min: -3.4028234663852886e38, max: 3.4028234663852886e38 },
  float64: { kind: 'f', bits: 64, min: -Number.MAX_VALUE, max: Number.MAX_VALUE },
};

export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && Object.hasOwn(STORAGE, x);
}

/** Throws a TypeError naming the valid dtypes when `x` is not one. */
export function checkDType(x: unknown, what = 'dtype'): DType {
  if (!isDType(x)) {
    throw new TypeError(`${what} must be one of ${DTYPES.join(', ')}; got ${describe(x)}`);
  }
  return x;
}

/** A short, safe description of an arbitrary user value for error messages. */
export function describe(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (x === null || x === undefined || typeof x !== 'object') return String(x);
  return Object.prototype.toString.call(x);
}

export function isInteger(t: DType): boolean {
  const k = INFO[t].kind;
  return k === 'i' || k === 'u';
}

export function isFloat(t: DType): boolean {
  return INFO[t].kind === 'f';
}

/** Treats uint8_clamped as uint8 except when both sides are clamped. */
function plain(t: DType): DType {
  return t === 'uint8_clamped' ? 'uint8' : t;
}

const SIGNED_BY_BITS: Record<number, DType> = { 8: 'int8', 16: 'int16', 32: 'int32' };
const UNSIGNED_BY_BITS: Record<number, DType> = { 8: 'uint8', 16: 'uint16', 32: 'uint32' };

/** NumPy 2 `result_type` of two dtypes (int64 replaced by float64, see the module note). */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'bool') return b;
  if (b === 'bool') return a;
  const pa = plain(a);
  const pb = plain(b);
  if (pa === pb) return pa;
  const ia = INFO[pa];
  const ib = INFO[pb];
  if (ia.kind === 'f' || ib.kind === 'f') {
    if (ia.kind === 'f' && ib.kind === 'f') return ia.bits >= ib.bits ? pa : pb;
    const [f, n] = ia.kind === 'f' ? [pa, ib] : [pb, ia];
    // float32 holds int8/int16 (and unsigned) exactly; wider integers need float64.
    if (f === 'float32' && n.bits <= 16) return 'float32';
    return 'float64';
  }
  if (ia.kind === ib.kind) return ia.bits >= ib.bits ? pa : pb;
  const [u, s] = ia.kind === 'u' ? [ia, ib] : [ib, ia];
  if (s.bits > u.bits) return SIGNED_BY_BITS[s.bits];
  if (u.bits >= 32) return 'float64';
  return SIGNED_BY_BITS[u.bits * 2];
}

/** `result_type` over several dtypes. */
export function promoteAll(types: readonly DType[]): DType {
  // Integers (and bool) fold pairwise; floats are combined last, so the result does not
  // depend on the order: NumPy gives float32 for (int16, uint16, float32), where a
  // left-to-right fold would first make int32 and then float64.
  let ints: DType | undefined;
  let floats: DType | undefined;
  for (const t of types) {
    if (INFO[t].kind === 'f') floats = floats === undefined ? t : promote(floats, t);
    else ints = ints === undefined ? t : promote(ints, t);
  }
  if (floats === undefined) return ints!;
  return ints === undefined ? floats : promote(ints, floats);
}

/** NumPy's `can_cast(from, to, 'safe')`: every value of `from` is representable in `to`. */
export function canCastSafely(from: DType, to: DType): boolean {
  if (from === to) return true;
  return promote(plain(from), plain(to)) === plain(to) && (from !== 'uint32' || to !== 'int32');
}

const KIND_RANK: Record<Kind, number> = { b: 0, u: 1, i: 2, f: 3 };

/** NumPy's `can_cast(from, to, 'same_kind')`: safe, or within a kind (float64→float32). */
export function canCastSameKind(from: DType, to: DType): boolean {
  return canCastSafely(from, to) || KIND_RANK[INFO[from].kind] <= KIND_RANK[INFO[to].kind];
}

/** The unsigned/signed integer dtype of a width (used by type inference). */
export function intOfBits(bits: number, signed: boolean): DType {
  return (signed ? SIGNED_BY_BITS : UNSIGNED_BY_BITS)[bits];
}
