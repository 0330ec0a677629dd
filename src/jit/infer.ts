/**
 * Type inference for `jit`: walks a whole function with the types of one call's arguments
 * and builds the typed IR (`compiler/ir.ts`), arrays included. Scalars follow Numba's typing
 * (`types.ts`); array locals hold one array type (dtype and rank fixed, layout C or any).
 * Local types are the unification of everything assigned to them, found by iterating to a
 * fixed point. Everything outside the supported language is a CompileError naming the
 * construct and its line.
 */

import {
  type CalleeVersion,
  calleeMessage,
  type KernelCallable,
  type KernelFunctions,
} from '../compiler/callable.js';
import { type Constants, cast, describeNode } from '../compiler/infer.js';
import type {
  ArrayExpr,
  ArrayType,
  BinaryOp,
  CompareOp,
  Expr,
  Stmt,
  Ty,
  Value,
} from '../compiler/ir.js';
import { isArrayExpr } from '../compiler/ir.js';
import type { AstNode, ParsedKernel } from '../compiler/parse.js';
import {
  MATH_ARITY,
  MATH_CONSTANTS,
  MATH_FUNCTIONS,
  type MathKind,
  NUMBER_CONSTANTS,
  NUMBER_PREDICATES,
} from '../compiler/types.js';
import { DTYPES, type DType } from '../core/dtypes.js';
import { CompileError } from '../core/errors.js';
import {
  arithType,
  divType,
  floatType,
  INT64,
  isArrayType,
  isIntLike,
  type JitReturn,
  type JitType,
  joinScalar,
  typeName,
  unify,
} from './types.js';

/** A compiled function a kernel may call by name (`functions` option). */
export type JitCallable = KernelCallable;

/** An entry of a typed function's callee table. */
export interface Callee extends CalleeVersion {
  readonly name: string;
}

/** A jit function typed for one combination of argument types. */
export interface TypedFunction {
  readonly params: readonly JitType[];
  /** Type of every local, by id (parameters first). */
  readonly localTypes: readonly JitType[];
  /** Source names of locals (`$…` for the compiler's own). */
  readonly localNames: readonly string[];
  /** 1-based line where each local is declared (0: made by the compiler). */
  readonly localLines: readonly number[];
  readonly body: readonly Stmt[];
  readonly ret: JitReturn;
  readonly callees: readonly Callee[];
}

/** What a walk may use besides the source. */
export interface JitEnv {
  readonly constants: Constants;
  readonly functions: KernelFunctions;
  readonly boundscheck: boolean;
}

const MAX_PASSES = 32;
const ALLOCATORS = new Set(['zeros', 'empty', 'full']);
const LIBRARY = new Set([...ALLOCATORS, 'prange']);

interface Local {
  id: number;
  isConst: boolean;
}

/** Infers a whole function for arguments of `params`. */
export function inferFunction(
  parsed: ParsedKernel,
  params: readonly JitType[],
  env: JitEnv,
): TypedFunction {
  if (params.length !== parsed.params.length) {
    throw new TypeError(`function takes ${parsed.params.length} arguments, got ${params.length}`);
  }
  let types: (JitType | undefined)[] = params.slice();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const w = new Walker(parsed, types, env);
    const body = w.run();
    if (!w.changed) {
      return {
        params: params.slice(),
        localTypes: w.types.map((t) => t ?? INT64),
        localNames: w.names,
        localLines: w.lines,
        body,
        ret: w.ret(),
        callees: w.callees,
      };
    }
    types = w.types;
  }
  throw new CompileError('type inference did not converge');
}

class Walker {
  readonly types: (JitType | undefined)[];
  readonly names: string[] = [];
  readonly lines: number[] = [];
  readonly callees: Callee[] = [];
  private readonly calleeIndex = new Map<JitCallable, Map<string, number>>();
  changed = false;
  private retKind: 'none' | 'one' | 'tuple' | undefined;
  private retTypes: JitType[] = [];
  private scopes: Map<string, Local>[] = [];
  private nextId = 0;
  private loopDepth = 0;

