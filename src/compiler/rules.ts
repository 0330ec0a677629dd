/**
 * Scalar typing rules, as a value the walker (`walker.ts`) is given: the kernel kinds type
 * with NumPy 2's promotion and weak Python scalars (`NUMPY_RULES`), `jit` with Numba's
 * (`jit/types.ts`). Everything else about a walk (scopes, statements, arrays, errors) is
 * shared, so the two languages differ only where their typing does.
 */
import type { ArrayType, Expr, Ty } from './ir.js';
import { cast, isWeak } from './ir.js';
import { arithTy, bitTy, divTy, floatOf, join, type MathKind, shiftTy } from './types.js';

/** The type of a local: a scalar, or (in a whole function) an array. */
export type LocalType = Ty | ArrayType;

/** How one language types numbers. Each hook gives a result type; the walker inserts the casts. */
export interface ScalarRules {
  /** A number literal (and a captured numeric constant). */
  literal(v: number): Ty;
  /** `NaN`, `Infinity` and the `Math`/`Number` constants. */
  readonly floatConst: Ty;
  /** An array's extents: `a.shape[k]`, `a.size`, `a.ndim`. */
  readonly size: Ty;
  /**
   * True when `wint`/`wfloat` are NumPy's weak Python scalars: `Math.min`/`max` then compare
   * them by exact value before the result takes the strong type.
   */
  readonly weakScalars: boolean;
  /** Branches of `?:`, sides of `&&`/`||`, arguments of `Math.min`/`max`. */
  join(a: Ty, b: Ty): Ty;
  /** `+ - * % **` (and the step of `++`/`--`, typed as `x + 1`). */
  arith(a: Ty, b: Ty): Ty;
  /** True division. */
  div(a: Ty, b: Ty): Ty;
  /** `& | ^`. */
  bit(a: Ty, b: Ty): Ty;
  /** `<< >> >>>`: the left operand is cast to the result, the count is not. */
  shift(op: string, l: Ty): Ty;
  /** The type both sides of a comparison are cast to, or undefined to compare exact values. */
  compareAs(l: Ty, r: Ty): Ty | undefined;
  /** `-x`, `+x`, and the `Math` functions that keep their argument's type (`abs`, `floor`). */
  unary(t: Ty): Ty;
  /** `~x`. */
  bitNot(t: Ty): Ty;
  /** `Math` functions with a float result (`sqrt`, `atan2`). */
  float(t: Ty): Ty;
  /** The type of a local assigned both `a` and `b`, or undefined when none holds both. */
  unify(a: LocalType, b: LocalType): LocalType | undefined;
  /** A type's name in error messages. */
  name(t: LocalType): string;
}

/** The weak type of a JS number literal. */
export function literalTy(v: number): Ty {
  return Number.isInteger(v) && Math.abs(v) <= 2 ** 53 && !Object.is(v, -0) ? 'wint' : 'wfloat';
}

/** NumPy 2's rules with weak literals: the kernels of vectorize, guvectorize, stencil, jitclass. */
export const NUMPY_RULES: ScalarRules = {
  literal: literalTy,
  floatConst: 'wfloat',
  size: 'wint',
  weakScalars: true,
  join,
  arith: arithTy,
  div: divTy,
  bit: bitTy,
  shift: shiftTy,
  // Compare exact JS values; only float32 rounds its partner (NumPy 2 compares Python ints exactly).
  compareAs: (l, r) => (join(l, r) === 'float32' ? 'float32' : undefined),
  unary: (t) => (t === 'bool' ? 'int32' : t),
  bitNot: (t) => {
    const ty = bitTy(t, t);
    return ty === 'bool' ? 'int32' : ty;
  },
  float: floatOf,
  // Kernel locals are scalars, and any two scalar types join.
  unify: (a, b) => join(a as Ty, b as Ty),
  name: (t) => String(t),
};

/** A `Math.*`/`Number.*` call of `kind`, typed by `rules`. */
export function mathCall(rules: ScalarRules, kind: MathKind, fn: string, args: Expr[]): Expr {
  switch (kind) {
    case 'same': {
      const t = rules.unary(args[0].ty);
      return { k: 'math', fn, args: [cast(args[0], t)], ty: t };
    }
    case 'float1': {
      const t = rules.float(args[0].ty);
      return { k: 'math', fn, args: [cast(args[0], t)], ty: t };
    }
    case 'float2': {
      const t = rules.float(rules.join(args[0].ty, args[1].ty));
      return { k: 'math', fn, args: args.map((a) => cast(a, t)), ty: t };
    }
    case 'minmax': {
      if (args.length === 0) {
        const v = fn === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
        return { k: 'const', value: v, ty: rules.literal(v) };
      }
      const t = args.map((a) => a.ty).reduce((a, b) => rules.join(a, b));
      if (!rules.weakScalars) return { k: 'math', fn, args: args.map((a) => cast(a, t)), ty: t };
      // Weak arguments are compared by their exact value, then the result takes `t`.
      const call: Expr = {
        k: 'math',
        fn,
        args: args.map((a) => (isWeak(a.ty) ? a : cast(a, t))),
        ty: t,
      };
      return args.some((a) => isWeak(a.ty)) && !isWeak(t)
        ? { k: 'cast', arg: { ...call, ty: 'float64' }, ty: t }
        : call;
    }
    case 'fround':
      return { k: 'math', fn, args, ty: 'float32' };
    case 'int32':
      return { k: 'math', fn, args, ty: 'int32' };
    case 'random':
      return { k: 'math', fn, args, ty: 'float64' };
    case 'predicate':
      return { k: 'math', fn, args, ty: 'bool' };
  }
}
