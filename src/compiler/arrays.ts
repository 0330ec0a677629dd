/**
 * Array reads in the type-inference walk (`walker.ts`): `a.shape[k]`, `a.shape.length`,
 * `a.size`, `a.ndim`, `a.get(i, …)`, `a.set(i, …, v)` and `const [n, m] = a.shape`, on the
 * array locals of a whole function. Each names an array local, so a lowering keeps the
 * array's parts in scalar variables.
 */
import { INFO } from '../core/dtypes.js';
import type { WalkContext } from './hooks.js';
import type { ArrayType, Expr, Stmt, Ty } from './ir.js';
import type { AstNode } from './parse.js';
import type { ScalarRules } from './rules.js';

/** `const [n, m] = a.shape` (Numba's `n, m = a.shape`). */
export function shapeDestructure(
  d: AstNode,
  isConst: boolean,
  out: Stmt[],
  cx: WalkContext,
  rules: ScalarRules,
): void {
  const init = d.init as AstNode | null;
  const arr = init && cx.shapeOwner(init);
  if (arr === undefined || arr === null) {
    cx.fail('only an array shape can be destructured: const [n, m] = a.shape', d);
  }
  const aty = cx.typeOf(arr) as ArrayType;
  const els = d.id.elements as (AstNode | null)[];
  if (els.length > aty.ndim) {
    cx.fail(`'${init!.object.name}' has ${aty.ndim} dimension(s), not ${els.length}`, d.id);
  }
  els.forEach((el, axis) => {
    if (!el) return;
    if (el.type !== 'Identifier') cx.fail('destructure a shape into plain names', el);
    const local = cx.declare(el.name, isConst, el);
    const ty = rules.size;
    cx.assignTy(local, ty, el);
    out.push({ k: 'let', id: local, init: { k: 'dim', arr, axis, ty } });
  });
}

/** `a.shape[k]`, `a.shape.length`, `a.size`, `a.ndim`; undefined when `n` reads no array. */
export function arrayMember(n: AstNode, cx: WalkContext, rules: ScalarRules): Expr | undefined {
  const obj = n.object as AstNode;
  const int = rules.size;
  if (n.computed && obj.type === 'MemberExpression') {
    const arr = cx.shapeOwner(obj);
    if (arr !== undefined) {
      const t = cx.typeOf(arr) as ArrayType;
      const k = cx.expr(n.property);
      const axis =
        k.k === 'const' && Number.isInteger(k.value)
          ? k.value < 0
            ? k.value + t.ndim
            : k.value
          : -1;
      if (axis < 0 || axis >= t.ndim) {
        cx.fail(
          `'${obj.object.name}.shape[…]' needs a constant index from 0 to ${t.ndim - 1} (${obj.object.name} is ${rules.name(t)})`,
          n.property,
        );
      }
      return { k: 'dim', arr, axis, ty: int };
    }
  }
  if (!n.computed && n.property.name === 'length') {
    const arr = cx.shapeOwner(obj);
    if (arr !== undefined)
      return { k: 'const', value: (cx.typeOf(arr) as ArrayType).ndim, ty: int };
  }
  const arr = cx.arrayLocal(obj);
  if (arr === undefined) return undefined;
  const t = cx.typeOf(arr) as ArrayType;
  const prop = n.computed ? undefined : (n.property.name as string);
  if (prop === 'size') return { k: 'dim', arr, axis: -1, ty: int };
  if (prop === 'ndim' || prop === 'dimension') return { k: 'const', value: t.ndim, ty: int };
  if (prop === 'shape') {
    cx.fail(
      `'${obj.name}.shape' is read as ${obj.name}.shape[k], ${obj.name}.shape.length, const [n, m] = ${obj.name}.shape, or passed to zeros/empty/full`,
      n,
    );
  }
  if (n.computed) {
    cx.fail(
      `index arrays with ${obj.name}.get(i, …) and ${obj.name}.set(i, …, value), not ${obj.name}[…]`,
      n,
    );
  }
  return cx.fail(
    `unsupported array property '${obj.name}.${prop}': arrays have .get, .set, .shape, .size and .ndim`,
    n,
  );
}

/** `a.get(i, …)` and `a.set(i, …, v)` on the array local `arr`. */
export function arrayMethod(
  n: AstNode,
  arr: number,
  cx: WalkContext,
  rules: ScalarRules,
  check: boolean,
): Expr {
  const c = n.callee as AstNode;
  const t = cx.typeOf(arr) as ArrayType;
  const name: string = c.object.name;
  const method: string = c.property.name;
  const args = n.arguments as AstNode[];
  const tn = rules.name(t);
  if (method === 'get') {
    if (args.length !== t.ndim) {
      cx.fail(`'${name}.get' takes ${t.ndim} index(es) for ${tn}; got ${args.length}`, n);
    }
    return { k: 'load', arr, index: indices(args, name, cx, rules), check, ty: t.dtype };
  }
  if (method === 'set') {
    if (args.length !== t.ndim + 1) {
      cx.fail(
        `'${name}.set' takes ${t.ndim} index(es) and a value for ${tn}; got ${args.length} argument(s)`,
        n,
      );
    }
    const index = indices(args.slice(0, t.ndim), name, cx, rules);
    const value = cx.expr(args[t.ndim]);
    return { k: 'store', arr, index, value, check, ty: value.ty };
  }
  return cx.fail(
    `arrays have no method '${method}' here: use ${name}.get(…) and ${name}.set(…)`,
    n,
  );
}

function indices(args: AstNode[], name: string, cx: WalkContext, rules: ScalarRules): Expr[] {
  return args.map((a) => {
    if (a.type === 'SpreadElement') cx.fail('spread arguments are not supported', a);
    const e = cx.expr(a);
    if (!isIntType(e.ty)) {
      cx.fail(
        `an index of '${name}' must be an integer, not ${rules.name(e.ty)} (use Math.floor(…))`,
        a,
      );
    }
    return e;
  });
}

/** An integer scalar type (bool counts, as in Python arithmetic): what indexes an array. */
function isIntType(t: Ty): boolean {
  if (t === 'wint') return true;
  if (t === 'wfloat') return false;
  return INFO[t].kind !== 'f';
}
