/**
 * The kernel-language extension for method bodies: `this.<field>` reads and writes,
 * getters and setters, `++`/`--` on them, and calls of other methods (`this.m(…)`). They
 * become `ext` IR nodes that `emit.ts` lowers to column accesses `c<k>[i]` and helper
 * calls `f<k>(i, …)`. Everything else about `this` is a CompileError at its position.
 */
import { cast, type ExtContext, type KernelExtension } from '../compiler/infer.js';
import {
  type Expr,
  type ExtNodeOf,
  type ExtPayloads,
  isWeak,
  type Ty,
  type TypedKernel,
} from '../compiler/ir.js';
import type { AstNode } from '../compiler/parse.js';
import type { DType } from '../core/dtypes.js';
import type { MemberKernel, MemberKind } from './member-kernel.js';
import { type ClassModel, fieldList } from './model.js';
import type { MemberInfo } from './spec.js';

/** A member compiled for one list of parameter types; generated code calls it `name`. */
export interface Helper {
  readonly name: string;
  readonly mk: MemberKernel;
  readonly paramTypes: readonly DType[];
  typed?: TypedKernel;
}

/** Compiles (or finds) the helper for a member; `fail` reports a problem at the call site. */
export type HelperCompiler = (
  member: MemberInfo,
  kind: MemberKind,
  paramTypes: readonly DType[],
  fail: (msg: string) => never,
) => Helper;

/** What a field write carries: the column, and whether the field is bool (stored as 0/1). */
export interface FieldStore {
  readonly col: number;
  readonly bool: boolean;
}

declare module '../compiler/ir.js' {
  interface ExtPayloads {
    /** `this.x`: the field's column. */
    field: number;
    /** `this.x = v`. */
    store: FieldStore;
    /** `this.m(…)`, a getter or a setter: the member compiled for the argument types. */
    call: Helper;
    /** The old value of a postfix `this.n++` (the temporary `w$`). */
    tmp: undefined;
    /** A postfix `this.n++` whose value is used: `(old, store)`. */
    post: undefined;
  }
}

/** The `ext` node operations of method bodies (see `emit.ts` for their lowering). */
export type RecordOp = 'field' | 'store' | 'call' | 'tmp' | 'post';

function ext<O extends RecordOp>(op: O, args: Expr[], ty: Ty, data: ExtPayloads[O]): ExtNodeOf<O> {
  return { k: 'ext', op, args, ty, data };
}

/** JS numbers passed on to a method are doubles, as in `.call`: weak types become float64. */
function argType(t: Ty): DType {
  return isWeak(t) ? 'float64' : t;
}

