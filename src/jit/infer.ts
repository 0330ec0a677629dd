/**
 * Type inference for `jit`: the compiler's walk (`compiler/walker.ts`) with Numba's scalar
 * typing (`NUMBA_RULES`) and what only a whole function has: the numbats functions that make
 * arrays (`zeros`, `empty`, `full`) and split loops (`prange`), `for…of` loops, a result of
 * numbers and arrays (one value or a tuple), and a callee table of its own.
 */

import type { CalleeVersion, KernelCallable, KernelFunctions } from '../compiler/callable.js';
import type { WalkContext, WholeFunction } from '../compiler/hooks.js';
import { type Constants, cast } from '../compiler/infer.js';
import type { ArrayExpr, ArrayType, Expr, Stmt, Ty, Value } from '../compiler/ir.js';
import { isArrayExpr } from '../compiler/ir.js';
import type { AstNode, ParsedKernel } from '../compiler/parse.js';
import type { LocalType } from '../compiler/rules.js';
import { walk } from '../compiler/walker.js';
import { DTYPES, type DType } from '../core/dtypes.js';
import {
  INT64,
  isIntLike,
  type JitReturn,
  type JitType,
  NUMBA_RULES,
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

const ALLOCATORS = new Set(['zeros', 'empty', 'full']);
const LIBRARY = new Set([...ALLOCATORS, 'prange']);

/** Infers a whole function for arguments of `params`. */
export function inferFunction(
  parsed: ParsedKernel,
  params: readonly JitType[],
  env: JitEnv,
): TypedFunction {
  if (params.length !== parsed.params.length) {
    throw new TypeError(`function takes ${parsed.params.length} arguments, got ${params.length}`);
  }
  let fn: JitFunction | undefined;
  const { walker: w, body } = walk(parsed, params, () => {
    fn = new JitFunction(env);
    const { constants, functions } = env;
    return { rules: NUMBA_RULES, constants, functions, whole: fn };
  });
  return {
    params: params.slice(),
    localTypes: w.types.map((t) => t ?? INT64),
    localNames: w.names,
    localLines: w.lines,
    body,
    ret: fn!.ret(),
    callees: fn!.callees,
  };
}

/** The hooks of one pass over a jit function: what it returns and the helpers it calls. */
class JitFunction implements WholeFunction {
  readonly boundscheck: boolean;
  readonly callees: Callee[] = [];
  private readonly calleeIndex = new Map<JitCallable, Map<string, number>>();
  private retKind: 'none' | 'one' | 'tuple' | undefined;
  private retTypes: JitType[] = [];

  constructor(private readonly env: JitEnv) {
    this.boundscheck = env.boundscheck;
  }

  ret(): JitReturn {
    if (this.retKind === undefined || this.retKind === 'none') return { kind: 'none' };
    if (this.retKind === 'one') return { kind: 'one', ty: this.retTypes[0] };
    return { kind: 'tuple', tys: this.retTypes.slice() };
  }

  /**
   * The numbats function (`zeros`, `empty`, `full`, `prange`) a callee names: `zeros`, a
   * namespace member `nb.zeros`, or a transpiler's `(0, nb.zeros)`, unless a local or a
   * `functions` entry has that name.
   */
  private library(c: AstNode, cx: WalkContext): string | undefined {
    let name: string | undefined;
    if (c.type === 'Identifier') name = c.name;
    else if (c.type === 'SequenceExpression' && c.expressions.length === 2) {
      const [first, last] = c.expressions as AstNode[];
      if (first.type === 'Literal' && last.type === 'MemberExpression')
        return this.library(last, cx);
    } else if (
      c.type === 'MemberExpression' &&
      !c.computed &&
      c.object.type === 'Identifier' &&
      !cx.isLocal(c.object.name)
    ) {
      name = c.property.name;
    }
    if (name === undefined || !LIBRARY.has(name)) return undefined;
    if (c.type === 'Identifier' && (cx.isLocal(name) || Object.hasOwn(this.env.functions, name)))
      return undefined;
    return name;
  }

  isArrayCall(n: AstNode, cx: WalkContext): boolean {
    return ALLOCATORS.has(this.library(n.callee, cx) ?? '');
  }

  arrayCall(n: AstNode, cx: WalkContext): ArrayExpr | undefined {
    const lib = this.library(n.callee, cx);
    return lib !== undefined && ALLOCATORS.has(lib) ? this.alloc(n, lib, cx) : undefined;
  }

  checkCall(n: AstNode, cx: WalkContext): void {
    const c = n.callee as AstNode;
    if (c.type === 'MemberExpression' && !c.computed && c.object.type === 'CallExpression') {
      const lib = this.library(c.object.callee, cx);
      if (lib !== undefined && ALLOCATORS.has(lib)) {
        cx.fail(`${lib}(…) makes an array: assign it to a variable first (const a = ${lib}(…))`, n);
      }
    }
    const lib = this.library(c, cx);
    if (lib === 'prange') cx.fail('prange(…) is only allowed as for (const i of prange(…))', n);
    if (lib !== undefined) {
      cx.fail(
        `${lib}(…) makes an array: assign it to a variable (const a = ${lib}(…)) or return it`,
        n,
      );
    }
  }

  unknownName(n: AstNode, cx: WalkContext): never {
    if (Object.hasOwn(this.env.functions, n.name)) {
      cx.fail(`'${n.name}' is a function: call it, ${n.name}(…)`, n);
    }
    if (n.name === 'undefined') cx.fail("'undefined' is not a number", n);
    return cx.fail(
      `'${n.name}' is not defined inside the kernel: pass numbers and booleans with constants: { ${n.name} } and jit functions or ufuncs with functions: { ${n.name} } (a bundler may rename imports: the name in the source is what counts)`,
      n,
    );
  }

  callee(name: string, version: CalleeVersion, argTypes: readonly LocalType[]): number {
    const callable = this.env.functions[name];
    const key = argTypes.map(typeName).join(',');
    let byType = this.calleeIndex.get(callable);
    if (!byType) this.calleeIndex.set(callable, (byType = new Map()));
    let idx = byType.get(key);
    if (idx === undefined) {
      idx = this.callees.length;
      this.callees.push({ name, ...version });
      byType.set(key, idx);
    }
    return idx;
  }

  // ---- returns --------------------------------------------------------------------------

  returns(arg: AstNode | null, n: AstNode, out: Stmt[], cx: WalkContext): void {
    if (!arg) {
      this.addReturn('none', [], n, cx);
      out.push({ k: 'result', values: [], tuple: false });
      return;
    }
    if (arg.type === 'ArrayExpression') {
      const values = (arg.elements as (AstNode | null)[]).map((el) => {
        if (!el || el.type === 'SpreadElement') cx.fail('return [..] must list plain values', arg);
        return this.materialize(cx.value(el), out, cx);
      });
      this.addReturn(
        'tuple',
        values.map((v) => v.ty),
        n,
        cx,
      );
      out.push({ k: 'result', values, tuple: true });
      return;
    }
    const v = this.materialize(cx.value(arg), out, cx);
    this.addReturn('one', [v.ty], n, cx);
    out.push({ k: 'result', values: [v], tuple: false });
  }

  private addReturn(
    kind: 'none' | 'one' | 'tuple',
    tys: JitType[],
    n: AstNode,
    cx: WalkContext,
  ): void {
    if (this.retKind === undefined) {
      this.retKind = kind;
      this.retTypes = tys.slice();
      return;
    }
    const what = (k: string, len: number) =>
      k === 'none' ? 'nothing' : k === 'one' ? 'one value' : `a tuple of ${len}`;
    if (this.retKind !== kind || this.retTypes.length !== tys.length) {
      cx.fail(
        `every return must give the same kind of result: ${what(this.retKind, this.retTypes.length)}, not ${what(kind, tys.length)}`,
        n,
      );
    }
    tys.forEach((t, i) => {
      const u = unify(this.retTypes[i], t);
      if (u === undefined) {
        cx.fail(
          `the return value${kind === 'tuple' ? ` at position ${i}` : ''} cannot be both ${typeName(this.retTypes[i])} and ${typeName(t)}`,
          n,
        );
      }
      this.retTypes[i] = u;
    });
  }

  /** An allocation in a value position (return, call argument) is held in a local first. */
  private materialize(v: Value, out: Stmt[], cx: WalkContext): Value {
    if (v.k !== 'alloc') return v;
    const id = cx.hidden('array', v.ty);
    out.push({ k: 'aset', id, value: v, decl: true });
    return { k: 'alocal', id, ty: cx.typeOf(id) as ArrayType };
  }

  // ---- loops ----------------------------------------------------------------------------

  forOf(n: AstNode, out: Stmt[], cx: WalkContext): void {
    const left = n.left as AstNode;
    if (
      left.type !== 'VariableDeclaration' ||
      left.declarations.length !== 1 ||
      left.declarations[0].id.type !== 'Identifier'
    ) {
      cx.fail('write for…of loops as for (const x of …) with one new variable', left);
    }
    const nameNode = left.declarations[0].id as AstNode;
    const right = n.right as AstNode;
    cx.scoped(() => {
      if (right.type === 'CallExpression' && this.library(right.callee, cx) === 'prange') {
        this.prange(n, nameNode, out, cx);
      } else {
        this.overArray(n, nameNode, out, cx);
      }
    });
  }

  /** `for (const i of prange(…))`: a counted loop a target may split. */
  private prange(n: AstNode, nameNode: AstNode, out: Stmt[], cx: WalkContext): void {
    const right = n.right as AstNode;
    const args = (right.arguments as AstNode[]).map((a) => {
      if (a.type === 'SpreadElement') cx.fail('spread arguments are not supported', a);
      const e = cx.expr(a);
      if (!isIntLike(e.ty)) cx.fail(`prange takes integers; this argument is ${typeName(e.ty)}`, a);
      return e;
    });
    if (args.length < 1 || args.length > 3) {
      cx.fail(
        `prange takes 1 to 3 arguments (stop | start, stop[, step]); got ${args.length}`,
        right,
      );
    }
    const one: Expr = { k: 'const', value: 1, ty: INT64 };
    const zero: Expr = { k: 'const', value: 0, ty: INT64 };
    const [start, stop, step] =
      args.length === 1 ? [zero, args[0], one] : [args[0], args[1], args[2] ?? one];
    const id = cx.declare(nameNode.name, true, nameNode);
    cx.assignTy(id, INT64, nameNode);
    const body = cx.loop(() => cx.body(n.body));
    out.push({ k: 'range', id, start, stop, step, parallel: true, body });
  }

  /** `for (const x of a)` over a 1-d array: a counted loop over its indices. */
  private overArray(n: AstNode, nameNode: AstNode, out: Stmt[], cx: WalkContext): void {
    const right = n.right as AstNode;
    const src = cx.value(right);
    if (!isArrayExpr(src)) {
      cx.fail(`for…of loops over prange(…) or a 1-d array; this is ${typeName(src.ty)}`, right);
    }
    if (src.ty.ndim !== 1) {
      cx.fail(
        `for…of over a ${src.ty.ndim}-d array: loop over its indices (for (const i of prange(a.shape[0])))`,
        right,
      );
    }
    const arr = cx.hidden('iterated', src.ty);
    out.push({ k: 'aset', id: arr, value: src, decl: true });
    const idx = cx.hidden('index', INT64);
    const local = cx.declare(nameNode.name, n.left.kind === 'const', nameNode);
    const elem: Expr = {
      k: 'load',
      arr,
      index: [{ k: 'local', id: idx, ty: INT64 }],
      check: false,
      ty: src.ty.dtype,
    };
    const elTy = cx.assignTy(local, src.ty.dtype, nameNode) as Ty;
    const body = cx.loop(() => cx.body(n.body));
    out.push({
      k: 'range',
      id: idx,
      start: { k: 'const', value: 0, ty: INT64 },
      stop: { k: 'dim', arr, axis: 0, ty: INT64 },
      step: { k: 'const', value: 1, ty: INT64 },
      parallel: false,
      body: [{ k: 'let', id: local, init: cast(elem, elTy) }, ...body],
    });
  }

  // ---- allocation -----------------------------------------------------------------------

  private alloc(n: AstNode, fname: string, cx: WalkContext): ArrayExpr {
    const args = n.arguments as AstNode[];
    for (const a of args)
      if (a.type === 'SpreadElement') cx.fail('spread arguments are not supported', a);
    const isFull = fname === 'full';
    const max = isFull ? 3 : 2;
    if (args.length < (isFull ? 2 : 1) || args.length > max) {
      cx.fail(
        `${fname} takes ${isFull ? '(shape, value, dtype?)' : '(shape, dtype?)'}; got ${args.length} argument(s)`,
        n,
      );
    }
    const shape = this.shapeArg(args[0], cx);
    const fill = isFull ? cx.expr(args[1]) : null;
    const dtNode = args[isFull ? 2 : 1] as AstNode | undefined;
    let dtype: DType = fill?.ty === 'bool' ? 'bool' : 'float64';
    if (dtNode) {
      if (dtNode.type !== 'Literal' || typeof dtNode.value !== 'string') {
        cx.fail(`the dtype of ${fname} must be a string literal like 'float64'`, dtNode);
      }
      if (!DTYPES.includes(dtNode.value as DType)) {
        cx.fail(
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
  private shapeArg(n: AstNode, cx: WalkContext): Expr[] {
    const owner = cx.shapeOwner(n);
    if (owner !== undefined) {
      const t = cx.typeOf(owner) as ArrayType;
      return Array.from(
        { length: t.ndim },
        (_, axis): Expr => ({ k: 'dim', arr: owner, axis, ty: INT64 }),
      );
    }
    const int = (a: AstNode): Expr => {
      const e = cx.expr(a);
      if (!isIntLike(e.ty)) cx.fail(`a shape holds integers; this is ${typeName(e.ty)}`, a);
      return e;
    };
    if (n.type === 'ArrayExpression') {
      return (n.elements as (AstNode | null)[]).map((el) => {
        if (!el || el.type === 'SpreadElement') return cx.fail('a shape lists plain integers', n);
        return int(el);
      });
    }
    return [int(n)];
  }
}
