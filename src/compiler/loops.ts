/**
 * The loop-level IR: what a kind's call becomes once it is planned. A kind builds a loop
 * nest from its plan (an elementwise call, a gufunc's loop over core blocks, a stencil's
 * interior and border bands, a jitclass `.call` over records): counted loops, positions
 * derived from counters and strides, element loads and stores converted between the
 * array's dtype and the kernel's type, and the kernel itself as a leaf holding its typed
 * IR (`kernel`). A target lowers this one IR: `targets/cpu/lower-loops.ts` prints it as
 * JavaScript for the `cpu` loops and the `parallel` workers alike, so no kind writes target
 * code, and a kind's extension nodes (views, accessors, record fields) are rewritten to
 * loads and stores here (`KernelLeaf.ext`), not spelt in a target's language.
 *
 * Names in the IR (`name`, loop counters, declarations, function names) are made by the
 * nest builders from fixed prefixes and numbers, never from user strings; user text
 * reaches generated code only as a `str` literal, which every lowering quotes.
 */
import type { DType } from '../core/dtypes.js';
import type { ExtNode, TypedKernel } from './ir.js';

/** Binary operators of index and control arithmetic. */
export type LoopOp =
  | '+'
  | '-'
  | '*'
  | '%'
  | '>>'
  | '<'
  | '<='
  | '>'
  | '>='
  | '==='
  | '!=='
  | '&&'
  | '||';

/** Index and control expressions: integer positions, extents, flags and helper calls. */
export type LExpr =
  /** A variable of the nest (counter, position, extent, stride, array, register). */
  | { k: 'name'; name: string }
  | { k: 'num'; value: number }
  /** A string literal (a kernel's name in an error message). */
  | { k: 'str'; value: string }
  | { k: 'op'; op: LoopOp; l: LExpr; r: LExpr }
  | { k: 'not'; arg: LExpr }
  /** `-arg` (a negative stride term: `k0_1=-s0_1`). */
  | { k: 'neg'; arg: LExpr }
  /** `a[at]` of a plain array of the nest's parameters (`D[0]`, `N[1]`, `R[2]`). */
  | { k: 'index'; array: LExpr; at: LExpr }
  /** The element at position `at` of data array `data`, converted from `from` to `to`. */
  | { k: 'load'; data: string; at: LExpr; from: DType; to: DType }
  /**
   * Stores `value` (of kernel type `from`) at position `at` of an array of dtype `to`;
   * the expression's value is the stored value. A store converts the value as the array's
   * dtype does (bool needs its 0/1 made explicit).
   */
  | { k: 'store'; data: string; at: LExpr; value: LExpr; from: DType; to: DType }
  /** A value converted from `from` to `to` (NumPy's cast). */
  | { k: 'convert'; arg: LExpr; from: DType; to: DType }
  /** A call of a runtime helper or a function of the nest (`Math.min`, `B.wrap`, `pw$`). */
  | { k: 'call'; fn: string; args: LExpr[] }
  | { k: 'cond'; test: LExpr; a: LExpr; b: LExpr }
  /** `name = value` as an expression. */
  | { k: 'set'; name: string; value: LExpr }
  /** Evaluates every item; the value of the last. */
  | { k: 'seq'; items: LExpr[] }
  /** An array literal (a view's core shape in a bounds check). */
  | { k: 'list'; items: LExpr[] }
  /** Inside `KernelLeaf.ext`: the extension node's argument `index`, lowered. */
  | { k: 'arg'; index: number }
  /** An anonymous function expression (the entry point a loop factory returns). */
  | { k: 'fn'; params: readonly string[]; body: LStmt[] };

/** The kernel inlined at one point of the nest. */
export interface KernelLeaf {
  k: 'kernel';
  readonly kernel: TypedKernel;
  /** A value per kernel parameter (unused for parameters the extension handles). */
  readonly inputs: readonly LExpr[];
  /** Registers receiving the kernel's results. */
  readonly outs: readonly string[];
  /** What each extension node of the kernel reads or writes (views, accessors, fields). */
  readonly ext?: (e: ExtNode) => LExpr;
  /** Prefix of the kernel's labels (distinct per copy when one nest inlines it twice). */
  readonly label?: string;
  /**
   * The kernel reads free variables: the target calls the user's function per element
   * (`F`) and converts its float64 results to the output types.
   */
  readonly callsFunction?: boolean;
}

export type LStmt =
  /** `const`/`let` declarations (`init` null: declared only). */
  | { k: 'decl'; kind: 'const' | 'let'; vars: readonly { name: string; init: LExpr | null }[] }
  /**
   * `for (counter = from; counter < to; counter++)`; `from` null continues a counter
   * declared outside (an interior segment picking up where the border stopped); `step`
   * (default 1) is the counter's increment.
   */
  | { k: 'for'; counter: string; from: LExpr | null; to: LExpr; body: LStmt[]; step?: number }
  | { k: 'if'; test: LExpr; cons: LStmt[]; alt?: LStmt[] }
  /** A scope of its own. */
  | { k: 'block'; body: LStmt[] }
  /** `name = value`, `name += value` (a position advanced by a stride), `name -= value`. */
  | { k: 'assign'; name: string; op: '=' | '+=' | '-='; value: LExpr }
  | { k: 'expr'; e: LExpr }
  | KernelLeaf
  | { k: 'break' }
  | { k: 'return'; value: LExpr | null }
  /** A function of the nest (a pairwise reduction, a record method reached by a call). */
  | { k: 'function'; name: string; params: readonly string[]; body: LStmt[] }
  /** Starts a new line in printed code (layout only, for `inspect()` readers). */
  | { k: 'line' };

/** A whole generated loop function: its name, parameters and body. */
export interface LoopFunction {
  readonly name: string;
  readonly params: readonly string[];
  readonly body: readonly LStmt[];
}

// ---- builders: terse constructors the nest builders use -----------------------------------

export const v = (name: string): LExpr => ({ k: 'name', name });
export const num = (value: number): LExpr => ({ k: 'num', value });
export const op = (o: LoopOp, l: LExpr, r: LExpr): LExpr => ({ k: 'op', op: o, l, r });
/** `a + b + …`, leaving out nothing (callers drop zero terms themselves). */
export const sum = (...terms: LExpr[]): LExpr => terms.reduce((a, b) => op('+', a, b));
export const mul = (l: LExpr, r: LExpr): LExpr => op('*', l, r);
export const neg = (arg: LExpr): LExpr => ({ k: 'neg', arg });
export const index = (array: string, at: LExpr | number): LExpr => ({
  k: 'index',
  array: v(array),
  at: typeof at === 'number' ? num(at) : at,
});
export const call = (fn: string, ...args: LExpr[]): LExpr => ({ k: 'call', fn, args });
export const decl = (
  kind: 'const' | 'let',
  vars: readonly (readonly [string, LExpr | null])[],
): LStmt => ({ k: 'decl', kind, vars: vars.map(([name, init]) => ({ name, init })) });
export const loop = (counter: string, from: LExpr | null, to: LExpr, body: LStmt[]): LStmt => ({
  k: 'for',
  counter,
  from,
  to,
  body,
});
export const bump = (name: string, by: LExpr): LStmt => ({
  k: 'assign',
  name,
  op: '+=',
  value: by,
});
export const line: LStmt = { k: 'line' };
