/**
 * The JavaScript lowering of the loop-level IR (`compiler/loops.ts`): every loop the `cpu`
 * target compiles and every loop the `parallel` workers run is printed here, whichever
 * kind built its nest. Kernel leaves go through `JsEmitter` (the kernel IR's JS lowering);
 * their extension nodes are printed from the loads and stores the kind rewrote them to.
 * Expressions are printed with the fewest parentheses JavaScript's precedence allows, so
 * the generated loops read like hand-written ones (`d0[q0_1+i1]`, `b0_0=p0+i0*s0_0`).
 */
import { castCode, JsEmitter, numberLiteral, wrapTo } from '../../compiler/emit-js.js';
import type { KernelLeaf, LExpr, LoopFunction, LoopOp, LStmt } from '../../compiler/loops.js';
import { conversion } from '../../compiler/numeric.js';

/** Binding strength of each operator (higher binds tighter), as in JavaScript. */
const PREC: Record<LoopOp, number> = {
  '*': 13,
  '%': 13,
  '+': 12,
  '-': 12,
  '>>': 11,
  '<': 10,
  '<=': 10,
  '>': 10,
  '>=': 10,
  '===': 9,
  '!==': 9,
  '&&': 5,
  '||': 4,
};
const ATOM = 20;
/** An assignment expression: what call arguments, initialisers and branches accept. */
const ASSIGN = 2;

/**
 * A name the nest builders made (`d0`, `q1_2`, `H.bc`, `pw$`). Every name is checked
 * before it is printed, so no string but a generated identifier (or a quoted `str`
 * literal) can reach generated code, whatever a kind puts in its nest.
 */
const GENERATED = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

function id(name: string): string {
  if (!GENERATED.test(name))
    throw new Error(`internal: ${JSON.stringify(name)} is not a generated name`);
  return name;
}

const ids = (names: readonly string[]) => names.map(id).join(',');

/** An identifier or member chain (`v3`, `H.c`): needs no parentheses anywhere. */
const SIMPLE = /^[\w$.]+$/;

/** `code` of precedence `prec`, parenthesised when its context needs at least `min`. */
const wrap = (code: string, prec: number, min: number) => (prec < min ? `(${code})` : code);

/** Prints loop expressions; `args` are the lowered arguments of the extension node being printed. */
class ExprPrinter {
  constructor(private readonly args: readonly string[] = []) {}

  /** `e` as source, parenthesised unless it binds at least as tightly as `min`. */
  print(e: LExpr, min = ASSIGN): string {
    const [code, prec] = this.code(e);
    return wrap(code, prec, min);
  }

  private code(e: LExpr): [string, number] {
    switch (e.k) {
      case 'name':
        return [id(e.name), ATOM];
      case 'num':
        return [numberLiteral(e.value), ATOM];
      case 'str':
        return [JSON.stringify(e.value), ATOM];
      case 'op': {
        const p = PREC[e.op];
        // `i + (-1)` reads as `i-1`.
        if (e.op === '+' && e.r.k === 'num' && e.r.value < 0 && !Object.is(e.r.value, -0)) {
          return [`${this.print(e.l, p)}-${numberLiteral(-e.r.value)}`, p];
        }
        const r = this.print(e.r, p + 1);
        // `a - -b` must not print as `a--b` (a decrement).
        const gap = e.op === '-' && r.startsWith('-') ? ' ' : '';
        return [`${this.print(e.l, p)}${e.op}${gap}${r}`, p];
      }
      case 'not':
        return [`!${this.print(e.arg, 15)}`, 15];
      case 'neg': {
        const arg = this.print(e.arg, 15);
        return [arg.startsWith('-') ? `-(${arg})` : `-${arg}`, 15];
      }
      case 'index':
        return [`${this.print(e.array, ATOM)}[${this.print(e.at, 0)}]`, ATOM];
      case 'load': {
        const code = castCode(e.from, e.to, `${id(e.data)}[${this.print(e.at, 0)}]`);
        return [code, ATOM];
      }
      case 'store': {
        const value = this.print(e.value);
        const stored = e.to === 'bool' && e.from !== 'bool' ? wrapTo('bool', value) : value;
        return [`${id(e.data)}[${this.print(e.at, 0)}]=${stored}`, ASSIGN];
      }
      case 'convert': {
        if (conversion(e.from, e.to) === 'none') return this.code(e.arg);
        return [castCode(e.from, e.to, this.print(e.arg, 0)), ATOM];
      }
      case 'call':
        return [`${id(e.fn)}(${e.args.map((a) => this.print(a)).join(',')})`, ATOM];
      case 'cond':
        return [`${this.print(e.test, 4)}?${this.print(e.a)}:${this.print(e.b)}`, 3];
      case 'set':
        return [`${id(e.name)}=${this.print(e.value)}`, ASSIGN];
      case 'seq':
        return [e.items.map((x) => this.print(x)).join(','), 1];
      case 'list':
        return [`[${e.items.map((x) => this.print(x)).join(',')}]`, ATOM];
      case 'fn':
        // Never printed at the start of a statement (it would read as a declaration).
        return [`function(${ids(e.params)}){${printLoops(e.body)}}`, ATOM];
      case 'arg': {
        const code = this.args[e.index];
        if (code === undefined) throw new Error(`internal: extension argument ${e.index} missing`);
        return [code, SIMPLE.test(code) ? ATOM : ASSIGN];
      }
    }
  }
}

