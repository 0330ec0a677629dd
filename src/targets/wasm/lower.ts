/**
 * Lowers the typed kernel IR (compiler/ir.ts) to WebAssembly, bit for bit what the JS
 * lowering (compiler/emit-js.ts) computes. Values: float64 and weak types are f64, float32
 * is f32 (an f32 operation rounds like `Math.fround` of the double operation for + - * /
 * and sqrt), integers and bool are i32 holding the bits of the JS value (uint32 compares
 * and converts unsigned). Integer results are narrowed to their width after each operation
 * as `wrapTo` does. `Math` functions without an instruction, `%` and `**` on floats, and
 * float-to-integer conversions outside ±2^63 call small JS imports, so they are the very
 * JS operations. Anything else (extension nodes, free variables, uint8_clamped) is
 * {@link NotLowerable}, and the kernel stays on the JS loops.
 *
 * `SimdLowering` lowers a branch-free kernel typed in one dtype to 128-bit lanes.
 */

import { HELPERS } from '../../compiler/emit-js.js';
import type { Expr, Stmt, Ty, TypedKernel } from '../../compiler/ir.js';
import { isWeak } from '../../compiler/ir.js';
import { conversion } from '../../compiler/numeric.js';
import { NUMBER_PREDICATES } from '../../compiler/types.js';
import { castScalar } from '../../core/array.js';
import { type DType, INFO } from '../../core/dtypes.js';
import type { FuncBuilder, FuncImport, ValType } from './encode.js';

/** A kernel construct the wasm lowering does not handle (the JS loops run instead). */
export class NotLowerable extends Error {
  override name = 'NotLowerable';
}

/** A kernel that lowers to scalar wasm but not to SIMD lanes. */
export class NotSimd extends NotLowerable {
  override name = 'NotSimd';
}

/** The wasm value type of an IR type. */
export function valType(t: Ty): ValType {
  if (t === 'float64' || t === 'wint' || t === 'wfloat') return 'f64';
  if (t === 'float32') return 'f32';
  if (t === 'uint8_clamped') throw new NotLowerable('uint8_clamped values');
  return 'i32';
}

const isFloat = (t: Ty) => t === 'float64' || t === 'float32' || isWeak(t);
const isInt = (t: Ty) => !isFloat(t);

/** Imports a module may need: JS functions called per element. */
export class Imports {
  readonly list: FuncImport[] = [];
  readonly fns: Function[] = [];
  private readonly index = new Map<string, number>();

  /** Index of an import named `key` (created on first use). */
  get(key: string, params: ValType[], results: ValType[], fn: Function): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.list.push({ module: 'js', name: key, params, results });
      this.fns.push(fn);
      this.index.set(key, i);
    }
    return i;
  }

  /** The import object for instantiation. */
  object(memory: WebAssembly.Memory): WebAssembly.Imports {
    const js: Record<string, Function> = {};
    this.list.forEach((f, i) => {
      js[f.name] = this.fns[i];
    });
    return { env: { memory }, js };
  }
}

const toInt32 = (x: number) => x | 0;
const jsMod = (a: number, b: number) => a % b;
const jsPow = (a: number, b: number) => a ** b;

/** An extension node of the IR (a kind's own syntax, like a stencil's `u(-1, 0)`). */
export type ExtExpr = Extract<Expr, { k: 'ext' }>;

/**
 * Lowers a kind's extension nodes: pushes the value of `e` (of the wasm type of `e.ty`), or
 * throws {@link NotLowerable}. A kernel lowered with one may take special (non-number)
 * parameters: those are read only through the extension nodes, never as values.
 */
export type ExtLoweringWasm = (e: ExtExpr) => void;

/** Math functions that are instructions (f64/f32), by name. */
export const FLOAT_INSTR = new Set(['sqrt', 'abs', 'floor', 'ceil', 'trunc']);

/**
 * Lowers one extension node (`{ k: 'ext' }`), leaving its value (of type `e.ty`) on the
 * stack; `sl.expr` lowers its arguments. Throws NotLowerable for what it does not handle.
 */
export type WasmExtLowering = (e: Extract<Expr, { k: 'ext' }>, sl: ScalarLowering) => void;

/** Emits scalar code for one typed kernel into a function under construction. */
export class ScalarLowering {
  /** wasm local index of each kernel local (-1 for special params). */
  readonly locals: number[];
  /** Locals holding the outputs (declared once per function, like the JS loop's `r0…`). */
  readonly outs: number[];
  private readonly tmp = new Map<ValType, number[]>();
  protected labels: ('brk' | 'cont' | 'other')[] = [];

  constructor(
    private readonly k: TypedKernel,
    readonly f: FuncBuilder,
    private readonly imports: Imports,
    /** Lowers a kind's extension nodes (gufunc views); without it they are NotLowerable. */
    private readonly ext?: WasmExtLowering,
  ) {
    if (k.freeNames.length) throw new NotLowerable('the kernel reads free variables');
    if (k.specialParams.length && !ext)
      throw new NotLowerable('the kernel takes non-number parameters');
    // A kernel with outputs must reach a return on every path; one writing views need not.
    if (k.outTypes.length > 0 && !alwaysReturns(k.body))
      throw new NotLowerable('a path through the kernel returns nothing');
    this.locals = k.localTypes.map((t, i) =>
      k.specialParams.includes(i) ? -1 : f.local(valType(t)),
    );
    this.outs = k.outTypes.map((t) => f.local(valType(t)));
  }

  /** A scratch local of type `t` (reused once released). */
  protected take(t: ValType): number {
    const free = this.tmp.get(t);
    return free?.length ? free.pop()! : this.f.local(t);
  }

