/**
 * Lowers the typed IR (`TypedKernel`) to the JavaScript subset gpu.js compiles (to GLSL on
 * headlessgl, to WebAssembly on webasm). Every value is a float32 on the device:
 *
 * - float arithmetic is float32 arithmetic (float64 kernels included);
 * - integer values are exact integers in float32 within ±2^24; 8- and 16-bit results wrap
 *   like NumPy's fixed-width integers (exactly, through `nbWrap*` helpers), int32/uint32
 *   results do not wrap on the device (their stores into the output do);
 * - bool is 0/1, comparisons become `(l op r ? 1 : 0)` in value position;
 * - bit operations, `Math.imul`/`clz32` and the NaN/finiteness predicates have no float32
 *   meaning a GL shader honours: they are a `CompileError` for this target.
 *
 * Assignments and `++`/`--` are statements here (gpu.js takes no assignment inside an
 * expression, no comma operator): such a kernel is a `CompileError` naming the construct.
 */

import type { Expr, Stmt, Ty, TypedKernel } from '../../compiler/ir.js';
import { isWeak } from '../../compiler/ir.js';
import { conversion, GL_LITERALS, isIntResult, printNumber } from '../../compiler/numeric.js';
import { castScalar } from '../../core/array.js';
import type { DType } from '../../core/dtypes.js';
import { CompileError } from '../../core/errors.js';

/** Helper functions every gpu kernel may call (gpu.js compiles only those it calls). */
export const GPU_HELPERS: readonly string[] = [
  'function nbWrapU8(x) { return x - Math.floor(x / 256) * 256; }',
  'function nbWrapI8(x) { return x - Math.floor((x + 128) / 256) * 256; }',
  'function nbWrapU16(x) { return x - Math.floor(x / 65536) * 65536; }',
  'function nbWrapI16(x) { return x - Math.floor((x + 32768) / 65536) * 65536; }',
  'function nbBool(x) { if (x !== 0) { return 1; } return 0; }',
  'function nbClampU8(x) { if (x > 0) { if (x >= 255) { return 255; } const f = Math.floor(x); const d = x - f; if (d > 0.5) { return f + 1; } if (d < 0.5) { return f; } if (f - Math.floor(f / 2) * 2 === 0) { return f; } return f + 1; } return 0; }',
  'function nbHypot(x, y) { return Math.sqrt(x * x + y * y); }',
  'function nbAnd(x, y) { if (x !== 0) { return y; } return x; }',
  'function nbOr(x, y) { if (x !== 0) { return x; } return y; }',
];

/** Math functions gpu.js lowers on both backends with JS's meaning (in float32). */
const DIRECT_MATH = new Set([
  'abs',
  'floor',
  'ceil',
  'round',
  'trunc',
  'sign',
  'sqrt',
  'cbrt',
  'exp',
  'expm1',
  'log',
  'log1p',
  'log2',
  'log10',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'asinh',
  'acosh',
  'atanh',
  'atan2',
  'pow',
  'random',
]);

/** Why a construct cannot go to the gpu target, or null. */
function unsupportedMath(fn: string): string | null {
  if (fn === 'imul' || fn === 'clz32')
    return `Math.${fn} (32-bit integer arithmetic) is not supported on the gpu target: values are float32`;
  if (fn === 'isNaN' || fn === 'isFinite' || fn === 'isSafeInteger')
    return `Number.${fn} is not supported on the gpu target: GL shaders do not preserve NaN/Infinity`;
  return null;
}

/** Shader source of a number constant (the one printer, with GLSL's spellings). */
export function literal(v: number): string {
  return printNumber(v, GL_LITERALS);
}

/** Wraps a float32 value into `t`'s range where that is exact in float32. */
function wrapTo(t: DType, code: string): string {
  switch (t) {
    case 'int8':
      return `nbWrapI8(${code})`;
    case 'uint8':
      return `nbWrapU8(${code})`;
    case 'int16':
      return `nbWrapI16(${code})`;
    case 'uint16':
      return `nbWrapU16(${code})`;
    case 'bool':
      return `nbBool(${code})`;
    case 'uint8_clamped':
      return `nbClampU8(${code})`;
    default:
      return code;
  }
}

/** Converts a `from` value to `to` (NumPy astype: truncation, then the wrap). */
export function castTo(from: Ty, to: Ty, code: string): string {
  if (isWeak(to)) return code;
  switch (conversion(from, to)) {
    case 'none':
      // A bool widened to a small integer is still wrapped (a no-op on 0/1), as before
      // the rules were shared: kept so the shader sources stay byte-identical.
      return from === 'bool' && to !== 'bool' && to !== 'uint8_clamped' && isIntResult(to)
        ? wrapTo(to, code)
        : code;
    case 'round32':
      // Every value is a float32 on the device already.
      return code;
    case 'truncate':
      return wrapTo(to, `Math.trunc(${code})`);
    default:
      // bool, clamp and wrap: the dtype's own helper.
      return wrapTo(to, code);
  }
}

