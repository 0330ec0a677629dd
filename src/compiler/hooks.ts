/**
 * The hooks through which a kind extends the one type-inference walk (`walker.ts`): a
 * kernel kind's own syntax (`KernelExtension`), what a whole function adds
 * (`WholeFunction`), and what each hook may ask of the walk (`ExtContext`, `WalkContext`).
 */
import type { CalleeVersion, KernelFunctions } from './callable.js';
import type { ArrayExpr, Expr, Stmt, Value } from './ir.js';
import type { AstNode } from './parse.js';
import type { LocalType, ScalarRules } from './rules.js';

/** Captured values a kernel may read by name (numbers and booleans only). */
export type Constants = Readonly<Record<string, number | boolean>>;

/**
 * How a capability adds constructs to the kernel language without touching the core walk:
 * guvectorize's views (`x.get(i)`, `x.shape[0]`), stencil accessors (`u(-1, 0)`), jitclass
 * fields (`this.x`). Hooks return an IR node (usually `{ k: 'ext' }`) or undefined to decline.
 */
export interface KernelExtension {
  /** Parameters (by index) that are not numbers; reading one as a value is a CompileError. */
  readonly specialParams?: ReadonlySet<number>;
  /** Describes a special parameter in error messages (e.g. "view", "neighborhood accessor"). */
  readonly specialName?: string;
  call?(n: AstNode, cx: ExtContext): Expr | undefined;
  member?(n: AstNode, cx: ExtContext): Expr | undefined;
  /** Assignment (`=`, `+=`, …) to something that is not a local, e.g. `this.x += v`. */
  assign?(n: AstNode, cx: ExtContext): Expr | undefined;
  /** `this` outside a member access. */
  thisValue?(n: AstNode, cx: ExtContext): Expr | undefined;
  /** `++`/`--` on something that is not a local, e.g. `this.n++`; `discard`: the value is unused. */
  update?(n: AstNode, cx: ExtContext, discard: boolean): Expr | undefined;
  /** The kernel may return nothing (`return;`, or no return at all): its `outTypes` are then `[]`. */
  readonly allowVoid?: boolean;
}

/** What an extension hook can use from the walker. */
export interface ExtContext {
  expr(n: AstNode): Expr;
  fail(msg: string, n: AstNode): never;
  /** The parameter index a name refers to at this point (undefined when shadowed or not a parameter). */
  param(name: string): number | undefined;
  /** Types `l op r` like the core does (for compound assignments). */
  binary(op: string, l: Expr, r: Expr, n: AstNode): Expr;
}

/** What the `WholeFunction` hooks can use from the walker, besides `ExtContext`. */
export interface WalkContext extends ExtContext {
  /** A value that may be an array (an array local or an array-making call). */
  value(n: AstNode): Value;
  /** `expr` with the value unused (statement position). */
  discarded(n: AstNode): Expr;
  /** Is `name` a local variable at this point? */
  isLocal(name: string): boolean;
  /** The array local an identifier names, if it is one. */
  arrayLocal(n: AstNode): number | undefined;
  /** The array local whose `.shape` node `n` is (`a.shape`), if it is one. */
  shapeOwner(n: AstNode): number | undefined;
  typeOf(id: number): LocalType;
  /** Declares a source-named local in the innermost scope; returns its id. */
  declare(name: string, isConst: boolean, node: AstNode): number;
  /** A local the source cannot name (loop counters, iterated arrays), of type `ty`. */
  hidden(name: string, ty: LocalType): number;
  /** Records that a value of `t` flows into local `id`; returns the local's type. */
  assignTy(id: number, t: LocalType, node: AstNode | null): LocalType;
  /** Runs `f` in a new scope. */
  scoped<T>(f: () => T): T;
  /** Runs `f` as a loop body (`break`/`continue` allowed). */
  loop<T>(f: () => T): T;
  /** The statements of a loop or branch body (a block or one statement), in a new scope. */
  body(n: AstNode): Stmt[];
}

/**
 * What typing a whole function (`jit`) adds: functions that make arrays, `for…of` loops,
 * and a function's result in place of a kernel's per-element outputs. A walk given these
 * hooks also reports its own errors in the function's terms (arrays are part of the language).
 */
export interface WholeFunction {
  /** Array reads and writes check their indices. */
  readonly boundscheck: boolean;
  /** An array-making call (`zeros(…)`), typed; undefined when `n` is not one. */
  arrayCall(n: AstNode, cx: WalkContext): ArrayExpr | undefined;
  /** Whether `n` is an array-making call (so that an assignment of it is an array assignment). */
  isArrayCall(n: AstNode, cx: WalkContext): boolean;
  /** Fails on a call the language allows only elsewhere (`prange(…)`, `zeros(…)` as a number). */
  checkCall(n: AstNode, cx: WalkContext): void;
  /** `for (const x of …)`. */
  forOf(n: AstNode, out: Stmt[], cx: WalkContext): void;
  /** `return arg` (arg null: `return;`), or the body of an arrow function. */
  returns(arg: AstNode | null, n: AstNode, out: Stmt[], cx: WalkContext): void;
  /** A name that is no local, constant, `NaN` or `Infinity`. */
  unknownName(n: AstNode, cx: WalkContext): never;
  /** The index of a helper's compiled version in the function's callee table. */
  callee(name: string, version: CalleeVersion, argTypes: readonly LocalType[]): number;
}

/** Everything a walk is given besides the source and the parameter types. */
export interface WalkSetup {
  readonly rules: ScalarRules;
  readonly constants: Constants;
  /** jit functions and ufuncs the code may call by name (`functions` option). */
  readonly functions: KernelFunctions;
  readonly ext?: KernelExtension;
  readonly whole?: WholeFunction;
}