  protected give(t: ValType, i: number): void {
    let l = this.tmp.get(t);
    if (!l) {
      l = [];
      this.tmp.set(t, l);
    }
    l.push(i);
  }

  /**
   * The kernel for one element. `loadParam(i)` pushes input i as a value of the kernel's
   * parameter type; the results are left in `outs`.
   */
  kernel(loadParam: (i: number) => void): void {
    const k = this.k;
    for (let i = 0; i < k.paramTypes.length; i++) {
      if (this.locals[i] < 0) continue; // a view: its extension nodes read it
      loadParam(i);
      this.convert(k.paramTypes[i], k.localTypes[i]);
      this.f.set(this.locals[i]);
    }
    this.labels = [];
    if (k.body.length === 1 && k.body[0].k === 'return') {
      this.returnValues(k.body[0].values);
      return;
    }
    this.f.open('block');
    this.labels.push('other');
    for (const s of k.body) this.stmt(s);
    this.f.op('end');
    this.labels.pop();
  }

  private returnValues(values: readonly Expr[]): void {
    values.forEach((v, i) => {
      this.expr(v);
      this.convert(v.ty, this.k.outTypes[i]);
      this.f.set(this.outs[i]);
    });
  }

  protected depthOf(kind: 'brk' | 'cont' | 'kernel'): number {
    if (kind === 'kernel') return this.labels.length - 1;
    for (let d = this.labels.length - 1; d >= 0; d--)
      if (this.labels[d] === kind) return this.labels.length - 1 - d;
    throw new Error(`internal: ${kind} outside a loop`);
  }

  protected open(kind: 'block' | 'loop' | 'if', label: 'brk' | 'cont' | 'other', result?: ValType) {
    this.f.open(kind, result);
    this.labels.push(label);
  }

  protected close(): void {
    this.f.op('end');
    this.labels.pop();
  }

  protected stmts(list: readonly Stmt[]): void {
    for (const s of list) this.stmt(s);
  }

  protected stmt(s: Stmt): void {
    const f = this.f;
    switch (s.k) {
      case 'let': {
        const t = this.k.localTypes[s.id];
        if (s.init) {
          this.expr(s.init);
          this.convert(s.init.ty, t);
        } else this.zero(valType(t));
        f.set(this.locals[s.id]);
        return;
      }
      case 'expr':
        this.expr(s.e);
        f.op('drop');
        return;
      case 'if':
        this.test(s.test);
        this.open('if', 'other');
        this.stmts(s.cons);
        if (s.alt) {
          f.op('else');
          this.stmts(s.alt);
        }
        this.close();
        return;
      case 'for':
      case 'while':
      case 'dowhile': {
        if (s.k === 'for') this.stmts(s.init);
        this.open('block', 'brk');
        this.open('loop', 'other');
        if (s.k !== 'dowhile' && s.test) {
          this.test(s.test);
          f.op('i32.eqz');
          f.brIf(this.depthOf('brk'));
        }
        this.open('block', 'cont');
        this.stmts(s.body);
        this.close();
        if (s.k === 'for' && s.update) {
          this.expr(s.update);
          f.op('drop');
        }
        if (s.k === 'dowhile') {
          this.test(s.test);
          f.brIf(0);
        } else f.br(0);
        this.close();
        this.close();
        return;
      }
      case 'break':
        f.br(this.depthOf('brk'));
        return;
      case 'continue':
        f.br(this.depthOf('cont'));
        return;
      case 'return':
        this.returnValues(s.values);
        f.br(this.depthOf('kernel'));
        return;
      case 'block':
        this.stmts(s.body);
        return;
      default:
        this.wholeStmt(s);
    }
  }

  /** A whole function's statements (array locals, counted loops, results): jit's lowering. */
  protected wholeStmt(s: Extract<Stmt, { k: 'aset' | 'range' | 'result' }>): void {
    throw new NotLowerable(`kernel construct '${s.k}'`);
  }

  private zero(t: ValType): void {
    if (t === 'f64') this.f.f64(0);
    else if (t === 'f32') this.f.f32(0);
    else this.f.i32(0);
  }

  /** Pushes an i32 that is nonzero exactly when `e` is truthy in JS. */
  test(e: Expr): void {
    const f = this.f;
    if (e.k === 'unary' && e.op === '!') {
      this.test(e.arg);
      f.op('i32.eqz');
      return;
    }
    if (e.k === 'logical') {
      this.test(e.l);
      this.open('if', 'other', 'i32');
      if (e.op === '&&') {
        this.test(e.r);
        f.op('else');
        f.i32(0);
      } else {
        f.i32(1);
        f.op('else');
        this.test(e.r);
      }
      this.close();
      return;
    }
    this.expr(e);
    this.truthy(e.ty);
  }

  /** Turns the value on the stack (of type t) into its JS truthiness (i32 0/1 or nonzero). */
  private truthy(t: Ty): void {
    const f = this.f;
    const v = valType(t);
    if (v === 'i32') return;
    // Falsy: ±0 and NaN; |x| > 0 is false exactly for those.
    if (v === 'f64') f.op('f64.abs').f64(0).op('f64.gt');
    else f.op('f32.abs').f32(0).op('f32.gt');
  }