const NO_ARGS = new ExprPrinter();

/** An expression of the nest as JS source. */
export function printLoopExpr(e: LExpr): string {
  return NO_ARGS.print(e);
}

/** Statements as JS source. */
export function printLoops(body: readonly LStmt[]): string {
  return body.map(stmt).join('');
}

/** A loop function as JS source: `function name(params){body}`. */
export function printLoopFunction(f: LoopFunction): string {
  return `function ${id(f.name)}(${ids(f.params)}){${printLoops(f.body)}}`;
}

function stmt(s: LStmt): string {
  const p = NO_ARGS;
  switch (s.k) {
    case 'decl':
      return `${s.kind} ${s.vars.map((d) => (d.init ? `${id(d.name)}=${p.print(d.init)}` : id(d.name))).join(',')};`;
    case 'for': {
      const counter = id(s.counter);
      const init = s.from ? `let ${counter}=${p.print(s.from)}` : '';
      const step = s.step === undefined || s.step === 1 ? '++' : `+=${s.step}`;
      return `for(${init};${counter}<${p.print(s.to, 11)};${counter}${step}){${printLoops(s.body)}}`;
    }
    case 'if': {
      // A loop exit reads as one: `if(i>=e)break;`.
      if (!s.alt && s.cons.length === 1 && s.cons[0].k === 'break') {
        return `if(${p.print(s.test, 0)})break;`;
      }
      const alt = s.alt ? `else{${printLoops(s.alt)}}` : '';
      return `if(${p.print(s.test, 0)}){${printLoops(s.cons)}}${alt}`;
    }
    case 'block':
      return `{${printLoops(s.body)}}`;
    case 'assign':
      return `${id(s.name)}${s.op}${p.print(s.value)};`;
    case 'expr':
      return `${p.print(s.e, 0)};`;
    case 'kernel':
      return kernel(s);
    case 'break':
      return 'break;';
    case 'return':
      return s.value ? `return ${p.print(s.value, 0)};` : 'return;';
    case 'function':
      return `function ${id(s.name)}(${ids(s.params)}){${printLoops(s.body)}}`;
    case 'line':
      return '\n';
  }
}

/** A kernel leaf: the kernel's JS body, or a call of the user's function (free variables). */
function kernel(s: KernelLeaf): string {
  const inputs = s.inputs.map((x) => NO_ARGS.print(x));
  const outs = s.outs.map(id);
  const t = s.kernel;
  if (s.callsFunction) {
    const fn = `F(${inputs.join(',')})`;
    const types = t.outTypes;
    if (types.length === 1) return `${outs[0]}=${castCode('float64', types[0], `(+${fn})`)};`;
    return `{const t$=${fn};${types.map((ty, j) => `${outs[j]}=${castCode('float64', ty, `(+t$[${j}])`)};`).join('')}}`;
  }
  const ext = s.ext;
  const emitter = new JsEmitter(
    t,
    ext ? (e, args) => new ExprPrinter(args).print(ext(e), ATOM) : undefined,
  );
  return emitter.body(inputs, outs, s.label === undefined ? undefined : id(s.label));
}
