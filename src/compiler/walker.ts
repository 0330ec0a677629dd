/**
 * The one type-inference walk: turns a parsed kernel or function, with the types of its
 * parameters, into the typed IR (`ir.ts`). Every kind types through it. What differs between
 * them is plugged in: the scalar typing (`ScalarRules`: NumPy's for kernels, Numba's for
 * `jit`), a kind's own syntax (`KernelExtension`: views, stencil accessors, record fields)
 * and, for a whole function, the `WholeFunction` hooks (array-making calls, `for…of`, a
 * function's result). Arrays are values of the walk: array locals and array assignments
 * are typed here, array reads (`a.get`, `a.shape[k]`, …) in `arrays.ts`.
 *
 * Local types are the unification of everything assigned to them, found by walking again
 * until no type changes (the lattice is finite, so this terminates). Every construct outside
 * the supported language is a CompileError naming it and its position.
 */
import { CompileError } from '../core/errors.js';
import { arrayMember, arrayMethod, shapeDestructure } from './arrays.js';
import { type CalleeVersion, calleeMessage, registerCallee } from './callable.js';
import { describeLiteral, describeNode } from './describe.js';
import type { KernelExtension, WalkContext, WalkSetup, WholeFunction } from './hooks.js';
import {
  type ArrayType,
  type BinaryOp,
  type CompareOp,
  cast,
  type Expr,
  isArrayExpr,
  type Stmt,
  type Ty,
  type Value,
} from './ir.js';
import type { AstNode, ParsedKernel } from './parse.js';
import { type LocalType, mathCall, type ScalarRules } from './rules.js';
import {
  MATH_ARITY,
  MATH_CONSTANTS,
  MATH_FUNCTIONS,
  type MathKind,
  NUMBER_CONSTANTS,
  NUMBER_PREDICATES,
} from './types.js';

interface Local {
  id: number;
  isConst: boolean;
}

const MAX_PASSES = 32;

/**
 * Walks `parsed` until no local's type changes. `setup` is called once per pass, so hooks
 * that collect something (a callee table, the result type) start each pass empty.
 */
export function walk(
  parsed: ParsedKernel,
  params: readonly LocalType[],
  setup: () => WalkSetup,
): { walker: Walker; body: Stmt[]; setup: WalkSetup } {
  let types: (LocalType | undefined)[] = params.slice();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const s = setup();
    const walker = new Walker(parsed, types, s);
    const body = walker.run();
    if (!walker.changed) return { walker, body, setup: s };
    types = walker.types;
  }
  throw new CompileError('type inference did not converge');
}

/** One pass over the source. */
export class Walker {
  readonly types: (LocalType | undefined)[];
  readonly names: string[] = [];
  /** 1-based line where each local is declared (0: made by the compiler). */
  readonly lines: number[] = [];
  changed = false;
  /** A kernel's output types, joined over its returns. */
  returnTypes: Ty[] = [];
  private returnArity = -1;
  readonly free = new Set<string>();
  private scopes: Map<string, Local>[] = [];
  private nextId = 0;
  private loopDepth = 0;
  private readonly rules: ScalarRules;
  private readonly ext?: KernelExtension;
  private readonly whole?: WholeFunction;

  constructor(
    private readonly p: ParsedKernel,
    prevTypes: readonly (LocalType | undefined)[],
    private readonly setup: WalkSetup,
  ) {
    this.types = prevTypes.slice();
    this.rules = setup.rules;
    this.ext = setup.ext;
    this.whole = setup.whole;
  }

