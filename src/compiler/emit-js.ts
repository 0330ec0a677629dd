/**
 * Lowers the typed IR to JavaScript source for the `cpu` target (and any target that runs
 * generated JS, like workers). Values are JS numbers; bool is 0/1; integer results are
 * wrapped to their width right after each operation (`|0`, `<<24>>24`, `Math.imul`, …) so
 * they match NumPy's fixed-width arithmetic bit for bit; float32 results go through
 * `Math.fround`. Only identifiers made here reach the output: locals are `v<id>`.
 */

import { castScalar } from '../core/array.js';
import { type DType, INFO } from '../core/dtypes.js';
import { ValueError } from '../core/errors.js';
import { CALLEES } from './callable.js';
import type { Expr, Stmt, Ty, TypedKernel } from './ir.js';
import { isWeak } from './ir.js';
import { conversion, isIntResult, numberLiteral } from './numeric.js';
import { NUMBER_PREDICATES } from './types.js';

/** Helpers generated code may call, passed in as `H`. */
export const HELPERS = {
  /** Uint8ClampedArray's conversion: clamp to [0, 255], round half to even. */
  clampU8(x: number): number {
    if (!(x > 0)) return 0;
    if (x >= 255) return 255;
    const f = Math.floor(x);
    const d = x - f;
    if (d > 0.5) return f + 1;
    if (d < 0.5) return f;
    return f % 2 === 0 ? f : f + 1;
  },
  /**
   * Integer power with int32 wrap-around (exact, like C's fixed-width multiply). A negative
   * exponent is NumPy's ValueError, whatever the base. `this` is the helpers object, which
   * carries the error class on the calling thread and in every worker (see below).
   */
  ipow(a: number, b: number): number {
    if (b < 0) {
      const VE = (this as unknown as { ValueError: new (m: string) => Error }).ValueError;
      throw new VE('Integers to negative integer powers are not allowed.');
    }
    let r = 1;
    let base = a | 0;
    let e = b >>> 0;
    while (e > 0) {
      if (e & 1) r = Math.imul(r, base);
      base = Math.imul(base, base);
      e >>>= 1;
    }
    return r;
  },
  /**
   * `a << b` with NumPy's count rule: a count outside [0, bits) shifts every bit out
   * (NumPy casts the count to an unsigned size first, so a negative one is out of range
   * too); JS would take the count modulo 32.
   */
  shl(a: number, b: number, bits: number): number {
    return b >= 0 && b < bits ? a << b : 0;
  },
  /** Arithmetic `a >> b` with NumPy's count rule: out of range gives the sign (0 or -1). */
  shr(a: number, b: number, bits: number): number {
    return b >= 0 && b < bits ? a >> b : a < 0 ? -1 : 0;
  },
  /** Logical `a >>> b` (uint32) with NumPy's count rule: out of range gives 0. */
  ushr(a: number, b: number, bits: number): number {
    return b >= 0 && b < bits ? a >>> b : 0;
  },
};
export type Helpers = typeof HELPERS;
// Not enumerable, so not part of the helpers' source sent to workers (which define their own).
Object.defineProperty(HELPERS, 'ValueError', { value: ValueError });

// Generated code calls the compiled helpers of the `functions` option as `H.c[i](…)`. Not
// enumerable, so the workers' copy of the helpers (which holds source text) leaves it out.
Object.defineProperty(HELPERS, 'c', { value: CALLEES, enumerable: false });

// The one number printer and numeric rules (shared with the gpu.js lowering) live in
// numeric.ts; re-exported here for the loop generators that print numbers beside a body.
export { numberLiteral } from './numeric.js';

/** Source that wraps an arbitrary JS number expression into `t`'s value range. */
export function wrapTo(t: DType, code: string): string {
  switch (t) {
    case 'int32':
      return `(${code}|0)`;
    case 'uint32':
      return `(${code}>>>0)`;
    case 'int16':
      return `(${code}<<16>>16)`;
    case 'int8':
      return `(${code}<<24>>24)`;
    case 'uint16':
      return `(${code}&65535)`;
    case 'uint8':
      return `(${code}&255)`;
    case 'uint8_clamped':
      return `H.clampU8(${code})`;
    case 'float32':
      return `Math.fround(${code})`;
    case 'float64':
      return code;
    case 'bool':
      return `(${code}!==0?1:0)`;
  }
}

/** Source converting a value of type `from` to `to` (NumPy `astype` semantics, JS ToIntN for floats). */
export function castCode(from: Ty, to: Ty, code: string): string {
  // JS's ToInt32 (under `|0`, `<<`, `&`) truncates a float, so `truncate` is a wrap here.
  if (isWeak(to) || conversion(from, to) === 'none') return code;
  return wrapTo(to, code);
}

/** Lowers a KernelExtension's `ext` node, given its arguments' code. */
export type ExtLowering = (
  e: Extract<Expr, { k: 'ext' }>,
  args: string[],
  emitter: JsEmitter,
) => string;

