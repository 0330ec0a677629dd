/**
 * The kernels the ufunc property tests run, each with its expected result type (an
 * independent restatement of the kernel's typing) and the scalar reference function the
 * naive references call on values already cast to that type.
 */
import fc from 'fast-check';
import { type DType, resultType, vectorize } from '../../src/index.js';
import type { RefFn } from '../../src/testing/index.js';
import { arith } from '../support.js';

export interface BinaryKernel {
  readonly name: string;
  readonly u: ReturnType<typeof vectorize<(a: number, b: number) => number>>;
  /** Result type of the kernel for parameter types (a, b). */
  type(a: DType, b: DType): DType;
  /** Reference for operands of type `t` (already cast), result stored as `t`. */
  ref(t: DType): RefFn;
  /** Multi-axis reductions fold in any order. */
  readonly reorderable: boolean;
  /** Numeric identity, if any. */
  readonly identity: number | null;
}

const plainMul = (x: number, y: number) => x * y;

export const add: BinaryKernel = {
  name: 'add',
  u: vectorize((a: number, b: number) => a + b, { name: 'add', identity: 0 }),
  type: arith,
  ref: () => (x, y) => x + y,
  reorderable: true,
  identity: 0,
};

export const sub: BinaryKernel = {
  name: 'sub',
  u: vectorize((a: number, b: number) => a - b, { name: 'sub' }),
  type: arith,
  ref: () => (x, y) => x - y,
  reorderable: false,
  identity: null,
};

export const mul: BinaryKernel = {
  name: 'mul',
  u: vectorize((a: number, b: number) => a * b, { name: 'mul', identity: 1 }),
  type: arith,
  // A 32-bit product can exceed 2^53: the reference wraps it exactly, like C.
  ref: (t) => (t === 'int32' || t === 'uint32' ? Math.imul : plainMul),
  reorderable: true,
  identity: 1,
};

export const max: BinaryKernel = {
  name: 'max',
  u: vectorize((a: number, b: number) => Math.max(a, b), {
    name: 'max',
    identity: 'reorderable',
  }),
  type: resultType,
  ref: () => Math.max,
  reorderable: true,
  identity: null,
};

export const BINARY: readonly BinaryKernel[] = [add, sub, mul, max];

export interface UnaryKernel {
  readonly name: string;
  readonly u: ReturnType<typeof vectorize<(a: number) => number>>;
  type(a: DType): DType;
  ref(t: DType): RefFn;
}

/** The float type `Math` functions give, as Numba's `math` module: integers of any width float64. */
export function floatOf(t: DType): DType {
  return t === 'float32' || t === 'float64' ? t : 'float64';
}

export const UNARY: readonly UnaryKernel[] = [
  {
    name: 'neg',
    u: vectorize((a: number) => -a, { name: 'neg' }),
    type: (t) => (t === 'bool' ? 'int32' : t),
    ref: () => (x) => -x,
  },
  {
    name: 'abs',
    u: vectorize((a: number) => Math.abs(a), { name: 'abs' }),
    type: (t) => (t === 'bool' ? 'int32' : t),
    ref: () => Math.abs,
  },
  {
    name: 'sqrt',
    u: vectorize((a: number) => Math.sqrt(a), { name: 'sqrt' }),
    type: floatOf,
    ref: () => Math.sqrt,
  },
];

// Counterexamples print kernels by name.
for (const k of [...BINARY, ...UNARY]) {
  Object.defineProperty(k, fc.toStringMethod, { value: () => k.name });
}