/**
 * Lowering of a capability's `ext` nodes (gufunc views, stencil accessors). `effect` lowers
 * one in statement position (a view's `.set`), `expr` in value position; `result` is what
 * a kernel without return values gives back (the output element being computed).
 */
export interface GpuHooks {
  expr(e: Extract<Expr, { k: 'ext' }>, args: string[]): string;
  effect?(e: Extract<Expr, { k: 'ext' }>, args: string[]): string;
  readonly result: string;
}

/** The lowering of one kernel output: the body of a gpu.js kernel returning output `out`. */
export class GpuEmitter {
  constructor(
    private readonly k: TypedKernel,
    private readonly out: number,
    private readonly hooks?: GpuHooks,
    /** Prefix of local variable names (two lowerings of one kernel in one function differ). */
    private readonly prefix = 'v',
  ) {}

  /** Throws a CompileError for a kernel gpu.js cannot take (checked at build time). */
  static check(
    k: TypedKernel,
    name: string,
    hooks?: (out: number) => GpuHooks,
    nout?: number,
  ): void {
    if (k.freeNames.length > 0) {
      throw new CompileError(
        `${name}: the gpu target cannot call the original function for free variables (${k.freeNames.join(', ')}); pass them as \`constants\``,
        undefined,
        k.freeNames.slice(),
      );
    }
    const n = nout ?? k.outTypes.length;
    const params = k.paramTypes.map((_, i) => `p${i}`);
    for (let j = 0; j < n; j++) new GpuEmitter(k, j, hooks?.(j)).body(params);
  }

  /** Statements assigning parameter locals from `inputs`, then the kernel body. */
  body(inputs: readonly string[]): string {
    const k = this.k;
    const lines: string[] = [];
    inputs.forEach((src, i) => {
      if (!k.specialParams.includes(i))
        lines.push(`let ${this.prefix}${i} = ${castTo(k.paramTypes[i], k.localTypes[i], src)};`);
    });
    for (const s of k.body) lines.push(this.stmt(s));
    lines.push(`return ${this.hooks?.result ?? '0'};`);
    return lines.join('\n');
  }

  private fail(what: string): never {
    throw new CompileError(`${what} is not supported on the gpu target`);
  }

  private stmts(list: readonly Stmt[]): string {
    return list.map((s) => this.stmt(s)).join('\n');
  }

  private stmt(s: Stmt): string {
    switch (s.k) {
      case 'let':
        return `let ${this.prefix}${s.id} = ${s.init ? this.expr(s.init) : '0'};`;
      case 'expr':
        return `${this.effect(s.e)};`;
      case 'if':
        return `if (${this.test(s.test)}) {\n${this.stmts(s.cons)}\n}${s.alt ? ` else {\n${this.stmts(s.alt)}\n}` : ''}`;
      case 'for': {
        const init = this.stmts(s.init);
        const update = s.update ? this.effect(s.update) : '';
        return `${init}\nfor (; ${s.test ? this.test(s.test) : 'true'}; ${update}) {\n${this.stmts(s.body)}\n}`;
      }
      case 'while':
        return `while (${this.test(s.test)}) {\n${this.stmts(s.body)}\n}`;
      case 'dowhile':
        return `do {\n${this.stmts(s.body)}\n} while (${this.test(s.test)});`;
      case 'break':
        return 'break;';
      case 'continue':
        return 'continue;';
      case 'return': {
        if (s.values.length === 0) return `return ${this.hooks?.result ?? '0'};`;
        const v = s.values[this.out];
        return `return ${castTo(v.ty, this.k.outTypes[this.out], this.expr(v))};`;
      }
      case 'block':
        return `{\n${this.stmts(s.body)}\n}`;
      default:
        return this.fail(`the array statement '${s.k}'`);
    }
  }

  /** An expression evaluated for its effect: assignments and updates become assignments. */
  private effect(e: Expr): string {
    if (e.k === 'assign') return `${this.prefix}${e.id} = ${this.expr(e.value)}`;
    if (e.k === 'update') {
      const v = `${this.prefix}${e.id}`;
      const next = `${v} ${e.delta > 0 ? '+' : '-'} 1`;
      return `${v} = ${isIntResult(e.ty) ? wrapTo(e.ty, next) : next}`;
    }
    if (e.k === 'seq') this.fail('the comma operator');
    if (e.k === 'ext' && this.hooks?.effect)
      return this.hooks.effect(
        e,
        e.args.map((a) => this.expr(a)),
      );
    return this.expr(e);
  }