/** Array nodes of the IR: lowered by the kinds that have arrays as values (`jit`). */
export type ArrayNode = Extract<Expr, { k: 'load' | 'store' | 'dim' | 'call' }>;
/** Array statements of the IR. */
export type ArrayStmt = Extract<Stmt, { k: 'aset' | 'range' | 'result' }>;

/** How a kind lowers the array nodes it produces. */
export interface ArrayLowering {
  expr(e: ArrayNode): string;
  stmt(s: ArrayStmt): string;
  /** A kind's own lowering of a binary operation, given its operands' code (undefined: the default). */
  binary?(e: Extract<Expr, { k: 'binary' }>, l: string, r: string): string | undefined;
}

const NO_ARRAYS: ArrayLowering = {
  expr: (e) => {
    throw new Error(`internal: no lowering for array construct '${e.k}'`);
  },
  stmt: (s) => {
    throw new Error(`internal: no lowering for array statement '${s.k}'`);
  },
};

/** Emits one kernel: its statements, assigning its outputs to `outVars`. */
export class JsEmitter {
  private usesTemp = false;
  private label = 'K';

  constructor(
    private readonly k: TypedKernel,
    private readonly ext?: ExtLowering,
    /** Lowering of the array nodes (`load`, `store`, …); kinds without arrays have none. */
    private readonly arrays: ArrayLowering = NO_ARRAYS,
  ) {}

  /**
   * Code that computes the kernel for parameter values `inputs` (expressions already of
   * `paramTypes`) and stores results in the variables `outVars` (declared by the caller).
   */
  body(inputs: readonly string[], outVars: readonly string[], label = 'K'): string {
    this.label = label;
    const k = this.k;
    const params: string[] = [];
    inputs.forEach((src, i) => {
      if (!k.specialParams.includes(i)) {
        params.push(`v${i}=${castCode(k.paramTypes[i], k.localTypes[i], src)}`);
      }
    });
    const head = params.length ? `let ${params.join(',')};` : '';
    // A body that is just `return e` needs no labelled block.
    if (k.body.length === 1 && k.body[0].k === 'return') {
      const code = this.returnAssign(k.body[0].values, outVars);
      return `${head}${this.usesTemp ? 'let t$;' : ''}${code}`;
    }
    const stmts = k.body.map((s) => this.stmt(s, outVars)).join('\n');
    return `${head}${this.usesTemp ? 'let t$;' : ''}\n${label}:{\n${stmts}\n}`;
  }

  private returnAssign(values: readonly Expr[], outVars: readonly string[]): string {
    return values
      .map((v, i) => `${outVars[i]}=${castCode(v.ty, this.k.outTypes[i], this.expr(v))};`)
      .join('');
  }

  stmts(list: readonly Stmt[], outVars: readonly string[]): string {
    return list.map((s) => this.stmt(s, outVars)).join('\n');
  }

  private stmt(s: Stmt, outVars: readonly string[]): string {
    switch (s.k) {
      case 'let':
        return `let v${s.id}=${s.init ? this.expr(s.init) : '0'};`;
      case 'expr':
        return `${this.expr(s.e)};`;
      case 'if':
        return `if(${this.test(s.test)}){\n${this.stmts(s.cons, outVars)}\n}${s.alt ? `else{\n${this.stmts(s.alt, outVars)}\n}` : ''}`;
      case 'for':
        return `{${this.stmts(s.init, outVars)}\nfor(;${s.test ? this.test(s.test) : ''};${s.update ? this.expr(s.update) : ''}){\n${this.stmts(s.body, outVars)}\n}}`;
      case 'while':
        return `while(${this.test(s.test)}){\n${this.stmts(s.body, outVars)}\n}`;
      case 'dowhile':
        return `do{\n${this.stmts(s.body, outVars)}\n}while(${this.test(s.test)});`;
      case 'break':
        return 'break;';
      case 'continue':
        return 'continue;';
      case 'return':
        return `{${this.returnAssign(s.values, outVars)}break ${this.label};}`;
      case 'block':
        return `{\n${this.stmts(s.body, outVars)}\n}`;
      default:
        return this.arrays.stmt(s);
    }
  }

  /** An expression whose value is only tested for truthiness: comparisons stay JS booleans. */
  test(e: Expr): string {
    if (e.k === 'compare') return `(${this.expr(e.l)}${e.op}${this.expr(e.r)})`;
    if (e.k === 'unary' && e.op === '!') return `(!${this.test(e.arg)})`;
    if (e.k === 'logical') return `(${this.test(e.l)}${e.op}${this.test(e.r)})`;
    return this.expr(e);
  }