/** The extension used while typing member `mk` of `model`. */
export function methodExtension(
  model: ClassModel,
  mk: MemberKernel,
  compile: HelperCompiler,
): KernelExtension {
  const kinds = (m: MemberInfo) =>
    m.method ? 'a method' : m.get && m.set ? 'a getter/setter' : m.get ? 'a getter' : 'a setter';

  /** The property name of `this.<name>`, or undefined when the object is not `this`. */
  const thisProperty = (n: AstNode, cx: ExtContext): string | undefined => {
    if (n.type !== 'MemberExpression' || n.object.type !== 'ThisExpression') return undefined;
    if (n.computed || n.property.type !== 'Identifier') {
      cx.fail(`computed or private member access on 'this' is not supported`, n);
    }
    if (n.optional) cx.fail('optional chaining is not supported', n);
    return n.property.name;
  };

  const unknown = (name: string, n: AstNode, cx: ExtContext): never =>
    cx.fail(
      `'${name}' is not a field, getter or method of ${model.name} (fields: ${fieldList(model)})`,
      n,
    );

  const helperCall = (h: Helper, args: Expr[]): ExtNodeOf<'call'> => {
    const out = h.typed!.outTypes;
    // A void method's value is never used (checked at the call), so its type is moot.
    return ext(
      'call',
      args.map((a, k) => cast(a, h.paramTypes[k])),
      out.length ? out[0] : 'wfloat',
      h,
    );
  };

  const read = (name: string, n: AstNode, cx: ExtContext): Expr => {
    const f = model.fieldByName.get(name);
    if (f) return ext('field', [], f.dtype, f.col);
    const m = model.members.get(name);
    if (!m) return unknown(name, n, cx);
    if (m.get)
      return helperCall(
        compile(m, 'get', [], (msg) => cx.fail(msg, n)),
        [],
      );
    if (m.method) return cx.fail(`method '${name}' must be called: this.${name}(…)`, n);
    return cx.fail(`'${name}' has a setter but no getter`, n);
  };

  const store = (name: string, value: Expr, n: AstNode, cx: ExtContext): Expr => {
    const f = model.fieldByName.get(name);
    // The expression's value is the assigned value, as in JS (the field keeps the coerced one).
    if (f) return ext('store', [value], value.ty, { col: f.col, bool: f.dtype === 'bool' });
    const m = model.members.get(name);
    if (!m) {
      return cx.fail(
        `cannot assign to 'this.${name}': ${model.name} has no field '${name}' (fields: ${fieldList(model)})`,
        n,
      );
    }
    if (!m.set) return cx.fail(`cannot assign to 'this.${name}': it is ${kinds(m)}`, n);
    const t = argType(value.ty);
    return helperCall(
      compile(m, 'set', [t], (msg) => cx.fail(msg, n)),
      [value],
    );
  };

  return {
    allowVoid: !mk.returnsValue || mk.kind === 'set',

    thisValue(n, cx) {
      return cx.fail(
        "'this' can only be used as this.<field>, this.<getter> or this.<method>(…) in a compiled method",
        n,
      );
    },

    member(n, cx) {
      const name = thisProperty(n, cx);
      return name === undefined ? undefined : read(name, n, cx);
    },

    assign(n, cx) {
      const name = thisProperty(n.left, cx);
      if (name === undefined) return undefined;
      const op: string = n.operator;
      if (op === '&&=' || op === '||=' || op === '??=') {
        cx.fail(`operator '${op}' is not supported`, n);
      }
      let value = cx.expr(n.right);
      if (op !== '=') value = cx.binary(op.slice(0, -1), read(name, n.left, cx), value, n);
      return store(name, value, n.left, cx);
    },

    update(n, cx, discard) {
      const name = thisProperty(n.argument, cx);
      if (name === undefined) return undefined;
      const op = n.operator === '++' ? '+' : '-';
      const one: Expr = { k: 'const', value: 1, ty: 'wint' };
      const old = read(name, n.argument, cx);
      if (n.prefix || discard) return store(name, cx.binary(op, old, one, n), n.argument, cx);
      // Postfix with its value used: remember the old value in a temporary (`w$`).
      const tmp = ext('tmp', [], old.ty, undefined);
      const st = store(name, cx.binary(op, tmp, one, n), n.argument, cx);
      return ext('post', [old, st], old.ty, undefined);
    },

    call(n, cx) {
      const name = thisProperty(n.callee, cx);
      if (name === undefined) return undefined;
      const m = model.members.get(name);
      if (model.fieldByName.has(name)) return cx.fail(`'this.${name}' is a field, not a method`, n);
      if (!m) return unknown(name, n.callee, cx);
      if (!m.method) return cx.fail(`'this.${name}' is not a method: it is ${kinds(m)}`, n);
      const argNodes = n.arguments as AstNode[];
      for (const a of argNodes) {
        if (a.type === 'SpreadElement') cx.fail('spread arguments are not supported', a);
      }
      const args = argNodes.map((a) => cx.expr(a));
      const fail = (msg: string) => cx.fail(msg, n);
      // The callee is parsed through the same helper compiler (its own errors name it).
      const h = compile(
        m,
        'method',
        args.map((a) => argType(a.ty)),
        fail,
      );
      if (!h.typed!.outTypes.length && !mk.statementCalls.has(n)) {
        fail(`'this.${name}(…)' returns nothing: its value cannot be used`);
      }
      return helperCall(h, args);
    },
  };
}
