/**
 * Type inference: walks the parsed kernel with the parameter dtypes of one call and builds
 * the typed IR (`ir.ts`). Local variable types are the join of everything assigned to them,
 * found by iterating to a fixed point (the type lattice is finite, so this terminates).
 * Every construct outside the supported subset is a CompileError naming it and its position.
 */
import type { DType } from '../core/dtypes.js';
import { CompileError } from '../core/errors.js';
import { snapshotOptions } from '../core/guard.js';
import {
  type CalleeVersion,
  calleeMessage,
  type KernelFunctions,
  registerCallee,
} from './callable.js';
import {
  type BinaryOp,
  type CompareOp,
  type Expr,
  isWeak,
  type Stmt,
  type Ty,
  type TypedKernel,
} from './ir.js';
import { type AstNode, isStackOverflow, type ParsedKernel } from './parse.js';
import {
  arithTy,
  bitTy,
  divTy,
  floatOf,
  isFloatTy,
  join,
  MATH_ARITY,
  MATH_CONSTANTS,
  MATH_FUNCTIONS,
  type MathKind,
  NUMBER_CONSTANTS,
  NUMBER_PREDICATES,
  shiftTy,
} from './types.js';
import { materializeReturns } from './weak-int.js';

/** Captured values a kernel may read by name (numbers and booleans only). */
export type Constants = Readonly<Record<string, number | boolean>>;

/**
 * Checks a `constants` option and returns a frozen copy. Each value is read exactly once and
 * the copy is what gets checked and compiled in: a getter or Proxy that answered a number
 * to the check and a string to the compiler would otherwise put that string into code.
 */
export function checkConstants(c: unknown): Constants {
  if (c === undefined) return Object.freeze(Object.create(null));
  if (c === null || typeof c !== 'object' || Array.isArray(c)) {
    throw new TypeError('constants must be an object mapping names to numbers or booleans');
  }
  const copy = snapshotOptions(c, 'constants');
  for (const k of Object.keys(copy)) {
    const v = copy[k];
    if (typeof v !== 'number' && typeof v !== 'boolean') {
      throw new TypeError(`constants.${k} must be a number or boolean; got ${typeof v}`);
    }
  }
  return Object.freeze(copy as Record<string, number | boolean>);
}

/** The weak type of a JS number literal. */
export function literalTy(v: number): Ty {
  return Number.isInteger(v) && Math.abs(v) <= 2 ** 53 && !Object.is(v, -0) ? 'wint' : 'wfloat';
}

interface Local {
  id: number;
  isConst: boolean;
}

const MAX_PASSES = 32;

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

/** Infers types for a kernel called with scalar parameters of `paramTypes`. */
export function inferKernel(
  parsed: ParsedKernel,
  paramTypes: readonly DType[],
  constants: Constants = {},
  ext?: KernelExtension,
  /** jit functions and ufuncs the kernel may call by name (`functions` option). */
  functions: KernelFunctions = {},
): TypedKernel {
  if (paramTypes.length !== parsed.params.length) {
    throw new TypeError(`kernel takes ${parsed.params.length} arguments, got ${paramTypes.length}`);
  }
  try {
    return inferPasses(parsed, paramTypes, constants, ext, functions);
  } catch (e) {
    // The parser bounds nesting depth; this is the backstop for an engine with a smaller stack.
    if (isStackOverflow(e)) {
      throw new CompileError(
        'kernel is nested too deeply to compile: split long expressions into local variables',
      );
    }
    throw e;
  }
}

function inferPasses(
  parsed: ParsedKernel,
  paramTypes: readonly DType[],
  constants: Constants,
  ext: KernelExtension | undefined,
  functions: KernelFunctions,
): TypedKernel {
  let localTypes: (Ty | undefined)[] = paramTypes.slice();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const w = new Walker(parsed, localTypes, constants, ext, functions);
    const body = w.run();
    if (!w.changed) {
      if (w.returnTypes.length === 0 && !ext?.allowVoid) {
        throw new CompileError('kernel never returns a value', parsed.where(parsed.body));
      }
      return {
        paramTypes: paramTypes.slice(),
        localTypes: w.types.map((t) => t ?? 'wint'),
        localNames: w.names,
        body,
        // Weak-int results that are computed (not int32 literals) become float64: exact, never wrapped.
        outTypes: materializeReturns(body, w.returnTypes),
        freeNames: [...w.free],
        specialParams: [...(ext?.specialParams ?? [])],
      };
    }
    localTypes = w.types;
  }
  throw new CompileError('type inference did not converge');
}