  private readonly cx: WalkContext = {
    expr: (n) => this.expr(n),
    discarded: (n) => this.expr(n, true),
    value: (n) => this.value(n),
    fail: (msg, n) => this.fail(msg, n),
    param: (name) => {
      const l = this.lookup(name);
      return l !== undefined && l.id < this.p.params.length ? l.id : undefined;
    },
    binary: (op, l, r, n) => this.binaryOf(op as BinaryOp, l, r, n),
    isLocal: (name) => this.lookup(name) !== undefined,
    arrayLocal: (n) => this.arrayLocal(n),
    shapeOwner: (n) => this.shapeOwner(n),
    typeOf: (id) => this.typeOf(id),
    declare: (name, isConst, node) => this.declare(name, isConst, node).id,
    hidden: (name, ty) => this.hidden(name, ty),
    assignTy: (id, t, node) => this.assignTy(id, t, node),
    scoped: (f) => {
      this.scopes.push(new Map());
      try {
        return f();
      } finally {
        this.scopes.pop();
      }
    },
    loop: (f) => this.loop(f),
    body: (n) => this.body(n),
  };

  private fail(msg: string, node: AstNode): never {
    throw new CompileError(msg, this.p.where(node));
  }

  run(): Stmt[] {
    const top = new Map<string, Local>();
    this.scopes.push(top);
    this.p.params.forEach((name, i) => {
      const node = this.p.paramNodes[i];
      // A kernel reports a duplicate at its body, a whole function at the parameter.
      if (top.has(name))
        this.fail(`duplicate parameter name '${name}'`, this.whole ? node : this.p.body);
      top.set(name, { id: this.nextId++, isConst: false });
      this.names.push(name);
      this.lines.push(this.p.where(node).line);
    });
    if (this.p.expressionBody) {
      const body = this.p.body;
      if (this.whole) {
        const out: Stmt[] = [];
        this.whole.returns(body, body, out, this.cx);
        return out;
      }
      // `(a, b) => [a + b, a - b]` gives several outputs, like `return [a + b, a - b]`.
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
    this.lines.push(this.p.where(node).line);
    return local;
  }

  private hidden(name: string, ty: LocalType): number {
    const id = this.nextId++;
    this.names.push(`$${name}`);
    this.lines.push(0);
    this.assignTy(id, ty, null);
    return id;
  }

  private lookup(name: string): Local | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const l = this.scopes[i].get(name);
      if (l) return l;
    }
    return undefined;
  }

  private typeOf(id: number): LocalType {
    return this.types[id] ?? 'wint';
  }

  private scalarTypeOf(id: number): Ty {
    const t = this.typeOf(id);
    if (isArrayType(t)) throw new Error('internal: scalar type of an array local');
    return t;
  }

  /** Records that a value of type `t` flows into local `id`; returns the local's type. */
  private assignTy(id: number, t: LocalType, node: AstNode | null): LocalType {
    const old = this.types[id];
    const nt = old === undefined ? t : this.rules.unify(old, t);
    if (nt === undefined) {
      const name = this.rules.name;
      const msg = `variable '${this.names[id]}' cannot hold both ${name(old!)} and ${name(t)}: give each a variable of its own`;
      if (node) this.fail(msg, node);
      throw new CompileError(msg);
    }
    if (old === undefined || this.rules.name(nt) !== this.rules.name(old)) {
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
        this.returnTypes[i] === undefined ? v.ty : this.rules.join(this.returnTypes[i], v.ty);
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

  private loop<T>(f: () => T): T {
    this.loopDepth++;
    try {
      return f();
    } finally {
      this.loopDepth--;
    }
  }

  private stmt(n: AstNode, out: Stmt[]): void {
    switch (n.type) {
      case 'EmptyStatement':
        return;
      case 'ExpressionStatement':
        this.expressionStatement(n.expression, out);
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
          else this.expressionStatement(n.init, init);
        }
        const test = n.test ? this.expr(n.test) : null;
        const body = this.loop(() => this.body(n.body));
        const update = n.update ? this.expr(n.update, true) : null;
        this.scopes.pop();
        out.push({ k: 'for', init, test, update, body });
        return;
      }
      case 'ForOfStatement':
        if (!this.whole) break;
        this.whole.forOf(n, out, this.cx);
        return;
      case 'WhileStatement': {
        const test = this.expr(n.test);
        out.push({ k: 'while', test, body: this.loop(() => this.body(n.body)) });
        return;
      }
      case 'DoWhileStatement': {
        const body = this.loop(() => this.body(n.body));
        out.push({ k: 'dowhile', body, test: this.expr(n.test) });
        return;
      }
      case 'BreakStatement':
      case 'ContinueStatement': {
        const word = n.type === 'BreakStatement' ? 'break' : 'continue';
        if (n.label) this.fail(`labelled ${word} is not supported`, n);
        if (this.loopDepth === 0) this.fail(`${word} outside a loop`, n);
        out.push({ k: word });
        return;
      }
      case 'ReturnStatement':
        if (this.whole) this.whole.returns(n.argument, n, out, this.cx);
        else this.kernelReturn(n, out);
        return;
    }
    this.fail(`unsupported statement: ${describeNode(n)}`, n);
  }

  /** A kernel's `return`: its per-element outputs. */
  private kernelReturn(n: AstNode, out: Stmt[]): void {
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
  }

  /** The outputs listed by `[a, b, …]` in a kernel's return position. */
  private returnValues(arr: AstNode): Expr[] {
    const values = (arr.elements as (AstNode | null)[]).map((el) => {
      if (!el || el.type === 'SpreadElement') this.fail('return [..] must list plain values', arr);
      return this.expr(el);
    });
    if (values.length === 0) this.fail('return [] gives no output', arr);
    return values;
  }

  private expressionStatement(e: AstNode, out: Stmt[]): void {
    // `b = a` / `b = zeros(…)`: an array assignment is a statement of its own.
    if (e.type === 'AssignmentExpression' && e.operator === '=' && e.left.type === 'Identifier') {
      const local = this.lookup(e.left.name);
      if (local && (isArrayType(this.types[local.id]) || this.isArraySource(e.right))) {
        const target = this.target(e.left);
        const v = this.value(e.right);
        // A number into an array variable (or the reverse) fails to unify here.
        this.assignTy(target.id, v.ty, e);
        if (!isArrayExpr(v)) throw new Error('internal: scalar assigned to an array local');
        out.push({ k: 'aset', id: target.id, value: v, decl: false });
        return;
      }
    }
    out.push({ k: 'expr', e: this.expr(e, true) });
  }

  /** Does `n` evaluate to an array (so that an assignment of it is an array assignment)? */
  private isArraySource(n: AstNode): boolean {
    if (n.type === 'Identifier') return this.arrayLocal(n) !== undefined;
    return n.type === 'CallExpression' && this.whole?.isArrayCall(n, this.cx) === true;
  }

  private declaration(n: AstNode, out: Stmt[]): void {
    const isConst = n.kind === 'const';
    for (const d of n.declarations as AstNode[]) {
      if (d.id.type === 'ArrayPattern' && this.whole) {
        shapeDestructure(d, isConst, out, this.cx, this.rules);
        continue;
      }
      if (d.id.type !== 'Identifier')
        this.fail('destructuring declarations are not supported', d.id);
      if (!d.init) {
        const local = this.declare(d.id.name, isConst, d.id);
        if (isArrayType(this.types[local.id])) {
          this.fail(`declare the array variable '${d.id.name}' with its first value`, d.id);
        }
        out.push({ k: 'let', id: local.id, init: null });
        continue;
      }
      const init = this.value(d.init);
      const local = this.declare(d.id.name, isConst, d.id);
      const ty = this.assignTy(local.id, init.ty, d.id);
      if (isArrayExpr(init)) out.push({ k: 'aset', id: local.id, value: init, decl: true });
      else out.push({ k: 'let', id: local.id, init: cast(init, ty as Ty) });
    }
  }

  // ---- arrays ---------------------------------------------------------------------------

  private arrayLocal(n: AstNode): number | undefined {
    if (n.type !== 'Identifier') return undefined;
    const l = this.lookup(n.name);
    return l && isArrayType(this.types[l.id]) ? l.id : undefined;
  }

  private shapeOwner(n: AstNode): number | undefined {
    if (
      n.type === 'MemberExpression' &&
      !n.computed &&
      n.property.name === 'shape' &&
      n.object.type === 'Identifier'
    ) {
      return this.arrayLocal(n.object);
    }
    return undefined;
  }

  /** An expression that may be an array (declarations, assignments, returns, call arguments). */
  private value(n: AstNode): Value {
    const id = this.arrayLocal(n);
    if (id !== undefined) return { k: 'alocal', id, ty: this.typeOf(id) as ArrayType };
    if (n.type === 'CallExpression' && this.whole) {
      const a = this.whole.arrayCall(n, this.cx);
      if (a) return a;
    }
    return this.expr(n);
  }

  // ---- expressions ----------------------------------------------------------------------

  /** `discard`: the value is unused (statement position), which lets `x++` lower like `++x`. */
  private expr(n: AstNode, discard = false): Expr {
    switch (n.type) {
      case 'Literal':
        if (typeof n.value === 'number') return this.constant(n.value);
        if (typeof n.value === 'boolean') return { k: 'const', value: n.value ? 1 : 0, ty: 'bool' };
        return this.fail(
          `unsupported literal ${describeLiteral(n)}: kernels compute on numbers ${this.whole ? 'and arrays' : 'only'}`,
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
        const ty = this.rules.join(l.ty, r.ty);
        return { k: 'logical', op: n.operator, l: cast(l, ty), r: cast(r, ty), ty };
      }
      case 'UnaryExpression':
        return this.unary(n);
      case 'UpdateExpression':
        return this.update(n, discard);
      case 'AssignmentExpression':
        return this.assignment(n);
      case 'ConditionalExpression': {
        const test = this.expr(n.test);
        const a = this.expr(n.consequent);
        const b = this.expr(n.alternate);
        const ty = this.rules.join(a.ty, b.ty);
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

  private constant(v: number): Expr {
    return { k: 'const', value: v, ty: this.rules.literal(v) };
  }

  private identifier(n: AstNode): Expr {
    const local = this.lookup(n.name);
    if (local && this.ext?.specialParams?.has(local.id) && local.id < this.p.params.length) {
      this.fail(`'${n.name}' is a ${this.ext.specialName ?? 'special parameter'}, not a number`, n);
    }
    if (local) {
      const t = this.typeOf(local.id);
      if (isArrayType(t)) {
        this.fail(
          `'${n.name}' is an array (${this.rules.name(t)}), not a number: read its elements with ${n.name}.get(…)`,
          n,
        );
      }
      return { k: 'local', id: local.id, ty: t };
    }
    const floatConst = this.rules.floatConst;
    if (n.name === 'NaN') return { k: 'const', value: Number.NaN, ty: floatConst };
    if (n.name === 'Infinity')
      return { k: 'const', value: Number.POSITIVE_INFINITY, ty: floatConst };
    // A whole function names 'undefined' among its unknown names, after the constants.
    if (n.name === 'undefined' && !this.whole) this.fail("'undefined' is not a number", n);
    if (Object.hasOwn(this.setup.constants, n.name)) {
      const v = this.setup.constants[n.name];
      return typeof v === 'boolean'
        ? { k: 'const', value: v ? 1 : 0, ty: 'bool' }
        : this.constant(v);
    }
    if (this.whole) return this.whole.unknownName(n, this.cx);
    this.free.add(n.name);
    return { k: 'free', name: n.name, ty: 'float64' };
  }

  private target(n: AstNode): Local {
    if (n.type !== 'Identifier') {
      if (
        n.type === 'MemberExpression' &&
        n.object.type === 'Identifier' &&
        this.arrayLocal(n.object) !== undefined
      ) {
        this.fail(
          `write array elements with ${n.object.name}.set(i, …, value), not by assignment`,
          n,
        );
      }
      this.fail(`cannot assign to ${describeNode(n)}: only local variables can be assigned`, n);
    }
    const local = this.lookup(n.name);
    if (!local)
      this.fail(`cannot assign to '${n.name}': it is not a local variable of the kernel`, n);
    if (local.isConst) this.fail(`assignment to constant variable '${n.name}'`, n);
    return local;
  }

  private update(n: AstNode, discard: boolean): Expr {
    if (n.argument.type !== 'Identifier' && this.ext?.update) {
      const e = this.ext.update(n, this.cx, discard);
      if (e) return e;
    }
    const local = this.target(n.argument);
    if (isArrayType(this.types[local.id])) this.fail(`'${n.argument.name}' is an array`, n);
    const t = this.rules.arith(this.scalarTypeOf(local.id), 'wint');
    const ty = this.assignTy(local.id, t, n) as Ty;
    return {
      k: 'update',
      id: local.id,
      delta: n.operator === '++' ? 1 : -1,
      prefix: n.prefix || discard,
      ty,
    };
  }

  private assignment(n: AstNode): Expr {
    if (n.left.type !== 'Identifier' && this.ext?.assign) {
      const e = this.ext.assign(n, this.cx);
      if (e) return e;
    }
    const local = this.target(n.left);
    const op: string = n.operator;
    if (isArrayType(this.types[local.id]) || (op === '=' && this.isArraySource(n.right))) {
      this.fail(
        `assign the array '${n.left.name}' in a statement of its own (${n.left.name} = …;), and only with '='`,
        n,
      );
    }
    let value = this.expr(n.right);
    if (op !== '=') {
      const bop = op.slice(0, -1);
      if (bop === '&&' || bop === '||' || bop === '??')
        this.fail(`operator '${op}' is not supported`, n);
      value = this.binaryOf(
        bop as BinaryOp,
        { k: 'local', id: local.id, ty: this.scalarTypeOf(local.id) },
        value,
        n,
      );
    }
    const ty = this.assignTy(local.id, value.ty, n) as Ty;
    return { k: 'assign', id: local.id, value: cast(value, ty), ty };
  }

  private binary(n: AstNode): Expr {
    const op: string = n.operator;
    if (op === 'in' || op === 'instanceof') this.fail(`operator '${op}' is not supported`, n);
    const l = this.expr(n.left);
    const r = this.expr(n.right);
    if (COMPARE_OPS.has(op)) {
      const cop = (op === '==' ? '===' : op === '!=' ? '!==' : op) as CompareOp;
      const c = this.rules.compareAs(l.ty, r.ty);
      return {
        k: 'compare',
        op: cop,
        l: c ? cast(l, c) : l,
        r: c ? cast(r, c) : r,
        ty: 'bool',
      };
    }
    return this.binaryOf(op as BinaryOp, l, r, n);
  }

  private binaryOf(op: BinaryOp, l: Expr, r: Expr, n: AstNode): Expr {
    const rules = this.rules;
    let ty: Ty;
    switch (op) {
      case '+':
      case '-':
      case '*':
      case '%':
      case '**':
        ty = rules.arith(l.ty, r.ty);
        break;
      case '/':
        ty = rules.div(l.ty, r.ty);
        break;
      case '&':
      case '|':
      case '^':
        ty = rules.bit(l.ty, r.ty);
        break;
      case '<<':
      case '>>':
      case '>>>':
        ty = rules.shift(op, l.ty);
        // The count keeps its type: a shift reads it as an unsigned 5-bit (or wider) amount.
        return { k: 'binary', op, l: cast(l, ty), r, ty };
      default:
        return this.fail(`operator '${op}' is not supported`, n);
    }
    return { k: 'binary', op, l: cast(l, ty), r: cast(r, ty), ty };
  }

  private unary(n: AstNode): Expr {
    const op: string = n.operator;
    if (op === 'typeof' || op === 'void' || op === 'delete')
      this.fail(`operator '${op}' is not supported`, n);
    if (op === '-' && n.argument.type === 'Literal' && typeof n.argument.value === 'number') {
      return this.constant(-n.argument.value);
    }
    const arg = this.expr(n.argument);
    switch (op) {
      case '!':
        return { k: 'unary', op, arg, ty: 'bool' };
      case '-':
      case '+': {
        const ty = this.rules.unary(arg.ty);
        return { k: 'unary', op, arg: cast(arg, ty), ty };
      }
      case '~': {
        const ty = this.rules.bitNot(arg.ty);
        return { k: 'unary', op, arg: cast(arg, ty), ty };
      }
    }
    return this.fail(`operator '${op}' is not supported`, n);
  }

  private member(n: AstNode): Expr {
    const e = this.ext?.member?.(n, this.cx) ?? arrayMember(n, this.cx, this.rules);
    if (e) return e;
    if (!n.computed && n.object.type === 'Identifier' && !this.lookup(n.object.name)) {
      const table =
        n.object.name === 'Math'
          ? MATH_CONSTANTS
          : n.object.name === 'Number'
            ? NUMBER_CONSTANTS
            : null;
      if (table && Object.hasOwn(table, n.property.name)) {
        return { k: 'const', value: table[n.property.name], ty: this.rules.floatConst };
      }
    }
    return this.fail(
      `unsupported property access ${describeNode(n)}: only ${this.whole ? 'array properties and Math/Number constants' : 'Math and Number constants'} can be read`,
      n,
    );
  }

  private call(n: AstNode): Expr {
    const e = this.ext?.call?.(n, this.cx);
    if (e) return e;
    const c = n.callee as AstNode;
    const argNodes = n.arguments as AstNode[];
    if (this.whole) {
      for (const a of argNodes)
        if (a.type === 'SpreadElement') this.fail('spread arguments are not supported', a);
      if (c.type === 'MemberExpression' && !c.computed) {
        const arr = this.arrayLocal(c.object);
        if (arr !== undefined) {
          return arrayMethod(n, arr, this.cx, this.rules, this.whole?.boundscheck ?? false);
        }
        const obj = c.object as AstNode;
        const local = obj.type === 'Identifier' ? this.lookup(obj.name) : undefined;
        if (local) {
          this.fail(
            `'${obj.name}' is ${this.rules.name(this.typeOf(local.id))}, not an array: it has no .${c.property.name}(…)`,
            n,
          );
        }
      }
      this.whole.checkCall(n, this.cx);
    }
    if (
      c.type === 'Identifier' &&
      !this.lookup(c.name) &&
      Object.hasOwn(this.setup.functions, c.name)
    ) {
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
    return mathCall(this.rules, kind, name, args);
  }

  /** `name(…)` for a jit function or ufunc of the `functions` option: a call of its compiled version. */
  private helperCall(n: AstNode, name: string): Expr {
    const argNodes = n.arguments as AstNode[];
    for (const a of argNodes)
      if (a.type === 'SpreadElement') this.fail('spread arguments are not supported', a);
    const args = argNodes.map((a) => this.value(a));
    for (const [i, a] of args.entries()) {
      if (a.k === 'alloc') this.fail(`pass an array held in a variable to '${name}'`, argNodes[i]);
    }
    const argTypes = args.map((a) => a.ty);
    let v: CalleeVersion;
    try {
      v = this.setup.functions[name].specialise(argTypes, name);
    } catch (e) {
      if (e instanceof CompileError || e instanceof TypeError) {
        return this.fail(
          `in '${name}' called with (${argTypes.map(this.rules.name).join(', ')}): ${calleeMessage(e.message, name)}`,
          n,
        );
      }
      throw e;
    }
    const callee = this.whole
      ? this.whole.callee(name, v, argTypes)
      : this.kernelCallee(v, name, n);
    const converted: Value[] = args.map((a, i) => {
      const pt = v.params[i];
      return isArrayExpr(a) || isArrayType(pt) ? a : cast(a, pt);
    });
    return { k: 'call', callee, args: converted, ty: v.ret };
  }

  /** A kernel calls helpers through the global table (its loops take no arrays to pass on). */
  private kernelCallee(v: CalleeVersion, name: string, n: AstNode): number {
    if (v.params.some(isArrayType))
      this.fail(`'${name}' takes an array: call it from a jit function`, n);
    return registerCallee(v.fn);
  }
}

const COMPARE_OPS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=', '===', '!==', '==', '!=']);

/** True for an array type. */
export function isArrayType(t: LocalType | undefined): t is ArrayType {
  return typeof t === 'object' && t !== null;
}