  /**
   * Converts the value on the stack from `from` to `to` as the JS lowering's casts do: what
   * the conversion takes is `compiler/numeric.ts`'s table (the one the JS and gpu.js
   * lowerings read); this only spells it in wasm, where floats live in f64/f32 and
   * integers in i32.
   */
  convert(from: Ty, to: Ty): void {
    if (from === to) return;
    const f = this.f;
    const vf = valType(from);
    switch (conversion(from, to)) {
      case 'none':
      case 'round32':
        // A JS number is unchanged (or rounded to float32): only its representation moves.
        this.represent(from, vf, valType(to));
        return;
      case 'bool':
        if (vf === 'f64') f.f64(0).op('f64.ne');
        else if (vf === 'f32') f.f32(0).op('f32.ne');
        else f.i32(0).op('i32.ne');
        return;
      case 'clamp':
        throw new NotLowerable('uint8_clamped values');
      case 'wrap':
      case 'truncate':
        // Floats go through ToInt32 first, like `x|0`; then the integer bits are wrapped.
        if (vf === 'f32') f.op('f64.promote_f32');
        if (vf !== 'i32') this.toInt32();
        this.narrow(to as DType);
        return;
    }
  }

  /** Moves a value of type `from` from representation `vf` to `vt` (exact, or float32's rounding). */
  private represent(from: Ty, vf: ValType, vt: ValType): void {
    const f = this.f;
    if (vf === vt) return;
    const unsigned = from === 'uint32';
    if (vt === 'f64') {
      if (vf === 'f32') f.op('f64.promote_f32');
      else f.op(unsigned ? 'f64.convert_i32_u' : 'f64.convert_i32_s');
    } else if (vt === 'f32') {
      if (vf === 'f64') f.op('f32.demote_f64');
      else f.op(unsigned ? 'f32.convert_i32_u' : 'f32.convert_i32_s');
    } else {
      throw new Error(`internal: a ${from} value needs a conversion to become an integer`);
    }
  }

  /** ToInt32 of the f64 on the stack: exact in wasm below 2^63, else the JS operation. */
  private toInt32(): void {
    const f = this.f;
    const x = this.take('f64');
    f.tee(x)
      .op('f64.abs')
      .f64(2 ** 62)
      .op('f64.lt');
    f.open('if', 'i32');
    f.get(x).op('i64.trunc_f64_s').op('i32.wrap_i64');
    f.op('else');
    f.get(x).call(this.imports.get('toInt32', ['f64'], ['i32'], toInt32), 'x|0');
    f.op('end');
    this.give('f64', x);
  }

  /** Wraps the i32 on the stack into the value range of `t` (wrapTo on integer bits). */
  narrow(t: DType): void {
    const f = this.f;
    switch (t) {
      case 'int8':
        f.op('i32.extend8_s');
        return;
      case 'int16':
        f.op('i32.extend16_s');
        return;
      case 'uint8':
        f.i32(255).op('i32.and');
        return;
      case 'uint16':
        f.i32(65535).op('i32.and');
        return;
      case 'bool':
        f.i32(0).op('i32.ne');
        return;
      case 'uint8_clamped':
        throw new NotLowerable('uint8_clamped values');
      default:
        return; // int32 / uint32: the i32 bits are the value
    }
  }

  expr(e: Expr): void {
    const f = this.f;
    switch (e.k) {
      case 'const':
        this.constant(e.value, e.ty);
        return;
      case 'local':
        f.get(this.locals[e.id]);
        return;
      case 'free':
        throw new NotLowerable(`free variable ${e.name}`);
      case 'ext':
        if (!this.ext) throw new NotLowerable(`kernel construct '${e.op}'`);
        this.ext(e, this);
        return;
      case 'cast':
        if (e.arg.k === 'const') {
          this.constant(isWeak(e.ty) ? e.arg.value : castScalar(e.arg.value, e.ty), e.ty);
          return;
        }
        this.expr(e.arg);
        this.convert(e.arg.ty, e.ty);
        return;
      case 'binary':
        this.binary(e);
        return;
      case 'compare':
        this.compare(e.op, e.l, e.r);
        return;
      case 'logical': {
        const t = valType(e.ty);
        const l = this.take(t);
        this.expr(e.l);
        f.tee(l);
        this.truthy(e.l.ty);
        f.open('if', t);
        if (e.op === '&&') {
          this.expr(e.r);
          f.op('else');
          f.get(l);
        } else {
          f.get(l);
          f.op('else');
          this.expr(e.r);
        }
        f.op('end');
        this.give(t, l);
        return;
      }
      case 'unary':
        this.unary(e);
        return;
      case 'cond': {
        const t = valType(e.ty);
        if (pure(e.a) && pure(e.b)) {
          this.expr(e.a);
          this.expr(e.b);
          this.test(e.test);
          f.op('select');
        } else {
          this.test(e.test);
          f.open('if', t);
          this.expr(e.a);
          f.op('else');
          this.expr(e.b);
          f.op('end');
        }
        return;
      }
      case 'math':
        this.math(e);
        return;
      case 'assign': {
        this.expr(e.value);
        this.convert(e.value.ty, this.k.localTypes[e.id]);
        f.tee(this.locals[e.id]);
        this.convert(this.k.localTypes[e.id], e.ty);
        return;
      }
      case 'update': {
        const t = e.ty;
        const v = this.locals[e.id];
        const vt = valType(t);
        if (!e.prefix) f.get(v);
        f.get(v);
        if (vt === 'f64') f.f64(1).op(e.delta > 0 ? 'f64.add' : 'f64.sub');
        else if (vt === 'f32') f.f32(1).op(e.delta > 0 ? 'f32.add' : 'f32.sub');
        else {
          f.i32(1).op(e.delta > 0 ? 'i32.add' : 'i32.sub');
          this.narrow(t as DType);
        }
        if (e.prefix) f.tee(v);
        else f.set(v);
        return;
      }
      case 'seq':
        e.items.forEach((item, i) => {
          this.expr(item);
          if (i < e.items.length - 1) f.op('drop');
        });
        return;
      default:
        this.arrayNode(e);
    }
  }

  /** Array values and calls of compiled helpers (jit's nodes): a whole function's lowering. */
  protected arrayNode(e: Extract<Expr, { k: 'load' | 'store' | 'dim' | 'call' }>): void {
    throw new NotLowerable(`kernel construct '${e.k}'`);
  }