class Walker {
  readonly types: (Ty | undefined)[];
  readonly names: string[] = [];
  changed = false;
  returnTypes: Ty[] = [];
  private returnArity = -1;
  readonly free = new Set<string>();
  private scopes: Map<string, Local>[] = [];
  private nextId = 0;
  private loopDepth = 0;

  constructor(
    private readonly p: ParsedKernel,
    prevTypes: readonly (Ty | undefined)[],
    private readonly constants: Constants,
    private readonly ext?: KernelExtension,
    private readonly functions: KernelFunctions = {},
  ) {
    this.types = prevTypes.slice();
  }

  private readonly cx: ExtContext = {
    expr: (n) => this.expr(n),
    fail: (msg, n) => this.fail(msg, n),
    param: (name) => {
      const l = this.lookup(name);
      return l !== undefined && l.id < this.p.params.length ? l.id : undefined;
    },
    binary: (op, l, r, n) => this.binaryOf(op as BinaryOp, l, r, n),
  };

  private fail(msg: string, node: AstNode): never {
    throw new CompileError(msg, this.p.where(node));
  }

  run(): Stmt[] {
    const top = new Map<string, Local>();
    this.scopes.push(top);
    for (const name of this.p.params) {
      if (top.has(name)) this.fail(`duplicate parameter name '${name}'`, this.p.body);
      top.set(name, { id: this.nextId++, isConst: false });
      this.names.push(name);
    }
    if (this.p.expressionBody) {
      // `(a, b) => [a + b, a - b]` gives several outputs, like `return [a + b, a - b]`.
      const body = this.p.body;
      const values = body.type === 'ArrayExpression' ? this.returnValues(body) : [this.expr(body)];
      this.addReturn(values, body);
      return [{ k: 'return', values }];
    }
    return this.block(this.p.body.body, false);
  }

  // ---- locals ---------------------------------------------------------------------------

  private declare(name: string, isConst: boolean, node: AstNode): Local {
    const scope = this.scopes[this.scopes.length - 1];
    if (scope.has(name)) this.fail(`'${name}' has already been declared`, node);
    const local = { id: this.nextId++, isConst };
    scope.set(name, local);
    this.names.push(name);
    return local;
  }

