/**
 * The typed intermediate form of a kernel, shared by every target. Type inference
 * (`infer.ts`) produces it from the parsed source; lowering (`emit-js.ts`, and later the
 * worker, gpu.js and WebAssembly targets) turns it into code. Every implicit conversion is
 * an explicit `cast` node, so a lowering never has to re-derive NumPy's promotion rules.
 */
import type { DType } from '../core/dtypes.js';

/**
 * A value type: a dtype, or a weak JS literal type. Weak values (`wint`: an integer-valued
 * literal, `wfloat`: any other number) take the dtype of what they meet, like Python
 * scalars in NumPy 2. Weak arithmetic is plain double arithmetic.
 */
export type Ty = DType | 'wint' | 'wfloat';

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '**' | '&' | '|' | '^' | '<<' | '>>' | '>>>';
export type CompareOp = '<' | '<=' | '>' | '>=' | '===' | '!==';

export type Expr =
  /** A number known at compile time (literal, `Math.PI`, a captured constant). */
  | { k: 'const'; value: number; ty: Ty }
  /** A local variable (kernel parameters are locals 0..nparams-1). */
  | { k: 'local'; id: number; ty: Ty }
  /** `l op r`; both operands already cast to `ty`, except shift counts (int32). */
  | { k: 'binary'; op: BinaryOp; l: Expr; r: Expr; ty: Ty }
  /** Comparison; operands cast to a common type where that matters. Result is bool (0/1). */
  | { k: 'compare'; op: CompareOp; l: Expr; r: Expr; ty: 'bool' }
  /** `&&`/`||` with JS value semantics; both sides cast to `ty`. */
  | { k: 'logical'; op: '&&' | '||'; l: Expr; r: Expr; ty: Ty }
  /** `-x`, `+x`, `~x` (operand cast to `ty`) and `!x` (bool). */
  | { k: 'unary'; op: '-' | '+' | '~' | '!'; arg: Expr; ty: Ty }
  /** `test ? a : b`, branches cast to `ty`. */
  | { k: 'cond'; test: Expr; a: Expr; b: Expr; ty: Ty }
  /** A `Math.*`/`Number.*` function; arguments cast to the function's operand type. */
  | { k: 'math'; fn: string; args: Expr[]; ty: Ty }
  /** Conversion of a value to another type (wrap, round to float32, 0/1 for bool, …). */
  | { k: 'cast'; arg: Expr; ty: Ty }
  /** Assignment to a local, as an expression (`x = v`, `x += v` already expanded). */
  | { k: 'assign'; id: number; value: Expr; ty: Ty }
  /** `++x`, `x--`, …: `prefix` tells whether the new or the old value is the result. */
  | { k: 'update'; id: number; delta: 1 | -1; prefix: boolean; ty: Ty }
  /** `a, b, c`: evaluates every item, value of the last. */
  | { k: 'seq'; items: Expr[]; ty: Ty }
  /**
   * A construct added by a capability's KernelExtension (view access, stencil accessor,
   * record field). `op` names it; `data` carries what its lowering needs (`ExtPayloads`).
   */
  | ExtNode
  /** A free variable read in the `cpu` fallback (the kernel is then called as a function). */
  | { k: 'free'; name: string; ty: 'float64' }
  /** Element read `a.get(i, j)` of the array local `arr`: one integer index per axis. */
  | { k: 'load'; arr: number; index: Expr[]; check: boolean; ty: Ty }
  /** Element write `a.set(i, j, v)`; `value` has the array's element type (a TypedArray store converts it). */
  | { k: 'store'; arr: number; index: Expr[]; value: Expr; check: boolean; ty: Ty }
  /** `a.shape[axis]` (axis already resolved) or, with `axis: -1`, `a.size`. */
  | { k: 'dim'; arr: number; axis: number; ty: Ty }
  /** A call of a compiled helper (`functions` option): `callee` indexes the kernel's callee table. */
  | { k: 'call'; callee: number; args: Value[]; ty: Ty };

/**
 * What the extension node of each `op` carries, by op name. The map is open: the module
 * that defines an op adds it by declaration merging, so the compiler names no kind:
 *
 *     declare module '../compiler/ir.js' {
 *       interface ExtPayloads { rel: RelData }
 *     }
 *
 * Targets that lower an op import the module declaring it (a `plan/` module, never a kind).
 * An op without a payload maps to `undefined`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging, one op per member
export interface ExtPayloads {}

/** The name of an extension op. */
export type ExtOp = keyof ExtPayloads;