  private constant(v: number, t: Ty): void {
    const vt = valType(t);
    if (vt === 'f64') this.f.f64(v);
    else if (vt === 'f32') {
      if (Math.fround(v) !== v && !Number.isNaN(v))
        throw new NotLowerable('a float32 constant that float32 cannot hold');
      this.f.f32(v);
    } else {
      const info = INFO[t as DType];
      if (!Number.isInteger(v) || v < info.min || v > info.max)
        throw new NotLowerable(`constant ${v} outside ${t}`);
      this.f.i32(v | 0);
    }
  }

  private binary(e: Extract<Expr, { k: 'binary' }>): void {
    const f = this.f;
    const t = e.ty;
    const vt = valType(t);
    if (vt !== 'i32') {
      const p = vt;
      if (e.op === '%' || e.op === '**') {
        this.expr(e.l);
        if (p === 'f32') f.op('f64.promote_f32');
        this.expr(e.r);
        if (p === 'f32') f.op('f64.promote_f32');
        const name = e.op === '%' ? 'mod' : 'pow';
        f.call(this.imports.get(name, ['f64', 'f64'], ['f64'], e.op === '%' ? jsMod : jsPow), e.op);
        if (p === 'f32') f.op('f32.demote_f64');
        return;
      }
      const op = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' }[e.op as string];
      if (!op) throw new NotLowerable(`operator ${e.op} on ${t}`);
      this.expr(e.l);
      this.expr(e.r);
      f.op(`${p}.${op}`);
      return;
    }
    const u = t === 'uint32';
    const dt = t as DType;
    switch (e.op) {
      case '+':
      case '-':
      case '*':
        this.expr(e.l);
        this.expr(e.r);
        f.op(e.op === '+' ? 'i32.add' : e.op === '-' ? 'i32.sub' : 'i32.mul');
        this.narrow(dt);
        return;
      case '&':
      case '|':
      case '^':
        this.expr(e.l);
        this.expr(e.r);
        f.op(e.op === '&' ? 'i32.and' : e.op === '|' ? 'i32.or' : 'i32.xor');
        return;
      case '<<':
      case '>>':
      case '>>>': {
        // NumPy's count rule (as the JS loops' H.shl/shr/ushr): a count outside [0, bits)
        // shifts every bit out — 0, or the sign for an arithmetic right shift. An unsigned
        // compare of the i32 count covers negative counts and uint32 counts >= 2^31 at once.
        const bits = u ? 32 : Math.max(8, INFO[dt].bits);
        const a = this.take('i32');
        const c = this.take('i32');
        this.expr(e.l);
        f.set(a);
        this.shiftCount(e.r);
        f.set(c);
        f.get(a).get(c);
        if (e.op === '<<') f.op('i32.shl').i32(0);
        else if (u) f.op('i32.shr_u').i32(0);
        else f.op('i32.shr_s').get(a).i32(31).op('i32.shr_s');
        f.get(c).i32(bits).op('i32.lt_u');
        f.op('select');
        this.give('i32', c);
        this.give('i32', a);
        if (e.op === '<<') this.narrow(dt);
        return;
      }
      case '/': {
        // wrapTo(t, l / r): the double quotient, then ToInt32.
        this.expr(e.l);
        this.convert(t, 'float64');
        this.expr(e.r);
        this.convert(t, 'float64');
        f.op('f64.div');
        this.toInt32();
        this.narrow(dt);
        return;
      }
      case '%': {
        // JS: l % r is exact for integers and NaN (so 0 after wrapping) when r is 0.
        const a = this.take('i32');
        const r = this.take('i32');
        this.expr(e.l);
        f.set(a);
        this.expr(e.r);
        f.tee(r);
        f.open('if', 'i32');
        f.get(a)
          .get(r)
          .op(u ? 'i32.rem_u' : 'i32.rem_s');
        f.op('else');
        f.i32(0);
        f.op('end');
        this.give('i32', a);
        this.give('i32', r);
        this.narrow(dt);
        return;
      }
      case '**':
        this.expr(e.l);
        this.convert(t, 'float64');
        this.expr(e.r);
        this.convert(t, 'float64');
        f.call(this.imports.get('ipow', ['f64', 'f64'], ['f64'], IPOW), 'ipow');
        this.toInt32();
        this.narrow(dt);
        return;
    }
  }

  /** A shift count as i32 (JS takes ToUint32 of it, then the low five bits, as wasm does). */
  private shiftCount(r: Expr): void {
    this.expr(r);
    if (valType(r.ty) !== 'i32') this.convert(r.ty, 'int32');
  }