  constructor(
    private readonly p: ParsedKernel,
    prevTypes: readonly (JitType | undefined)[],
    private readonly env: JitEnv,
  ) {
    this.types = prevTypes.slice();
  }

  private fail(msg: string, node: AstNode): never {
    throw new CompileError(msg, this.p.where(node));
  }

  ret(): JitReturn {
    if (this.retKind === undefined || this.retKind === 'none') return { kind: 'none' };
    if (this.retKind === 'one') return { kind: 'one', ty: this.retTypes[0] };
    return { kind: 'tuple', tys: this.retTypes.slice() };
  }

  run(): Stmt[] {
    const top = new Map<string, Local>();
    this.scopes.push(top);
    this.p.params.forEach((name, i) => {
      if (top.has(name)) this.fail(`duplicate parameter name '${name}'`, this.p.paramNodes[i]);
      top.set(name, { id: this.nextId++, isConst: false });
      this.names.push(name);
      this.lines.push(this.p.where(this.p.paramNodes[i]).line);
    });
    if (this.p.expressionBody) {
      const out: Stmt[] = [];
      this.returnStmt(this.p.body, this.p.body, out);
      return out;
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

  /** A local the source cannot name (loop counters, iterated arrays). */
  private hidden(name: string, ty: JitType): number {
    const id = this.nextId++;
    this.names.push(`$${name}`);
    this.lines.push(0);
    this.assignTy(id, ty, null);
    return id;
  }

  /**
   * The numbats function (`zeros`, `empty`, `full`, `prange`) a callee names: `zeros`, a
   * namespace member `nb.zeros`, or a transpiler's `(0, nb.zeros)`, unless a local or a
   * `functions` entry has that name.
   */
  private library(c: AstNode): string | undefined {
    let name: string | undefined;
    if (c.type === 'Identifier') name = c.name;
    else if (c.type === 'SequenceExpression' && c.expressions.length === 2) {
      const [first, last] = c.expressions as AstNode[];
      if (first.type === 'Literal' && last.type === 'MemberExpression') return this.library(last);
    } else if (
      c.type === 'MemberExpression' &&
      !c.computed &&
      c.object.type === 'Identifier' &&
      !this.lookup(c.object.name)
    ) {
      name = c.property.name;
    }
    if (name === undefined || !LIBRARY.has(name)) return undefined;
    if (c.type === 'Identifier' && (this.lookup(name) || Object.hasOwn(this.env.functions, name)))
      return undefined;
    return name;
  }

  private lookup(name: string): Local | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const l = this.scopes[i].get(name);
      if (l) return l;
    }
    return undefined;
  }

  private typeOf(id: number): JitType {
    return this.types[id] ?? INT64;
  }

  private scalarTypeOf(id: number): Ty {
    const t = this.typeOf(id);
    if (isArrayType(t)) throw new Error('internal: scalar type of an array local');
    return t;
  }