/** The extension node of one op; `data` has that op's payload type. */
export interface ExtNodeOf<O extends ExtOp> {
  k: 'ext';
  op: O;
  args: Expr[];
  data: ExtPayloads[O];
  ty: Ty;
  /**
   * Set by the extension that made the node when its lowering can throw part-way through a
   * loop (a stencil read at a computed offset checks it against the neighborhood as it
   * runs). Calls with such a kernel and an `out` stage the results (`kernelMayThrow`).
   */
  mayThrow?: boolean;
}

/** Any extension node: testing `op` narrows `data`. */
export type ExtNode = { [O in ExtOp]: ExtNodeOf<O> }[ExtOp];

/** Layout class of an array value: C-contiguous (`[:, ::1]`) or any strides (`[:, :]`). */
export type Layout = 'C' | 'A';

/** The static type of an array value: Numba's `float64[:, ::1]`. */
export interface ArrayType {
  readonly dtype: DType;
  readonly ndim: number;
  readonly layout: Layout;
}

/**
 * Array-valued expressions. Arrays are values of the IR: they are allocated, held in array
 * locals, passed to helpers and returned. Every array operation names an array local, so a
 * lowering can keep an array's data, offset, shape and strides in scalar variables.
 */
export type ArrayExpr =
  /** The array held by local `id`. */
  | { k: 'alocal'; id: number; ty: ArrayType }
  /** `zeros`/`empty`/`full`: a new C-contiguous array; `fill` (already of `ty.dtype`) or zeros. */
  | { k: 'alloc'; shape: Expr[]; fill: Expr | null; ty: ArrayType };

/** A value a whole function passes or returns: a scalar or an array. */
export type Value = Expr | ArrayExpr;

/** True for an array-valued expression. */
export function isArrayExpr(v: Value): v is ArrayExpr {
  return v.k === 'alocal' || v.k === 'alloc';
}

export type Stmt =
  | { k: 'let'; id: number; init: Expr | null }
  | { k: 'expr'; e: Expr }
  | { k: 'if'; test: Expr; cons: Stmt[]; alt: Stmt[] | null }
  | { k: 'for'; init: Stmt[]; test: Expr | null; update: Expr | null; body: Stmt[] }
  | { k: 'while'; test: Expr; body: Stmt[] }
  | { k: 'dowhile'; body: Stmt[]; test: Expr }
  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'return'; values: Expr[] }
  | { k: 'block'; body: Stmt[] }
  /** Declares (`decl`) or assigns the array local `id`. */
  | { k: 'aset'; id: number; value: ArrayExpr; decl: boolean }
  /**
   * A counted loop `for (const i of range(start, stop, step))`: `stop` and `step` are read
   * once; the body cannot change the count. `parallel` marks a `prange`, so a target may
   * split the iterations; every other loop runs in order.
   */
  | {
      k: 'range';
      id: number;
      start: Expr;
      stop: Expr;
      step: Expr;
      parallel: boolean;
      body: Stmt[];
    }
  /** A whole function's return: numbers, booleans and arrays (several values: a tuple). */
  | { k: 'result'; values: Value[]; tuple: boolean };

/** A kernel after type inference for one combination of parameter types. */
export interface TypedKernel {
  /** Parameter types as given to inference. */
  readonly paramTypes: readonly DType[];
  /** Type of every local, by id (parameters first). Weak types stay weak. */
  readonly localTypes: readonly Ty[];
  /** Source-level names of locals, by id (for comments in generated code only). */
  readonly localNames: readonly string[];
  readonly body: readonly Stmt[];
  /** Output dtypes (weak results materialised: wint → int32, wfloat → float64). */
  readonly outTypes: readonly DType[];
  /**
   * Free identifiers read by the kernel that were not given as `constants`. Non-empty means
   * the `cpu` target calls the original function per element.
   */
  readonly freeNames: readonly string[];
  /** Parameters that are not numbers (views, accessors): they get no local variable. */
  readonly specialParams: readonly number[];
}

/** The concrete dtype a weak type becomes when it must be stored. */
export function materialize(t: Ty): DType {
  return t === 'wint' ? 'int32' : t === 'wfloat' ? 'float64' : t;
}

export function isWeak(t: Ty): t is 'wint' | 'wfloat' {
  return t === 'wint' || t === 'wfloat';
}

/** Wraps `e` in a conversion to `ty` unless it already has that type. */
export function cast(e: Expr, ty: Ty): Expr {
  if (e.ty === ty) return e;
  if (isWeak(ty) && isWeak(e.ty)) return e;
  if (isWeak(ty)) return e; // a concrete value never becomes weak; operators typed weak only take weak operands
  return { k: 'cast', arg: e, ty };
}