  private compare(op: string, l: Expr, r: Expr): void {
    const f = this.f;
    const name = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '===': 'eq', '!==': 'ne' }[op]!;
    const lt = l.ty;
    const rt = r.ty;
    if (lt === rt && isInt(lt)) {
      this.expr(l);
      this.expr(r);
      const sign = name === 'eq' || name === 'ne' ? '' : lt === 'uint32' ? '_u' : '_s';
      f.op(`i32.${name}${sign}`);
      return;
    }
    if (lt === 'float32' && rt === 'float32') {
      this.expr(l);
      this.expr(r);
      f.op(`f32.${name}`);
      return;
    }
    // Mixed types: compare the exact JS numbers as f64.
    this.expr(l);
    this.convert(lt, 'float64');
    this.expr(r);
    this.convert(rt, 'float64');
    f.op(`f64.${name}`);
  }

  private unary(e: Extract<Expr, { k: 'unary' }>): void {
    const f = this.f;
    const t = e.ty;
    const vt = valType(t);
    switch (e.op) {
      case '!':
        this.test(e.arg);
        f.op('i32.eqz');
        return;
      case '+':
        this.expr(e.arg);
        return;
      case '-':
        if (vt !== 'i32') {
          this.expr(e.arg);
          f.op(`${vt}.neg`);
          return;
        }
        f.i32(0);
        this.expr(e.arg);
        f.op('i32.sub');
        this.narrow(t as DType);
        return;
      case '~':
        if (vt !== 'i32') throw new NotLowerable(`~ on ${t}`);
        this.expr(e.arg);
        f.i32(-1).op('i32.xor');
        if (t === 'uint8' || t === 'uint16') this.narrow(t);
        return;
    }
  }

  private math(e: Extract<Expr, { k: 'math' }>): void {
    const f = this.f;
    const fn = e.fn;
    if (NUMBER_PREDICATES.has(fn)) {
      const pred = (Number as unknown as Record<string, (x: number) => boolean>)[fn];
      e.args.forEach((a) => {
        this.expr(a);
        this.convert(a.ty, 'float64');
      });
      const params = e.args.map(() => 'f64' as ValType);
      f.call(
        this.imports.get(`Number.${fn}/${e.args.length}`, params, ['i32'], (...xs: number[]) =>
          (pred as (...a: number[]) => boolean)(...xs) ? 1 : 0,
        ),
        `Number.${fn}`,
      );
      return;
    }
    const t = e.ty;
    const vt = valType(t);
    if (fn === 'fround') {
      if (e.args.length !== 1) throw new NotLowerable('Math.fround with other than one argument');
      this.expr(e.args[0]);
      this.convert(e.args[0].ty, 'float64');
      f.op('f32.demote_f64');
      this.convert('float32', t);
      return;
    }
    if (vt === 'i32') {
      if (fn === 'abs' && e.args.length === 1) {
        this.expr(e.args[0]);
        this.convert(e.args[0].ty, t);
        if (t === 'uint32' || t === 'uint16' || t === 'uint8' || t === 'bool') return;
        // select(-x, x, x < 0), then wrap like JS (abs(-128) is -128 again for int8).
        const x = this.take('i32');
        f.set(x);
        f.i32(0).get(x).op('i32.sub');
        f.get(x);
        f.get(x).i32(0).op('i32.lt_s');
        f.op('select');
        this.give('i32', x);
        this.narrow(t as DType);
        return;
      }
      if ((fn === 'min' || fn === 'max') && e.args.length >= 1) {
        const a = this.take('i32');
        const b = this.take('i32');
        const sign = t === 'uint32' ? '_u' : '_s';
        e.args.forEach((arg, i) => {
          this.expr(arg);
          this.convert(arg.ty, t);
          if (i === 0) return;
          // select(b, a, b < a) for min (b > a for max).
          f.set(b).set(a).get(b).get(a).get(b).get(a);
          f.op(`i32.${fn === 'min' ? 'lt' : 'gt'}${sign}`);
          f.op('select');
        });
        this.give('i32', a);
        this.give('i32', b);
        return;
      }
      if (
        (fn === 'floor' || fn === 'ceil' || fn === 'trunc' || fn === 'round') &&
        e.args.length === 1
      ) {
        // An integer is its own floor, ceiling, truncation and rounding.
        this.expr(e.args[0]);
        this.convert(e.args[0].ty, t);
        return;
      }
      if (fn === 'sign' && e.args.length === 1 && e.args[0].ty === t) {
        const x = this.take('i32');
        this.expr(e.args[0]);
        f.set(x);
        if (t === 'uint32' || t === 'uint16' || t === 'uint8' || t === 'bool') {
          f.get(x).i32(0).op('i32.ne');
        } else {
          f.get(x).i32(0).op('i32.gt_s');
          f.get(x).i32(0).op('i32.lt_s');
          f.op('i32.sub');
        }
        this.give('i32', x);
        return;
      }
      throw new NotLowerable(`Math.${fn} with an integer result`);
    }
    if (FLOAT_INSTR.has(fn) && e.args.length === 1) {
      this.expr(e.args[0]);
      this.convert(e.args[0].ty, t);
      f.op(`${vt}.${fn}`);
      return;
    }
    if ((fn === 'min' || fn === 'max') && e.args.length >= 1) {
      e.args.forEach((arg, i) => {
        this.expr(arg);
        this.convert(arg.ty, t);
        if (i > 0) f.op(`${vt}.${fn}`);
      });
      return;
    }
    // Any other Math function: the JS function itself, on f64 arguments.
    const mathFn = (Math as unknown as Record<string, unknown>)[fn];
    if (typeof mathFn !== 'function') throw new NotLowerable(`Math.${fn}`);
    for (const arg of e.args) {
      this.expr(arg);
      this.convert(arg.ty, 'float64');
    }
    const params = e.args.map(() => 'f64' as ValType);
    f.call(this.imports.get(`Math.${fn}/${e.args.length}`, params, ['f64'], mathFn), `Math.${fn}`);
    this.convert('float64', t);
  }
}

/** The JS loops' integer power, bound: it raises NumPy's ValueError through its helpers table. */
const IPOW = HELPERS.ipow.bind(HELPERS);

/** Whether an expression has no side effects (so `select` may evaluate it unconditionally). */
export function pure(e: Expr): boolean {
  switch (e.k) {
    case 'const':
    case 'local':
      return true;
    case 'assign':
    case 'update':
    case 'free':
    case 'ext':
      return false;
    case 'math':
      return FLOAT_INSTR.has(e.fn) || e.fn === 'min' || e.fn === 'max' ? e.args.every(pure) : false;
    case 'binary':
      return e.op !== '%' && e.op !== '**' && e.op !== '/' && pure(e.l) && pure(e.r);
    case 'compare':
    case 'logical':
      return pure(e.l) && pure(e.r);
    case 'unary':
    case 'cast':
      return pure(e.arg);
    case 'cond':
      return pure(e.test) && pure(e.a) && pure(e.b);
    case 'seq':
      return e.items.every(pure);
    default:
      // Array loads/stores and calls (jit's nodes) are never evaluated speculatively.
      return false;
  }
}