  /** An expression used as a condition: a GLSL bool. */
  test(e: Expr): string {
    if (e.k === 'compare') return `(${this.expr(e.l)} ${e.op} ${this.expr(e.r)})`;
    if (e.k === 'unary' && e.op === '!') return `!${this.test(e.arg)}`;
    if (e.k === 'logical') return `(${this.test(e.l)} ${e.op} ${this.test(e.r)})`;
    return `(${this.expr(e)} !== 0)`;
  }

  expr(e: Expr): string {
    switch (e.k) {
      case 'const':
        return literal(isWeak(e.ty) ? e.value : castScalar(e.value, e.ty));
      case 'local':
        return `${this.prefix}${e.id}`;
      case 'free':
        return this.fail(`the free variable '${e.name}'`);
      case 'cast':
        if (e.arg.k === 'const')
          return literal(isWeak(e.ty) ? e.arg.value : castScalar(e.arg.value, e.ty));
        return castTo(e.arg.ty, e.ty, this.expr(e.arg));
      case 'binary':
        return this.binary(e);
      case 'compare':
        return `(${this.expr(e.l)} ${e.op} ${this.expr(e.r)} ? 1 : 0)`;
      case 'logical':
        return `${e.op === '&&' ? 'nbAnd' : 'nbOr'}(${this.expr(e.l)}, ${this.expr(e.r)})`;
      case 'unary':
        return this.unary(e);
      case 'cond':
        return `(${this.test(e.test)} ? ${this.expr(e.a)} : ${this.expr(e.b)})`;
      case 'math':
        return this.math(e);
      case 'assign':
        return this.fail('an assignment used as a value');
      case 'update':
        return this.fail(`'${e.delta > 0 ? '++' : '--'}' used as a value`);
      case 'seq':
        return this.fail('the comma operator');
      case 'ext':
        if (!this.hooks) return this.fail(`the construct '${e.op}'`);
        return this.hooks.expr(
          e,
          e.args.map((a) => this.expr(a)),
        );
      default:
        return this.fail(`the array construct '${e.k}'`);
    }
  }

  private binary(e: Extract<Expr, { k: 'binary' }>): string {
    const t = e.ty;
    switch (e.op) {
      case '&':
      case '|':
      case '^':
      case '<<':
      case '>>':
      case '>>>':
        return this.fail(`the bit operator '${e.op}' (values are float32)`);
      default:
        break;
    }
    const l = this.expr(e.l);
    const r = this.expr(e.r);
    if (e.op === '**') {
      const p = `Math.pow(${l}, ${r})`;
      return isIntResult(t) ? wrapTo(t, `Math.trunc(${p})`) : p;
    }
    const code = `(${l} ${e.op} ${r})`;
    return isIntResult(t) && e.op !== '/' ? wrapTo(t, code) : code;
  }

  private unary(e: Extract<Expr, { k: 'unary' }>): string {
    switch (e.op) {
      case '!':
        return `(${this.test(e.arg)} ? 0 : 1)`;
      case '+':
        return this.expr(e.arg);
      case '-': {
        const code = `(-${this.expr(e.arg)})`;
        return isIntResult(e.ty) ? wrapTo(e.ty, code) : code;
      }
      case '~':
        return this.fail("the bit operator '~' (values are float32)");
    }
  }

  private math(e: Extract<Expr, { k: 'math' }>): string {
    const bad = unsupportedMath(e.fn);
    if (bad) throw new CompileError(bad);
    const args = e.args.map((a) => this.expr(a));
    const t = e.ty;
    switch (e.fn) {
      case 'isInteger':
        return `(Math.floor(${args[0]}) === ${args[0]} ? 1 : 0)`;
      case 'fround':
        return args[0];
      case 'hypot':
        return `nbHypot(${args[0]}, ${args[1]})`;
      case 'min':
      case 'max': {
        if (args.length === 0) return literal(e.fn === 'min' ? Infinity : -Infinity);
        let acc = args[0];
        for (let i = 1; i < args.length; i++) acc = `Math.${e.fn}(${acc}, ${args[i]})`;
        return acc;
      }
      default: {
        if (!DIRECT_MATH.has(e.fn)) this.fail(`Math.${e.fn}`);
        const call = `Math.${e.fn}(${args.join(', ')})`;
        return isIntResult(t) && e.fn === 'abs' ? wrapTo(t, call) : call;
      }
    }
  }
}