  /** Records that a value of type `t` flows into local `id`; returns the local's type. */
  private assignTy(id: number, t: JitType, node: AstNode | null): JitType {
    const old = this.types[id];
    const nt = old === undefined ? t : unify(old, t);
    if (nt === undefined) {
      const msg = `variable '${this.names[id]}' cannot hold both ${typeName(old!)} and ${typeName(t)}: give each a variable of its own`;
      if (node) this.fail(msg, node);
      throw new CompileError(msg);
    }
    if (old === undefined || typeName(nt) !== typeName(old)) {
      this.types[id] = nt;
      this.changed = true;
    }
    return nt;
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
        this.forOf(n, out);
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
        out.push({ k: n.type === 'BreakStatement' ? 'break' : 'continue' });
        return;
      }
      case 'ReturnStatement':
        this.returnStmt(n.argument, n, out);
        return;
      default:
        this.fail(`unsupported statement: ${describeNode(n)}`, n);
    }
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
    if (n.type === 'Identifier') {
      const l = this.lookup(n.name);
      return l !== undefined && isArrayType(this.types[l.id]);
    }
    return n.type === 'CallExpression' && ALLOCATORS.has(this.library(n.callee) ?? '');
  }

  private returnStmt(arg: AstNode | null, n: AstNode, out: Stmt[]): void {
    if (!arg) {
      this.addReturn('none', [], n);
      out.push({ k: 'result', values: [], tuple: false });
      return;
    }
    if (arg.type === 'ArrayExpression') {
      const values = (arg.elements as (AstNode | null)[]).map((el) => {
        if (!el || el.type === 'SpreadElement')
          this.fail('return [..] must list plain values', arg);
        return this.materialize(this.value(el), out);
      });
      this.addReturn(
        'tuple',
        values.map((v) => v.ty),
        n,
      );
      out.push({ k: 'result', values, tuple: true });
      return;
    }
    const v = this.materialize(this.value(arg), out);
    this.addReturn('one', [v.ty], n);
    out.push({ k: 'result', values: [v], tuple: false });
  }

  private addReturn(kind: 'none' | 'one' | 'tuple', tys: JitType[], n: AstNode): void {
    if (this.retKind === undefined) {
      this.retKind = kind;
      this.retTypes = tys.slice();
      return;
    }
    const what = (k: string, len: number) =>
      k === 'none' ? 'nothing' : k === 'one' ? 'one value' : `a tuple of ${len}`;
    if (this.retKind !== kind || this.retTypes.length !== tys.length) {
      this.fail(
        `every return must give the same kind of result: ${what(this.retKind, this.retTypes.length)}, not ${what(kind, tys.length)}`,
        n,
      );
    }
    tys.forEach((t, i) => {
      const u = unify(this.retTypes[i], t);
      if (u === undefined) {
        this.fail(
          `the return value${kind === 'tuple' ? ` at position ${i}` : ''} cannot be both ${typeName(this.retTypes[i])} and ${typeName(t)}`,
          n,
        );
      }
      this.retTypes[i] = u;
    });
  }

  /** An allocation in a value position (return, call argument) is held in a local first. */
  private materialize(v: Value, out: Stmt[]): Value {
    if (v.k !== 'alloc') return v;
    const id = this.hidden('array', v.ty);
    out.push({ k: 'aset', id, value: v, decl: true });
    return { k: 'alocal', id, ty: this.typeOf(id) as ArrayType };
  }

  private declaration(n: AstNode, out: Stmt[]): void {
    const isConst = n.kind === 'const';
    for (const d of n.declarations as AstNode[]) {
      if (d.id.type === 'ArrayPattern') {
        this.shapeDestructure(d, isConst, out);
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

  /** `const [n, m] = a.shape` (Numba's `n, m = a.shape`). */
  private shapeDestructure(d: AstNode, isConst: boolean, out: Stmt[]): void {
    const init = d.init as AstNode | null;
    const arr = init && this.shapeOwner(init);
    if (arr === undefined || arr === null) {
      this.fail('only an array shape can be destructured: const [n, m] = a.shape', d);
    }
    const aty = this.typeOf(arr) as ArrayType;
    const els = d.id.elements as (AstNode | null)[];
    if (els.length > aty.ndim) {
      this.fail(`'${init!.object.name}' has ${aty.ndim} dimension(s), not ${els.length}`, d.id);
    }
    els.forEach((el, axis) => {
      if (!el) return;
      if (el.type !== 'Identifier') this.fail('destructure a shape into plain names', el);
      const local = this.declare(el.name, isConst, el);
      this.assignTy(local.id, INT64, el);
      out.push({ k: 'let', id: local.id, init: { k: 'dim', arr, axis, ty: INT64 } });
    });
  }

  /** The array local whose `.shape` node `n` is (`a.shape`), if it is one. */
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

  private forOf(n: AstNode, out: Stmt[]): void {
    const left = n.left as AstNode;
    if (
      left.type !== 'VariableDeclaration' ||
      left.declarations.length !== 1 ||
      left.declarations[0].id.type !== 'Identifier'
    ) {
      this.fail('write for…of loops as for (const x of …) with one new variable', left);
    }
    const nameNode = left.declarations[0].id as AstNode;
    const right = n.right as AstNode;
    this.scopes.push(new Map());
    if (right.type === 'CallExpression' && this.library(right.callee) === 'prange') {
      const args = (right.arguments as AstNode[]).map((a) => {
        if (a.type === 'SpreadElement') this.fail('spread arguments are not supported', a);
        const e = this.expr(a);
        if (!isIntLike(e.ty))
          this.fail(`prange takes integers; this argument is ${typeName(e.ty)}`, a);
        return e;
      });
      if (args.length < 1 || args.length > 3) {
        this.fail(
          `prange takes 1 to 3 arguments (stop | start, stop[, step]); got ${args.length}`,
          right,
        );
      }
      const one: Expr = { k: 'const', value: 1, ty: INT64 };
      const zero: Expr = { k: 'const', value: 0, ty: INT64 };
      const [start, stop, step] =
        args.length === 1 ? [zero, args[0], one] : [args[0], args[1], args[2] ?? one];
      const local = this.declare(nameNode.name, true, nameNode);
      this.assignTy(local.id, INT64, nameNode);
      const body = this.loop(() => this.body(n.body));
      this.scopes.pop();
      out.push({ k: 'range', id: local.id, start, stop, step, parallel: true, body });
      return;
    }
    const src = this.value(right);
    if (!isArrayExpr(src)) {
      this.fail(`for…of loops over prange(…) or a 1-d array; this is ${typeName(src.ty)}`, right);
    }
    if (src.ty.ndim !== 1) {
      this.fail(
        `for…of over a ${src.ty.ndim}-d array: loop over its indices (for (const i of prange(a.shape[0])))`,
        right,
      );
    }
    const arr = this.hidden('iterated', src.ty);
    out.push({ k: 'aset', id: arr, value: src, decl: true });
    const idx = this.hidden('index', INT64);
    const local = this.declare(nameNode.name, left.kind === 'const', nameNode);
    const elem: Expr = {
      k: 'load',
      arr,
      index: [{ k: 'local', id: idx, ty: INT64 }],
      check: false,
      ty: src.ty.dtype,
    };
    const elTy = this.assignTy(local.id, src.ty.dtype, nameNode) as Ty;
    const body = this.loop(() => this.body(n.body));
    this.scopes.pop();
    out.push({
      k: 'range',
      id: idx,
      start: { k: 'const', value: 0, ty: INT64 },
      stop: { k: 'dim', arr, axis: 0, ty: INT64 },
      step: { k: 'const', value: 1, ty: INT64 },
      parallel: false,
      body: [{ k: 'let', id: local.id, init: cast(elem, elTy) }, ...body],
    });
  }

  // ---- values ---------------------------------------------------------------------------

  /** The array local an identifier names, if it is one. */
  private arrayLocal(n: AstNode): number | undefined {
    if (n.type !== 'Identifier') return undefined;
    const l = this.lookup(n.name);
    return l && isArrayType(this.types[l.id]) ? l.id : undefined;
  }

  /** An expression that may be an array (declarations, assignments, returns, call arguments). */
  private value(n: AstNode): Value {
    const id = this.arrayLocal(n);
    if (id !== undefined) return { k: 'alocal', id, ty: this.typeOf(id) as ArrayType };
    if (n.type === 'CallExpression') {
      const lib = this.library(n.callee);
      if (lib !== undefined && ALLOCATORS.has(lib)) return this.alloc(n, lib);
    }
    return this.expr(n);
  }

  private alloc(n: AstNode, fname: string): ArrayExpr {
    const args = n.arguments as AstNode[];
    for (const a of args)
      if (a.type === 'SpreadElement') this.fail('spread arguments are not supported', a);
    const isFull = fname === 'full';
    const max = isFull ? 3 : 2;
    if (args.length < (isFull ? 2 : 1) || args.length > max) {
      this.fail(
        `${fname} takes ${isFull ? '(shape, value, dtype?)' : '(shape, dtype?)'}; got ${args.length} argument(s)`,
        n,
      );
    }
    const shape = this.shapeArg(args[0]);
    const fill = isFull ? this.expr(args[1]) : null;
    const dtNode = args[isFull ? 2 : 1] as AstNode | undefined;
    let dtype: DType = fill?.ty === 'bool' ? 'bool' : 'float64';
    if (dtNode) {
      if (dtNode.type !== 'Literal' || typeof dtNode.value !== 'string') {
        this.fail(`the dtype of ${fname} must be a string literal like 'float64'`, dtNode);
      }
      if (!DTYPES.includes(dtNode.value as DType)) {
        this.fail(
          `unknown dtype '${String(dtNode.value)}': use one of ${DTYPES.join(', ')} (no 64-bit integers: float64 holds them exactly)`,
          dtNode,
        );
      }
      dtype = dtNode.value as DType;
    }
    return {
      k: 'alloc',
      shape,
      fill: fill
        ? cast(fill, isIntLike(fill.ty) && dtype === 'float64' ? 'float64' : fill.ty)
        : null,
      ty: { dtype, ndim: shape.length, layout: 'C' },
    };
  }

  /** A shape: an integer, a literal list of integers, or another array's `.shape`. */
  private shapeArg(n: AstNode): Expr[] {
    const owner = this.shapeOwner(n);
    if (owner !== undefined) {
      const t = this.typeOf(owner) as ArrayType;
      return Array.from(
        { length: t.ndim },
        (_, axis): Expr => ({ k: 'dim', arr: owner, axis, ty: INT64 }),
      );
    }
    const int = (a: AstNode): Expr => {
      const e = this.expr(a);
      if (!isIntLike(e.ty)) this.fail(`a shape holds integers; this is ${typeName(e.ty)}`, a);
      return e;
    };
    if (n.type === 'ArrayExpression') {
      return (n.elements as (AstNode | null)[]).map((el) => {
        if (!el || el.type === 'SpreadElement') return this.fail('a shape lists plain integers', n);
        return int(el);
      });
    }
    return [int(n)];
  }

  // ---- expressions ----------------------------------------------------------------------

  /** A scalar expression. `discard`: the value is unused, so `x++` may lower like `++x`. */
  private expr(n: AstNode, discard = false): Expr {
    switch (n.type) {
      case 'Literal':
        if (typeof n.value === 'number') return numberConst(n.value);
        if (typeof n.value === 'boolean') return { k: 'const', value: n.value ? 1 : 0, ty: 'bool' };
        return this.fail(
          `unsupported literal ${describeNode(n)}: kernels compute on numbers and arrays`,
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
        const ty = joinScalar(l.ty, r.ty);
        return { k: 'logical', op: n.operator, l: cast(l, ty), r: cast(r, ty), ty };
      }
      case 'UnaryExpression':
        return this.unary(n);
      case 'UpdateExpression': {
        const local = this.target(n.argument);
        if (isArrayType(this.types[local.id])) this.fail(`'${n.argument.name}' is an array`, n);
        const ty = this.assignTy(local.id, arithType(this.scalarTypeOf(local.id), INT64), n) as Ty;
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
        const ty = joinScalar(a.ty, b.ty);
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
      default:
        return this.fail(`unsupported expression: ${describeNode(n)}`, n);
    }
  }

  private identifier(n: AstNode): Expr {
    const local = this.lookup(n.name);
    if (local) {
      const t = this.typeOf(local.id);
      if (isArrayType(t)) {
        this.fail(
          `'${n.name}' is an array (${typeName(t)}), not a number: read its elements with ${n.name}.get(…)`,
          n,
        );
      }
      return { k: 'local', id: local.id, ty: t };
    }
    if (n.name === 'NaN') return { k: 'const', value: Number.NaN, ty: 'float64' };
    if (n.name === 'Infinity')
      return { k: 'const', value: Number.POSITIVE_INFINITY, ty: 'float64' };
    if (Object.hasOwn(this.env.constants, n.name)) {
      const v = this.env.constants[n.name];
      return typeof v === 'boolean' ? { k: 'const', value: v ? 1 : 0, ty: 'bool' } : numberConst(v);
    }
    if (Object.hasOwn(this.env.functions, n.name)) {
      this.fail(`'${n.name}' is a function: call it, ${n.name}(…)`, n);
    }
    if (n.name === 'undefined') this.fail("'undefined' is not a number", n);
    return this.fail(
      `'${n.name}' is not defined inside the kernel: pass numbers and booleans with constants: { ${n.name} } and jit functions or ufuncs with functions: { ${n.name} } (a bundler may rename imports: the name in the source is what counts)`,
      n,
    );
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

  private assignment(n: AstNode): Expr {
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
    if (['<', '<=', '>', '>=', '===', '!==', '==', '!='].includes(op)) {
      const cop = (op === '==' ? '===' : op === '!=' ? '!==' : op) as CompareOp;
      return { k: 'compare', op: cop, l, r, ty: 'bool' };
    }
    return this.binaryOf(op as BinaryOp, l, r, n);
  }

  private binaryOf(op: BinaryOp, l: Expr, r: Expr, n: AstNode): Expr {
    let ty: Ty;
    switch (op) {
      case '+':
      case '-':
      case '*':
      case '%':
      case '**':
        ty = arithType(l.ty, r.ty);
        break;
      case '/':
        ty = divType(l.ty, r.ty);
        break;
      case '&':
      case '|':
      case '^':
        ty = l.ty === 'bool' && r.ty === 'bool' ? 'bool' : INT64;
        break;
      case '<<':
      case '>>':
      case '>>>':
        ty = INT64;
        return { k: 'binary', op, l, r, ty };
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
      return numberConst(-n.argument.value);
    }
    const arg = this.expr(n.argument);
    switch (op) {
      case '!':
        return { k: 'unary', op, arg, ty: 'bool' };
      case '-':
      case '+': {
        const ty: Ty = isIntLike(arg.ty) ? INT64 : arg.ty;
        return { k: 'unary', op, arg: cast(arg, ty), ty };
      }
      case '~':
        return { k: 'unary', op, arg, ty: INT64 };
    }
    return this.fail(`operator '${op}' is not supported`, n);
  }

  private member(n: AstNode): Expr {
    const obj = n.object as AstNode;
    // a.shape[k]
    if (n.computed && obj.type === 'MemberExpression') {
      const arr = this.shapeOwner(obj);
      if (arr !== undefined) {
        const t = this.typeOf(arr) as ArrayType;
        const k = this.expr(n.property);
        const axis =
          k.k === 'const' && Number.isInteger(k.value)
            ? k.value < 0
              ? k.value + t.ndim
              : k.value
            : -1;
        if (axis < 0 || axis >= t.ndim) {
          this.fail(
            `'${obj.object.name}.shape[…]' needs a constant index from 0 to ${t.ndim - 1} (${obj.object.name} is ${typeName(t)})`,
            n.property,
          );
        }
        return { k: 'dim', arr, axis, ty: INT64 };
      }
    }
    if (!n.computed && n.property.name === 'length') {
      const arr = this.shapeOwner(obj);
      if (arr !== undefined)
        return { k: 'const', value: (this.typeOf(arr) as ArrayType).ndim, ty: INT64 };
    }
    const arr = this.arrayLocal(obj);
    if (arr !== undefined) {
      const t = this.typeOf(arr) as ArrayType;
      const prop = n.computed ? undefined : (n.property.name as string);
      if (prop === 'size') return { k: 'dim', arr, axis: -1, ty: INT64 };
      if (prop === 'ndim' || prop === 'dimension') return { k: 'const', value: t.ndim, ty: INT64 };
      if (prop === 'shape') {
        this.fail(
          `'${obj.name}.shape' is read as ${obj.name}.shape[k], ${obj.name}.shape.length, const [n, m] = ${obj.name}.shape, or passed to zeros/empty/full`,
          n,
        );
      }
      if (n.computed) {
        this.fail(
          `index arrays with ${obj.name}.get(i, …) and ${obj.name}.set(i, …, value), not ${obj.name}[…]`,
          n,
        );
      }
      this.fail(
        `unsupported array property '${obj.name}.${prop}': arrays have .get, .set, .shape, .size and .ndim`,
        n,
      );
    }
    if (!n.computed && obj.type === 'Identifier' && !this.lookup(obj.name)) {
      const table =
        obj.name === 'Math' ? MATH_CONSTANTS : obj.name === 'Number' ? NUMBER_CONSTANTS : null;
      if (table && Object.hasOwn(table, n.property.name)) {
        return { k: 'const', value: table[n.property.name], ty: 'float64' };
      }
    }
    return this.fail(
      `unsupported property access ${describeNode(n)}: only array properties and Math/Number constants can be read`,
      n,
    );
  }

  private indices(args: AstNode[], name: string): Expr[] {
    return args.map((a) => {
      if (a.type === 'SpreadElement') this.fail('spread arguments are not supported', a);
      const e = this.expr(a);
      if (!isIntLike(e.ty)) {
        this.fail(
          `an index of '${name}' must be an integer, not ${typeName(e.ty)} (use Math.floor(…))`,
          a,
        );
      }
      return e;
    });
  }

  private call(n: AstNode): Expr {
    const c = n.callee as AstNode;
    const argNodes = n.arguments as AstNode[];
    for (const a of argNodes)
      if (a.type === 'SpreadElement') this.fail('spread arguments are not supported', a);
    if (c.type === 'MemberExpression' && !c.computed) {
      const arr = this.arrayLocal(c.object);
      if (arr !== undefined) return this.arrayMethod(n, arr);
      const obj = c.object as AstNode;
      if (obj.type === 'Identifier' && this.lookup(obj.name)) {
        const t = this.typeOf(this.lookup(obj.name)!.id);
        this.fail(
          `'${obj.name}' is ${typeName(t)}, not an array: it has no .${c.property.name}(…)`,
          n,
        );
      }
      if (obj.type === 'CallExpression') {
        const lib = this.library(obj.callee);
        if (lib !== undefined && ALLOCATORS.has(lib)) {
          this.fail(
            `${lib}(…) makes an array: assign it to a variable first (const a = ${lib}(…))`,
            n,
          );
        }
      }
    }
    if (
      c.type === 'Identifier' &&
      !this.lookup(c.name) &&
      Object.hasOwn(this.env.functions, c.name)
    ) {
      return this.helperCall(n, c.name);
    }
    const lib = this.library(c);
    if (lib === 'prange') this.fail('prange(…) is only allowed as for (const i of prange(…))', n);
    if (lib !== undefined) {
      this.fail(
        `${lib}(…) makes an array: assign it to a variable (const a = ${lib}(…)) or return it`,
        n,
      );
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
    const [lo, hi] = MATH_ARITY[kind];
    if (argNodes.length < lo || argNodes.length > hi) {
      this.fail(
        `Math.${name} expects ${lo === hi ? lo : `${lo} to ${hi}`} argument(s), got ${argNodes.length}`,
        n,
      );
    }
    return mathCall(
      kind,
      name,
      argNodes.map((a) => this.expr(a)),
    );
  }

  private arrayMethod(n: AstNode, arr: number): Expr {
    const c = n.callee as AstNode;
    const t = this.typeOf(arr) as ArrayType;
    const name: string = c.object.name;
    const method: string = c.property.name;
    const args = n.arguments as AstNode[];
    const check = this.env.boundscheck;
    if (method === 'get') {
      if (args.length !== t.ndim) {
        this.fail(
          `'${name}.get' takes ${t.ndim} index(es) for ${typeName(t)}; got ${args.length}`,
          n,
        );
      }
      return { k: 'load', arr, index: this.indices(args, name), check, ty: t.dtype };
    }
    if (method === 'set') {
      if (args.length !== t.ndim + 1) {
        this.fail(
          `'${name}.set' takes ${t.ndim} index(es) and a value for ${typeName(t)}; got ${args.length} argument(s)`,
          n,
        );
      }
      const index = this.indices(args.slice(0, t.ndim), name);
      const value = this.expr(args[t.ndim]);
      return { k: 'store', arr, index, value, check, ty: value.ty };
    }
    return this.fail(
      `arrays have no method '${method}' here: use ${name}.get(…) and ${name}.set(…)`,
      n,
    );
  }

  private helperCall(n: AstNode, name: string): Expr {
    const callable = this.env.functions[name];
    const args = (n.arguments as AstNode[]).map((a) => this.value(a));
    for (const [i, a] of args.entries()) {
      if (a.k === 'alloc')
        this.fail(`pass an array held in a variable to '${name}'`, (n.arguments as AstNode[])[i]);
    }
    let version: CalleeVersion;
    try {
      version = callable.specialise(
        args.map((a) => a.ty),
        name,
      );
    } catch (e) {
      if (e instanceof CompileError || e instanceof TypeError) {
        this.fail(
          `in '${name}' called with (${args.map((a) => typeName(a.ty)).join(', ')}): ${calleeMessage(e.message, name)}`,
          n,
        );
      }
      throw e;
    }
    const key = args.map((a) => typeName(a.ty)).join(',');
    let byType = this.calleeIndex.get(callable);
    if (!byType) this.calleeIndex.set(callable, (byType = new Map()));
    let idx = byType.get(key);
    if (idx === undefined) {
      idx = this.callees.length;
      this.callees.push({ name, ...version });
      byType.set(key, idx);
    }
    const converted: Value[] = args.map((a, i) => {
      const pt = version.params[i];
      return isArrayExpr(a) || isArrayType(pt) ? a : cast(a as Expr, pt);
    });
    return { k: 'call', callee: idx, args: converted, ty: version.ret };
  }
}

/** A number literal in Numba's typing: an integer is int64, anything else float64. */
export function numberConst(v: number): Expr {
  return {
    k: 'const',
    value: v,
    ty: Number.isSafeInteger(v) && !Object.is(v, -0) ? INT64 : 'float64',
  };
}

function mathCall(kind: MathKind, fn: string, args: Expr[]): Expr {
  switch (kind) {
    case 'same': {
      const t: Ty = isIntLike(args[0].ty) ? INT64 : args[0].ty;
      return { k: 'math', fn, args: [cast(args[0], t)], ty: t };
    }
    case 'float1': {
      const t = floatType(args[0].ty);
      return { k: 'math', fn, args: [cast(args[0], t)], ty: t };
    }
    case 'float2': {
      const t = floatType(joinScalar(args[0].ty, args[1].ty));
      return { k: 'math', fn, args: args.map((a) => cast(a, t)), ty: t };
    }
    case 'minmax': {
      if (args.length === 0)
        return numberConst(fn === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
      const t = args.map((a) => a.ty).reduce(joinScalar);
      return { k: 'math', fn, args: args.map((a) => cast(a, t)), ty: t };
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