/** True when every path through `body` ends in a `return`. */
export function alwaysReturns(body: readonly Stmt[]): boolean {
  for (const s of body) {
    if (s.k === 'return') return true;
    if (s.k === 'if' && s.alt && alwaysReturns(s.cons) && alwaysReturns(s.alt)) return true;
    if (s.k === 'block' && alwaysReturns(s.body)) return true;
  }
  return false;
}

/** SIMD lane shapes by dtype. */
export const LANES: Partial<Record<DType, { shape: string; lanes: number; bytes: number }>> = {
  float64: { shape: 'f64x2', lanes: 2, bytes: 8 },
  float32: { shape: 'f32x4', lanes: 4, bytes: 4 },
  int32: { shape: 'i32x4', lanes: 4, bytes: 4 },
  uint32: { shape: 'i32x4', lanes: 4, bytes: 4 },
  int16: { shape: 'i16x8', lanes: 8, bytes: 2 },
  uint16: { shape: 'i16x8', lanes: 8, bytes: 2 },
  int8: { shape: 'i8x16', lanes: 16, bytes: 1 },
  uint8: { shape: 'i8x16', lanes: 16, bytes: 1 },
};

/** Options of {@link SimdLowering} for kinds with their own nodes and stores. */
export interface SimdOptions {
  /** Pushes the lanes (v128) of an extension node of type `t`; special parameters are allowed. */
  readonly ext?: ExtLoweringWasm;
  /**
   * The dtype of the arrays the results are stored to. When it is `t`, results of another
   * kernel type are allowed where their stored lanes are known exactly (see `result`).
   */
  readonly storesTo?: DType;
  /**
   * Constant vectors live in locals set once by {@link SimdLowering.emitHoisted} (V8 does not
   * move a splat out of a loop), instead of a splat at each use.
   */
  readonly hoistConstants?: boolean;
  /**
   * Number parameters (weak or bool, never assigned: SIMD kernels have no assignments) by
   * index, each in a v128 local the caller set to its value cast to `t` (`cast` nodes of
   * such a parameter to `t` read it; any other use is not SIMD).
   */
  readonly params?: ReadonlyMap<number, number>;
}

/**
 * Lowers a kernel typed entirely in one dtype `t` (parameters, outputs, locals; comparisons
 * as lane masks) whose body is `let`s and one final `return`, to v128 values. Conditionals
 * become `v128.bitselect` (both sides are pure: no assignments in such kernels).
 */
export class SimdLowering {
  readonly locals: number[];
  private readonly shape: string;
  private readonly bits: number;
  private readonly unsigned: boolean;
  private readonly float: boolean;

  /** Lanes of a kind's extension nodes (a stencil's reads); see {@link SimdOptions}. */
  private readonly ext?: ExtLoweringWasm;
  /** The results are stored to arrays of `t` (see {@link SimdOptions.storesTo}). */
  private readonly stores: boolean;
  /** Parameters held in vector locals by the caller (see {@link SimdOptions.params}). */
  private readonly params: ReadonlyMap<number, number>;
  /** Splatted constants kept in locals (see {@link SimdOptions.hoistConstants}), by value. */
  private readonly hoisted?: Map<string, { readonly v: number; readonly local: number }>;

  constructor(
    private readonly k: TypedKernel,
    private readonly f: FuncBuilder,
    private readonly t: DType,
    options: SimdOptions = {},
  ) {
    const lane = LANES[t];
    if (!lane) throw new NotSimd(`no SIMD lanes for ${t}`);
    this.shape = lane.shape;
    this.bits = lane.bytes * 8;
    this.unsigned = t === 'uint8' || t === 'uint16' || t === 'uint32';
    this.float = t === 'float64' || t === 'float32';
    this.ext = options.ext;
    this.stores = options.storesTo === t;
    if (options.hoistConstants) this.hoisted = new Map();
    if (k.freeNames.length || (k.specialParams.length && !this.ext))
      throw new NotSimd('not a plain kernel');
    this.params = options.params ?? new Map();
    if (k.paramTypes.some((p, i) => p !== t && !this.params.has(i)))
      throw new NotSimd(`SIMD needs every parameter to be ${t}`);
    if (!this.stores && k.outTypes.some((o) => o !== t))
      throw new NotSimd(`SIMD needs every result to be ${t}`);
    if (k.localTypes.some((l, i) => l !== t && l !== 'bool' && !this.params.has(i)))
      throw new NotSimd(`SIMD needs every local to be ${t} (or a comparison)`);
    const body = k.body;
    const last = body[body.length - 1];
    if (last?.k !== 'return') throw new NotSimd('SIMD needs one final return');
    for (let i = 0; i < body.length - 1; i++) {
      const s = body[i];
      if (s.k !== 'let' || !s.init) throw new NotSimd('SIMD needs a branch-free body');
    }
    this.locals = k.localTypes.map(() => f.local('v128'));
  }

  /** Lanes of parameter i are pushed by `loadParam(i)`; outputs go to `store(j)` after their value. */
  kernel(loadParam: (i: number) => void, store: (j: number, emitValue: () => void) => void): void {
    const k = this.k;
    for (let i = 0; i < k.paramTypes.length; i++) {
      if (k.specialParams.includes(i) || this.params.has(i)) continue;
      loadParam(i);
      this.f.set(this.locals[i]);
    }
    for (const s of k.body) {
      if (s.k === 'let') {
        this.value(s.init!, k.localTypes[s.id]);
        this.f.set(this.locals[s.id]);
      } else if (s.k === 'return') {
        s.values.forEach((v, j) => {
          store(j, () => this.result(v, k.outTypes[j]));
        });
      }
    }
  }