  private lookup(name: string): Local | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const l = this.scopes[i].get(name);
      if (l) return l;
    }
    return undefined;
  }

  private typeOf(id: number): Ty {
    return this.types[id] ?? 'wint';
  }

  /** Records that `t` flows into local `id`; returns the local's (possibly widened) type. */
  private assignTy(id: number, t: Ty): Ty {
    const old = this.types[id];
    const nt = old === undefined ? t : join(old, t);
    if (nt !== old) {
      this.types[id] = nt;
      this.changed = true;
    }
    return nt;
  }

  private addReturn(values: Expr[], node: AstNode): void {
    if (this.returnArity === -1) this.returnArity = values.length;
    else if (this.returnArity !== values.length) {
      this.fail(
        `every return must give the same number of outputs (${this.returnArity}, not ${values.length})`,
        node,
      );
    }
    values.forEach((v, i) => {
      this.returnTypes[i] =
        this.returnTypes[i] === undefined ? v.ty : join(this.returnTypes[i], v.ty);
    });
  }

  // ---- statements -----------------------------------------------------------------------

  private block(stmts: AstNode[], newScope = true): Stmt[] {
    if (newScope) this.scopes.push(new Map());
    const out: Stmt[] = [];
    for (const s of stmts) this.stmt(s, out);
    if (newScope) this.scopes.pop();
    return out;
  }

  private body(node: AstNode): Stmt[] {
    return node.type === 'BlockStatement' ? this.block(node.body) : this.block([node]);
  }

  private stmt(n: AstNode, out: Stmt[]): void {
    switch (n.type) {
      case 'EmptyStatement':
        return;
      case 'ExpressionStatement':
        out.push({ k: 'expr', e: this.expr(n.expression, true) });
        return;
      case 'VariableDeclaration':
        this.declaration(n, out);
        return;
      case 'BlockStatement':
        out.push({ k: 'block', body: this.block(n.body) });
        return;
      case 'IfStatement':
        out.push({
          k: 'if',
          test: this.expr(n.test),
          cons: this.body(n.consequent),
          alt: n.alternate ? this.body(n.alternate) : null,
        });
        return;
      case 'ForStatement': {
        this.scopes.push(new Map());
        const init: Stmt[] = [];
        if (n.init) {
          if (n.init.type === 'VariableDeclaration') this.declaration(n.init, init);
          else init.push({ k: 'expr', e: this.expr(n.init, true) });
        }
        const test = n.test ? this.expr(n.test) : null;
        this.loopDepth++;
        const body = this.body(n.body);
        this.loopDepth--;
        const update = n.update ? this.expr(n.update, true) : null;
        this.scopes.pop();
        out.push({ k: 'for', init, test, update, body });
        return;
      }
      case 'WhileStatement': {
        const test = this.expr(n.test);
        this.loopDepth++;
        const body = this.body(n.body);
        this.loopDepth--;
        out.push({ k: 'while', test, body });
        return;
      }
      case 'DoWhileStatement': {
        this.loopDepth++;
        const body = this.body(n.body);
        this.loopDepth--;
        out.push({ k: 'dowhile', body, test: this.expr(n.test) });
        return;
      }
      case 'BreakStatement':
      case 'ContinueStatement':
        if (n.label)
          this.fail(
            `labelled ${n.type === 'BreakStatement' ? 'break' : 'continue'} is not supported`,
            n,
          );
        if (this.loopDepth === 0)
          this.fail(`${n.type === 'BreakStatement' ? 'break' : 'continue'} outside a loop`, n);
        out.push({ k: n.type === 'BreakStatement' ? 'break' : 'continue' });
        return;
      case 'ReturnStatement': {
        if (!n.argument && this.ext?.allowVoid) {
          this.addReturn([], n);
          out.push({ k: 'return', values: [] });
          return;
        }
        if (!n.argument) this.fail('return without a value: a kernel must return its result', n);
        const values =
          n.argument.type === 'ArrayExpression'
            ? this.returnValues(n.argument)
            : [this.expr(n.argument)];
        this.addReturn(values, n);
        out.push({ k: 'return', values });
        return;
      }
      default:
        this.fail(`unsupported statement: ${describeNode(n)}`, n);
    }
  }

  /** The outputs listed by `[a, b, …]` in a return position. */
  private returnValues(arr: AstNode): Expr[] {
    const values = (arr.elements as (AstNode | null)[]).map((el) => {
      if (!el || el.type === 'SpreadElement') this.fail('return [..] must list plain values', arr);
      return this.expr(el);
    });
    if (values.length === 0) this.fail('return [] gives no output', arr);
    return values;
  }

  private declaration(n: AstNode, out: Stmt[]): void {
    const isConst = n.kind === 'const';
    for (const d of n.declarations as AstNode[]) {
      if (d.id.type !== 'Identifier')
        this.fail('destructuring declarations are not supported', d.id);
      const init = d.init ? this.expr(d.init) : null;
      const local = this.declare(d.id.name, isConst, d.id);
      if (init) this.assignTy(local.id, init.ty);
      out.push({ k: 'let', id: local.id, init: init ? cast(init, this.typeOf(local.id)) : null });
    }
  }

  // ---- expressions ----------------------------------------------------------------------

  /** `discard`: the value is unused (statement position), which lets `x++` lower like `++x`. */
  private expr(n: AstNode, discard = false): Expr {
    switch (n.type) {
      case 'Literal':
        if (typeof n.value === 'number') return constant(n.value);
        if (typeof n.value === 'boolean') return { k: 'const', value: n.value ? 1 : 0, ty: 'bool' };
        return this.fail(
          `unsupported literal ${describeLiteral(n)}: kernels compute on numbers only`,
          n,
        );
      case 'Identifier':
        return this.identifier(n);
      case 'BinaryExpression':
        return this.binary(n);
      case 'LogicalExpression': {
        if (n.operator === '??') this.fail("operator '??' is not supported", n);
        const l = this.expr(n.left);
        const r = this.expr(n.right);
        const ty = join(l.ty, r.ty);
        return { k: 'logical', op: n.operator, l: cast(l, ty), r: cast(r, ty), ty };
      }
      case 'UnaryExpression':
        return this.unary(n);
      case 'UpdateExpression': {
        if (n.argument.type !== 'Identifier' && this.ext?.update) {
          const e = this.ext.update(n, this.cx, discard);
          if (e) return e;
        }
        const local = this.target(n.argument);
        const ty = this.assignTy(local.id, arithTy(this.typeOf(local.id), 'wint'));
        return {
          k: 'update',
          id: local.id,
          delta: n.operator === '++' ? 1 : -1,
          prefix: n.prefix || discard,
          ty,
        };
      }
      case 'AssignmentExpression':
        return this.assignment(n);
      case 'ConditionalExpression': {
        const test = this.expr(n.test);
        const a = this.expr(n.consequent);
        const b = this.expr(n.alternate);
        const ty = join(a.ty, b.ty);
        return { k: 'cond', test, a: cast(a, ty), b: cast(b, ty), ty };
      }
      case 'CallExpression':
        return this.call(n);
      case 'MemberExpression':
        return this.member(n);
      case 'SequenceExpression': {
        const items = (n.expressions as AstNode[]).map((e, i, all) =>
          this.expr(e, discard || i < all.length - 1),
        );
        return { k: 'seq', items, ty: items[items.length - 1].ty };
      }
      case 'ThisExpression': {
        const e = this.ext?.thisValue?.(n, this.cx);
        if (e) return e;
        return this.fail("unsupported expression: 'this'", n);
      }
      default:
        return this.fail(`unsupported expression: ${describeNode(n)}`, n);
    }
  }

  private identifier(n: AstNode): Expr {
    const local = this.lookup(n.name);
    if (local && this.ext?.specialParams?.has(local.id) && local.id < this.p.params.length) {
      this.fail(`'${n.name}' is a ${this.ext.specialName ?? 'special parameter'}, not a number`, n);
    }
    if (local) return { k: 'local', id: local.id, ty: this.typeOf(local.id) };
    if (n.name === 'NaN') return { k: 'const', value: Number.NaN, ty: 'wfloat' };
    if (n.name === 'Infinity') return { k: 'const', value: Number.POSITIVE_INFINITY, ty: 'wfloat' };
    if (n.name === 'undefined') this.fail("'undefined' is not a number", n);
    if (Object.hasOwn(this.constants, n.name)) {
      const v = this.constants[n.name];
      return typeof v === 'boolean' ? { k: 'const', value: v ? 1 : 0, ty: 'bool' } : constant(v);
    }
    this.free.add(n.name);
    return { k: 'free', name: n.name, ty: 'float64' };
  }

  private target(n: AstNode): Local {
    if (n.type !== 'Identifier')
      this.fail(`cannot assign to ${describeNode(n)}: only local variables can be assigned`, n);
    const local = this.lookup(n.name);
    if (!local)
      this.fail(`cannot assign to '${n.name}': it is not a local variable of the kernel`, n);
    if (local.isConst) this.fail(`assignment to constant variable '${n.name}'`, n);
    return local;
  }

  private assignment(n: AstNode): Expr {
    if (n.left.type !== 'Identifier' && this.ext?.assign) {
      const e = this.ext.assign(n, this.cx);
      if (e) return e;
    }
    const local = this.target(n.left);
    const op: string = n.operator;
    let value = this.expr(n.right);
    if (op !== '=') {
      const bop = op.slice(0, -1);
      if (bop === '&&' || bop === '||' || bop === '??')
        this.fail(`operator '${op}' is not supported`, n);
      value = this.binaryOf(
        bop as BinaryOp,
        { k: 'local', id: local.id, ty: this.typeOf(local.id) },
        value,
        n,
      );
    }
    const ty = this.assignTy(local.id, value.ty);
    return { k: 'assign', id: local.id, value: cast(value, ty), ty };
  }

  private binary(n: AstNode): Expr {
    const op: string = n.operator;
    if (op === 'in' || op === 'instanceof') this.fail(`operator '${op}' is not supported`, n);
    const l = this.expr(n.left);
    const r = this.expr(n.right);
    if (
      op === '<' ||
      op === '<=' ||
      op === '>' ||
      op === '>=' ||
      op === '===' ||
      op === '!==' ||
      op === '==' ||
      op === '!='
    ) {
      const cop = (op === '==' ? '===' : op === '!=' ? '!==' : op) as CompareOp;
      // Compare exact JS values; only float32 rounds its partner (NumPy 2 compares Python ints exactly).
      const common = join(l.ty, r.ty);
      const c: Ty = common === 'float32' ? common : 'float64';
      return {
        k: 'compare',
        op: cop,
        l: c === 'float32' ? cast(l, c) : l,
        r: c === 'float32' ? cast(r, c) : r,
        ty: 'bool',
      };
    }
    return this.binaryOf(op as BinaryOp, l, r, n);
  }

  private binaryOf(op: BinaryOp, l: Expr, r: Expr, n: AstNode): Expr {
    switch (op) {
      case '+':
      case '-':
      case '*':
      case '%':
      case '**': {
        const ty = arithTy(l.ty, r.ty);
        return { k: 'binary', op, l: cast(l, ty), r: cast(r, ty), ty };
      }
      case '/': {
        const ty = divTy(l.ty, r.ty);
        return { k: 'binary', op, l: cast(l, ty), r: cast(r, ty), ty };
      }
      case '&':
      case '|':
      case '^': {
        const ty = bitTy(l.ty, r.ty);
        return { k: 'binary', op, l: cast(l, ty), r: cast(r, ty), ty };
      }
      case '<<':
      case '>>':
      case '>>>': {
        const ty = shiftTy(op, l.ty);
        return { k: 'binary', op, l: cast(l, ty), r, ty };
      }
      default:
        return this.fail(`operator '${op}' is not supported`, n);
    }
  }

  private unary(n: AstNode): Expr {
    const op: string = n.operator;
    if (op === 'typeof' || op === 'void' || op === 'delete')
      this.fail(`operator '${op}' is not supported`, n);
    if (op === '-' && n.argument.type === 'Literal' && typeof n.argument.value === 'number') {
      return constant(-n.argument.value);
    }
    const arg = this.expr(n.argument);
    switch (op) {
      case '!':
        return { k: 'unary', op, arg, ty: 'bool' };
      case '-':
      case '+': {
        const ty: Ty = arg.ty === 'bool' ? 'int32' : arg.ty;
        return { k: 'unary', op, arg: cast(arg, ty), ty };
      }
      case '~': {
        const ty = bitTy(arg.ty, arg.ty);
        const t2: Ty = ty === 'bool' ? 'int32' : ty;
        return { k: 'unary', op, arg: cast(arg, t2), ty: t2 };
      }
    }
    return this.fail(`operator '${op}' is not supported`, n);
  }

  private member(n: AstNode): Expr {
    const e = this.ext?.member?.(n, this.cx);
    if (e) return e;
    if (!n.computed && n.object.type === 'Identifier' && !this.lookup(n.object.name)) {
      const table =
        n.object.name === 'Math'
          ? MATH_CONSTANTS
          : n.object.name === 'Number'
            ? NUMBER_CONSTANTS
            : null;
      if (table && Object.hasOwn(table, n.property.name)) {
        const value = table[n.property.name];
        return { k: 'const', value, ty: 'wfloat' };
      }
    }
    return this.fail(
      `unsupported property access ${describeNode(n)}: only Math and Number constants can be read`,
      n,
    );
  }

  private call(n: AstNode): Expr {
    const e = this.ext?.call?.(n, this.cx);
    if (e) return e;
    const c = n.callee;
    if (c.type === 'Identifier' && !this.lookup(c.name) && Object.hasOwn(this.functions, c.name)) {
      return this.helperCall(n, c.name);
    }
    let name: string | undefined;
    let kind: MathKind | undefined;
    if (
      c.type === 'MemberExpression' &&
      !c.computed &&
      c.object.type === 'Identifier' &&
      !this.lookup(c.object.name)
    ) {
      if (c.object.name === 'Math' && Object.hasOwn(MATH_FUNCTIONS, c.property.name)) {
        name = c.property.name;
        kind = MATH_FUNCTIONS[c.property.name];
      } else if (c.object.name === 'Number' && NUMBER_PREDICATES.has(c.property.name)) {
        name = c.property.name;
        kind = 'predicate';
      }
    } else if (
      c.type === 'Identifier' &&
      !this.lookup(c.name) &&
      (c.name === 'isNaN' || c.name === 'isFinite')
    ) {
      name = c.name;
      kind = 'predicate';
    }
    if (!name || !kind) {
      const callee = c.type === 'Identifier' ? `'${c.name}'` : describeNode(c);
      return this.fail(
        `call of unknown function ${callee}: kernels may call Math.*, Number.isNaN/isFinite/isInteger, and jit functions or ufuncs passed as functions: { name }`,
        n,
      );
    }
    const argNodes = n.arguments as AstNode[];
    for (const a of argNodes)
      if (a.type === 'SpreadElement') this.fail('spread arguments are not supported', a);
    const [lo, hi] = MATH_ARITY[kind];
    if (argNodes.length < lo || argNodes.length > hi) {
      this.fail(
        `Math.${name} expects ${lo === hi ? lo : `${lo} to ${hi}`} argument(s), got ${argNodes.length}`,
        n,
      );
    }
    const args = argNodes.map((a) => this.expr(a));
    return mathCall(kind, name, args);
  }

  /** `name(…)` for a jit function or ufunc of the `functions` option: a call of its compiled version. */
  private helperCall(n: AstNode, name: string): Expr {
    const argNodes = n.arguments as AstNode[];
    for (const a of argNodes)
      if (a.type === 'SpreadElement') this.fail('spread arguments are not supported', a);
    const args = argNodes.map((a) => this.expr(a));
    let v: CalleeVersion;
    try {
      v = this.functions[name].specialise(
        args.map((a) => a.ty),
        name,
      );
    } catch (e) {
      if (e instanceof CompileError || e instanceof TypeError) {
        return this.fail(
          `in '${name}' called with (${args.map((a) => a.ty).join(', ')}): ${calleeMessage(e.message, name)}`,
          n,
        );
      }
      throw e;
    }
    const params = v.params.map((t) =>
      typeof t === 'object'
        ? this.fail(`'${name}' takes an array: call it from a jit function`, n)
        : t,
    );
    return {
      k: 'call',
      callee: registerCallee(v.fn),
      args: args.map((a, i) => cast(a, params[i])),
      ty: v.ret,
    };
  }
}