  expr(e: Expr): string {
    switch (e.k) {
      case 'const':
        return numberLiteral(e.value);
      case 'local':
        return `v${e.id}`;
      case 'free':
        throw new Error(`internal: free variable ${e.name} reached JS lowering`);
      case 'cast':
        if (e.arg.k === 'const')
          return numberLiteral(isWeak(e.ty) ? e.arg.value : castScalar(e.arg.value, e.ty));
        return castCode(e.arg.ty, e.ty, this.expr(e.arg));
      case 'binary':
        return this.binary(e);
      case 'compare':
        return `(${this.expr(e.l)}${e.op}${this.expr(e.r)}?1:0)`;
      case 'logical':
        return `(${this.expr(e.l)}${e.op}${this.expr(e.r)})`;
      case 'unary':
        return this.unary(e);
      case 'cond':
        return `(${this.test(e.test)}?${this.expr(e.a)}:${this.expr(e.b)})`;
      case 'math':
        return this.math(e);
      case 'assign':
        return `(v${e.id}=${this.expr(e.value)})`;
      case 'update':
        return this.update(e);
      case 'ext':
        if (!this.ext) throw new Error(`internal: no lowering for kernel construct '${e.op}'`);
        return this.ext(
          e,
          e.args.map((a) => this.expr(a)),
          this,
        );
      case 'seq':
        return `(${e.items.map((i) => this.expr(i)).join(',')})`;
      case 'call':
        if (this.arrays === NO_ARRAYS) {
          // A scalar kernel's call of a compiled helper; a bool comes back as a JS boolean.
          const call = `H.c[${e.callee}](${e.args.map((a) => this.expr(a as Expr)).join(',')})`;
          return e.ty === 'bool' ? `(${call}?1:0)` : call;
        }
        return this.arrays.expr(e);
      default:
        return this.arrays.expr(e);
    }
  }

  private binary(e: Extract<Expr, { k: 'binary' }>): string {
    const l = this.expr(e.l);
    const r = this.expr(e.r);
    const t = e.ty;
    const own = this.arrays.binary?.(e, l, r);
    if (own !== undefined) return own;
    if (!isIntResult(t))
      return t === 'float32' ? `Math.fround(${l}${e.op}${r})` : `(${l}${e.op}${r})`;
    switch (e.op) {
      case '*':
        if (t === 'int32') return `Math.imul(${l},${r})`;
        if (t === 'uint32') return `(Math.imul(${l},${r})>>>0)`;
        return wrapTo(t, `(${l}*${r})`);
      case '**':
        return wrapTo(t, `H.ipow(${l},${r})`);
      case '&':
      case '|':
      case '^':
        // Closed over every integer range (sign-extended), except uint32 which JS reads as int32.
        return t === 'uint32' ? `((${l}${e.op}${r})>>>0)` : `(${l}${e.op}${r})`;
      case '<<':
        return wrapTo(t, `H.shl(${l},${r},${Math.max(8, INFO[t].bits)})`);
      case '>>':
      case '>>>':
        return t === 'uint32'
          ? `H.ushr(${l},${r},32)`
          : `H.shr(${l},${r},${Math.max(8, INFO[t].bits)})`;
      default:
        return wrapTo(t, `(${l}${e.op}${r})`);
    }
  }

  private unary(e: Extract<Expr, { k: 'unary' }>): string {
    const a = this.expr(e.arg);
    const t = e.ty;
    switch (e.op) {
      case '!':
        return `(${a}?0:1)`;
      case '+':
        return a;
      case '-':
        // Negation is exact in float32 too: no rounding.
        if (!isIntResult(t)) return `(-${a})`;
        return wrapTo(t, `(-${a})`);
      case '~':
        if (t === 'uint32' || t === 'uint8' || t === 'uint16') return wrapTo(t, `(~${a})`);
        return `(~${a})`;
    }
  }

  private math(e: Extract<Expr, { k: 'math' }>): string {
    const args = e.args.map((a) => this.expr(a)).join(',');
    // Number.isNaN/isFinite/… are the bool-typed math calls; Math.min/max of bools are
    // bool-typed too but must stay Math calls (lowering them to `Number.max` threw).
    if (NUMBER_PREDICATES.has(e.fn)) return `(Number.${e.fn}(${args})?1:0)`;
    const call = `Math.${e.fn}(${args})`;
    if (isWeak(e.ty) || e.ty === 'float64' || e.fn === 'fround') return call;
    if (e.ty === 'float32') return `Math.fround(${call})`;
    // Integer results: abs(-128) must wrap back to -128 for int8, like NumPy.
    return e.fn === 'abs' ? wrapTo(e.ty, call) : call;
  }

  private update(e: Extract<Expr, { k: 'update' }>): string {
    const v = `v${e.id}`;
    const t = e.ty;
    const next =
      isWeak(t) || t === 'float64'
        ? `${v}${e.delta > 0 ? '+' : '-'}1`
        : wrapTo(t, `(${v}${e.delta > 0 ? '+' : '-'}1)`);
    if (e.prefix) return `(${v}=${next})`;
    this.usesTemp = true;
    return `(t$=${v},${v}=${next},t$)`;
  }
}