  /**
   * A result of kernel type `out`, as the lanes of a `t` array store it. Besides a value of
   * `t` itself: with `storesTo`, a comparison (true/false store as 1/0) and a tree of
   * conditionals over literals (Life's `? 1 : 0`), whose leaves are folded here into the very
   * value the JS loop stores (the kernel's cast to `out`, then the array store's conversion).
   */
  private result(v: Expr, out: Ty): void {
    if (v.ty === this.t && out === this.t) {
      this.expr(v);
      return;
    }
    if (!this.stores) throw new NotSimd(`SIMD: a ${v.ty} result where ${out} is expected`);
    if (v.ty === 'bool' && out === 'bool') {
      this.expr(v);
      this.splat(1);
      this.f.op('v128.and');
      return;
    }
    this.folded(v, out);
  }

  private folded(e: Expr, out: Ty): void {
    if (e.k === 'const' && out !== 'bool') {
      const v = isWeak(out) ? e.value : castScalar(e.value, out as DType);
      this.splat(castScalar(v, this.t));
      return;
    }
    if (e.k === 'cond' && e.test.ty === 'bool') {
      this.folded(e.a, out);
      this.folded(e.b, out);
      this.expr(e.test);
      this.f.op('v128.bitselect');
      return;
    }
    throw new NotSimd(`SIMD: a ${e.ty} result where ${out} is expected`);
  }

  /**
   * A two-parameter kernel applied to vectors pushed by `a()` and `b()`, its one result left
   * on the stack (reductions combine partial vectors this way).
   */
  apply2(a: () => void, b: () => void): void {
    const k = this.k;
    if (k.paramTypes.length !== 2 || k.outTypes.length !== 1)
      throw new NotSimd('SIMD reductions need a kernel of two parameters and one result');
    a();
    this.f.set(this.locals[0]);
    b();
    this.f.set(this.locals[1]);
    for (const s of k.body) {
      if (s.k === 'let') {
        this.value(s.init!, k.localTypes[s.id]);
        this.f.set(this.locals[s.id]);
      } else if (s.k === 'return') this.value(s.values[0], k.outTypes[0]);
    }
  }

  /** An expression of type `want` (t, or bool as a lane mask). */
  private value(e: Expr, want: Ty): void {
    if (e.ty !== want) throw new NotSimd(`SIMD: a ${e.ty} value where ${want} is expected`);
    this.expr(e);
  }

  private splat(v: number): void {
    if (this.hoisted) {
      const key = Object.is(v, -0) ? '-0' : String(v);
      let h = this.hoisted.get(key);
      if (!h) {
        h = { v, local: this.f.local('v128') };
        this.hoisted.set(key, h);
      }
      this.f.get(h.local);
      return;
    }
    this.splatInto(this.f, v);
  }

  private splatInto(f: FuncBuilder, v: number): void {
    if (this.t === 'float64') f.f64(v).op('f64x2.splat');
    else if (this.t === 'float32') f.f32(v).op('f32x4.splat');
    else f.i32(v | 0).op(`${this.shape}.splat`);
  }

  /** Sets the locals of the hoisted constants (emitted into `g`, in front of the loop). */
  emitHoisted(g: FuncBuilder): void {
    for (const h of this.hoisted?.values() ?? []) {
      this.splatInto(g, h.v);
      g.set(h.local);
    }
  }

  private ones(): void {
    this.f.i32(-1).op('i8x16.splat');
  }