function mathCall(kind: MathKind, fn: string, args: Expr[]): Expr {
  switch (kind) {
    case 'same': {
      const t: Ty = args[0].ty === 'bool' ? 'int32' : args[0].ty;
      return { k: 'math', fn, args: [cast(args[0], t)], ty: t };
    }
    case 'float1': {
      const t = floatOf(args[0].ty);
      return { k: 'math', fn, args: [cast(args[0], t)], ty: t };
    }
    case 'float2': {
      const t = floatOf(join(args[0].ty, args[1].ty));
      return { k: 'math', fn, args: args.map((a) => cast(a, t)), ty: t };
    }
    case 'minmax': {
      if (args.length === 0)
        return constant(fn === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
      const t = args.map((a) => a.ty).reduce(join);
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

function constant(v: number): Expr {
  return { k: 'const', value: v, ty: literalTy(v) };
}

/** Wraps `e` in a conversion to `ty` unless it already has that type. */
export function cast(e: Expr, ty: Ty): Expr {
  if (e.ty === ty) return e;
  if (isWeak(ty) && isWeak(e.ty)) return e;
  if (isWeak(ty)) return e; // a concrete value never becomes weak; operators typed weak only take weak operands
  return { k: 'cast', arg: e, ty };
}

const NODE_NAMES: Record<string, string> = {
  ThisExpression: "'this'",
  ObjectExpression: 'object literal',
  ArrayExpression: 'array literal',
  TemplateLiteral: 'template string',
  TaggedTemplateExpression: 'tagged template',
  NewExpression: "'new'",
  FunctionExpression: 'nested function',
  ArrowFunctionExpression: 'nested function',
  FunctionDeclaration: 'nested function',
  ClassExpression: 'class',
  ClassDeclaration: 'class',
  AwaitExpression: "'await'",
  YieldExpression: "'yield'",
  ChainExpression: 'optional chaining',
  ForInStatement: 'for…in loop',
  ForOfStatement: 'for…of loop',
  SwitchStatement: 'switch statement',
  TryStatement: 'try statement',
  ThrowStatement: 'throw statement',
  LabeledStatement: 'labelled statement',
  WithStatement: 'with statement',
  ImportExpression: 'import()',
  MetaProperty: 'meta property',
};

export function describeNode(n: AstNode): string {
  if (n.type === 'MemberExpression') {
    const obj =
      n.object.type === 'Identifier'
        ? n.object.name
        : n.object.type === 'ThisExpression'
          ? 'this'
          : '…';
    const prop = !n.computed && n.property.type === 'Identifier' ? `.${n.property.name}` : '[…]';
    return `'${obj}${prop}'`;
  }
  if (n.type === 'Literal') return describeLiteral(n);
  return NODE_NAMES[n.type] ?? n.type;
}

function describeLiteral(n: AstNode): string {
  if (typeof n.value === 'string') return 'string';
  if (n.regex) return 'regular expression';
  if (n.bigint !== undefined) return 'BigInt';
  if (n.value === null) return 'null';
  return String(n.type);
}

export { isFloatTy };