  private expr(e: Expr): void {
    const f = this.f;
    const sh = this.shape;
    switch (e.k) {
      case 'const':
        if (e.ty === 'bool') {
          if (e.value) this.ones();
          else f.i32(0).op('i8x16.splat');
          return;
        }
        if (e.ty !== this.t) throw new NotSimd('SIMD: a constant of another type');
        this.constant(e.value);
        return;
      case 'local':
        f.get(this.locals[e.id]);
        return;
      case 'cast':
        if (e.arg.k === 'const' && e.ty === this.t) {
          this.constant(isWeak(e.ty) ? e.arg.value : castScalar(e.arg.value, e.ty));
          return;
        }
        if (e.ty === this.t && e.arg.k === 'local' && this.params.has(e.arg.id)) {
          // A number parameter in `t`: the caller's vector, cast as the JS loop casts it.
          f.get(this.params.get(e.arg.id)!);
          return;
        }
        if (e.ty === this.t && e.arg.ty === 'bool') {
          // A lane mask (all ones / zero) to 1 / 0.
          this.expr(e.arg);
          this.splat(1);
          f.op('v128.and');
          return;
        }
        if (e.ty === 'bool' && e.arg.ty === this.t) {
          this.expr(e.arg);
          this.splat(0);
          f.op(`${sh}.ne`);
          return;
        }
        throw new NotSimd(`SIMD: a cast from ${e.arg.ty} to ${e.ty}`);
      case 'binary':
        this.binary(e);
        return;
      case 'compare': {
        const side = (x: Expr) => {
          if (x.ty === this.t) return () => this.expr(x);
          // A weak literal the lane type holds exactly compares as that lane value (JS
          // compares the exact numbers, and the conversion is exact).
          if (x.k === 'const' && isWeak(x.ty) && castScalar(x.value, this.t) === x.value)
            return () => this.splat(x.value);
          throw new NotSimd('SIMD: a comparison of other types');
        };
        const l = side(e.l);
        const r = side(e.r);
        const name = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '===': 'eq', '!==': 'ne' }[
          e.op
        ]!;
        l();
        r();
        const sign =
          this.float || name === 'eq' || name === 'ne' ? '' : this.unsigned ? '_u' : '_s';
        f.op(`${sh}.${name}${sign}`);
        return;
      }
      case 'logical':
        if (e.ty !== 'bool') throw new NotSimd('SIMD: && / || on numbers');
        this.expr(e.l);
        this.expr(e.r);
        f.op(e.op === '&&' ? 'v128.and' : 'v128.or');
        return;
      case 'unary':
        if (e.op === '!') {
          if (e.arg.ty !== 'bool') throw new NotSimd('SIMD: ! on a number');
          this.expr(e.arg);
          f.op('v128.not');
          return;
        }
        if (e.ty !== this.t) throw new NotSimd('SIMD: mixed types');
        this.expr(e.arg);
        if (e.op === '-') f.op(`${sh}.neg`);
        else if (e.op === '~') {
          if (this.float) throw new NotSimd('SIMD: ~ on floats');
          f.op('v128.not');
        }
        return;
      case 'cond':
        if (e.ty !== this.t) throw new NotSimd('SIMD: a conditional of another type');
        this.expr(e.a);
        this.expr(e.b);
        this.expr(e.test);
        if (e.test.ty !== 'bool') throw new NotSimd('SIMD: a non-boolean test');
        f.op('v128.bitselect');
        return;
      case 'math':
        this.math(e);
        return;
      case 'ext':
        if (!this.ext || e.ty !== this.t) throw new NotSimd(`SIMD: kernel construct '${e.op}'`);
        this.ext(e);
        return;
      default:
        throw new NotSimd(`SIMD: ${e.k}`);
    }
  }

  private constant(v: number): void {
    if (this.t === 'float32' && Math.fround(v) !== v && !Number.isNaN(v))
      throw new NotSimd('SIMD: an inexact float32 constant');
    this.splat(v);
  }

  private binary(e: Extract<Expr, { k: 'binary' }>): void {
    const f = this.f;
    const sh = this.shape;
    if (e.ty !== this.t) throw new NotSimd('SIMD: mixed types');
    const simple: Record<string, string | undefined> = this.float
      ? { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' }
      : {
          '+': 'add',
          '-': 'sub',
          '*': this.bits === 8 ? undefined : 'mul',
          '&': 'v128.and',
          '|': 'v128.or',
          '^': 'v128.xor',
        };
    const op = simple[e.op];
    if (op) {
      this.expr(e.l);
      this.expr(e.r);
      f.op(op.startsWith('v128') ? op : `${sh}.${op}`);
      return;
    }
    if (e.op === '*' && this.bits === 8) {
      this.mul8(e.l, e.r);
      return;
    }
    if (!this.float && (e.op === '<<' || e.op === '>>' || e.op === '>>>')) {
      // Lane shifts take their count modulo the lane width; JS takes it modulo 32, then
      // narrows. Only constant counts, resolved here.
      const r =
        e.r.k === 'cast' && e.r.arg.k === 'const'
          ? e.r.arg.value
          : e.r.k === 'const'
            ? e.r.value
            : undefined;
      if (r === undefined) throw new NotSimd('SIMD: a shift by a variable count');
      // NumPy's count rule: a count outside [0, bits) shifts every bit out.
      const c = r;
      const logical = this.unsigned;
      if (!(c >= 0 && c < this.bits)) {
        if (e.op === '<<' || logical) {
          this.splat(0);
          return;
        }
        this.expr(e.l);
        f.i32(this.bits - 1).op(`${sh}.shr_s`);
        return;
      }
      this.expr(e.l);
      f.i32(c);
      f.op(`${sh}.${e.op === '<<' ? 'shl' : logical ? 'shr_u' : 'shr_s'}`);
      return;
    }
    throw new NotSimd(`SIMD: operator ${e.op} on ${this.t}`);
  }

  /**
   * 8-bit lanes have no multiply: the 16-bit products of the low and high halves
   * (`extmul`), then their low bytes (a shuffle of the even bytes). The low byte of a
   * product is the same signed or unsigned: NumPy's wrap-around for int8 and uint8.
   */
  private mul8(l: Expr, r: Expr): void {
    const f = this.f;
    const a = f.local('v128');
    const b = f.local('v128');
    this.expr(l);
    f.set(a);
    this.expr(r);
    f.set(b);
    f.get(a).get(b).op('i16x8.extmul_low_i8x16_u');
    f.get(a).get(b).op('i16x8.extmul_high_i8x16_u');
    f.shuffle(Array.from({ length: 16 }, (_, i) => 2 * i));
  }

  private math(e: Extract<Expr, { k: 'math' }>): void {
    const f = this.f;
    const sh = this.shape;
    if (e.ty !== this.t) throw new NotSimd('SIMD: Math of another type');
    const fn = e.fn;
    for (const a of e.args) if (a.ty !== this.t) throw new NotSimd('SIMD: mixed types');
    if (e.args.length === 1 && (fn === 'abs' || (this.float && FLOAT_INSTR.has(fn)))) {
      this.expr(e.args[0]);
      if (fn === 'abs' && this.unsigned) return;
      f.op(`${sh}.${fn}`);
      return;
    }
    if ((fn === 'min' || fn === 'max') && e.args.length >= 1) {
      const sign = this.float ? '' : this.unsigned ? '_u' : '_s';
      e.args.forEach((a, i) => {
        this.expr(a);
        if (i > 0) f.op(`${sh}.${fn}${sign}`);
      });
      return;
    }
    throw new NotSimd(`SIMD: Math.${fn}`);
  }
}
