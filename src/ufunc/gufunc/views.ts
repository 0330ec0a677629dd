/**
 * The kernel language's core-dim views: `x.shape[k]` (constant k), `x.shape.length`,
 * `x.get(i, j)` and `c.set(i, j, value)`. Typing is a KernelExtension producing `ext` IR
 * nodes; lowering turns them into loads and stores of the loop IR (compiler/loops.ts) on
 * the operand's TypedArray, with the base offset and core strides held in locals of the
 * nest, so a loop iteration allocates nothing: `x.get(i, j)` becomes `d0[b0_0+i*t0_0+j]`. Indices are not
 * bounds-checked (Numba's default too).
 */

import { cast, type ExtContext, type KernelExtension } from '../../compiler/infer.js';
import type { Expr, ExtNode, Ty } from '../../compiler/ir.js';
import { call, type LExpr, mul, num, op } from '../../compiler/loops.js';
import type { AstNode } from '../../compiler/parse.js';
import { isIntTy, join } from '../../compiler/types.js';
import type { DType } from '../../core/dtypes.js';
import type { ViewParam } from '../../plan/gufunc.js';

/**
 * The extension typing `views` (indexed by parameter; `null` for number parameters).
 * `setTypes[p]` collects the join of the value types stored into view `p`, from which
 * dynamic typing derives output dtypes.
 */
export function viewExtension(
  views: readonly (ViewParam | null)[],
  setTypes: (Ty | undefined)[],
): KernelExtension {
  const special = new Set<number>();
  views.forEach((v, p) => {
    if (v) special.add(p);
  });
  /** The view parameter a node names, if it is one. */
  const viewOf = (n: AstNode, cx: ExtContext): number | undefined => {
    if (n.type !== 'Identifier') return undefined;
    const p = cx.param(n.name);
    return p !== undefined && views[p] ? p : undefined;
  };
  const indices = (args: AstNode[], name: string, cx: ExtContext): Expr[] =>
    args.map((a) => {
      if (a.type === 'SpreadElement') cx.fail('spread arguments are not supported', a);
      const e = cx.expr(a);
      if (!isIntTy(e.ty) && e.ty !== 'bool') {
        cx.fail(`an index of view '${name}' must be an integer, not ${e.ty}`, a);
      }
      return e;
    });
  return {
    specialParams: special,
    specialName: 'view (read it with .get(…), write it with .set(…))',
    allowVoid: true,
    member(n, cx) {
      const obj = n.object as AstNode;
      if (n.computed && obj.type === 'MemberExpression' && !obj.computed) {
        const p = viewOf(obj.object, cx);
        if (p === undefined) return undefined;
        if (obj.property.name !== 'shape') return badMember(obj, cx);
        const k = cx.expr(n.property);
        const rank = views[p]!.rank;
        if (k.k !== 'const' || !Number.isInteger(k.value) || k.value < 0 || k.value >= rank) {
          return cx.fail(
            `'${obj.object.name}.shape[…]' needs a constant index from 0 to ${rank - 1}`,
            n.property,
          );
        }
        const e: ExtNode = {
          k: 'ext',
          op: 'shape',
          args: [],
          data: { p, dim: k.value },
          ty: 'wint',
        };
        return e;
      }
      if (!n.computed && n.property.name === 'length' && obj.type === 'MemberExpression') {
        const p = viewOf(obj.object, cx);
        if (p !== undefined && !obj.computed && obj.property.name === 'shape') {
          return { k: 'const', value: views[p]!.rank, ty: 'wint' };
        }
      }
      if (viewOf(obj, cx) !== undefined) return badMember(n, cx);
      return undefined;
    },
    call(n, cx) {
      const c = n.callee as AstNode;
      if (c.type !== 'MemberExpression' || c.computed) return undefined;
      const p = viewOf(c.object, cx);
      if (p === undefined) return undefined;
      const v = views[p]!;
      const name: string = c.object.name;
      const method: string = c.property.name;
      const args = n.arguments as AstNode[];
      if (method === 'get') {
        if (args.length !== v.rank) {
          cx.fail(
            `'${name}.get' takes ${v.rank} index(es), one per core dim; got ${args.length}`,
            n,
          );
        }
        const e: ExtNode = {
          k: 'ext',
          op: 'get',
          args: indices(args, name, cx),
          data: { p },
          ty: v.elemTy,
        };
        return e;
      }
      if (method === 'set') {
        if (!v.output) cx.fail(`'${name}' is an input view: only outputs can be written`, n);
        if (args.length !== v.rank + 1) {
          cx.fail(
            `'${name}.set' takes ${v.rank} index(es) and a value; got ${args.length} argument(s)`,
            n,
          );
        }
        const idx = indices(args.slice(0, v.rank), name, cx);
        // The node's value (seldom used) is the element as stored, like a JS assignment's.
        const value = cx.expr(args[v.rank]);
        const prev = setTypes[p];
        setTypes[p] = prev === undefined ? value.ty : join(prev, value.ty);
        const e: ExtNode = {
          k: 'ext',
          op: 'set',
          args: [...idx, cast(value, v.elemTy)],
          data: { p },
          ty: v.elemTy,
        };
        return e;
      }
      return cx.fail(`views have no method '${method}': use ${name}.get(…) and ${name}.set(…)`, n);
    },
  };
}

function badMember(n: AstNode, cx: ExtContext): never {
  const obj = n.object as AstNode;
  const name = obj.type === 'Identifier' ? obj.name : 'view';
  if (n.computed) {
    return cx.fail(
      `index a view with ${name}.get(i, …) and ${name}.set(i, …, value), not ${name}[…]`,
      n,
    );
  }
  if (n.property.name === 'shape') {
    return cx.fail(
      `'${name}.shape' can only be read as ${name}.shape[k] (constant k) or ${name}.shape.length`,
      n,
    );
  }
  return cx.fail(
    `unsupported view property '${name}.${n.property.name}': a view has .shape[k], .get(…) and .set(…)`,
    n,
  );
}

/** Where a view's elements are in the generated loop nest (expressions of the nest). */
export interface ViewPlace {
  /** Variable holding the TypedArray. */
  readonly data: string;
  /** The element offset of the view's origin in this iteration. */
  readonly base: LExpr;
  /** Per core dim: `null` (stride 0 or extent ≤ 1: the index adds nothing), or the stride. */
  readonly strides: readonly (LExpr | null)[];
  /** Per core dim: the extent (a literal for fixed and missing dims). */
  readonly extents: readonly LExpr[];
  /** dtype of the array behind the view. */
  readonly arrTy: DType;
  /** Element type the kernel sees. */
  readonly elemTy: DType;
}

/**
 * The lowering of view nodes for views placed at `places` (indexed by parameter): element
 * loads and stores of the loop IR, for the kernel leaf's `ext`.
 */
export function viewLowering(
  places: readonly (ViewPlace | null)[],
  boundscheck?: { readonly names: readonly string[] },
): (e: ExtNode) => LExpr {
  /** The element offset of `v` at the node's arguments `0 … n-1`. */
  const offset = (v: ViewPlace, n: number, p: number): LExpr => {
    let at = v.base;
    for (let d = 0; d < n; d++) {
      const arg: LExpr = { k: 'arg', index: d };
      // boundscheck: every index goes through H.bc, which returns it or throws IndexError.
      // The view's name is a `str` literal, which the lowering quotes (never trusted).
      const i = boundscheck
        ? call(
            'H.bc',
            arg,
            num(d),
            { k: 'str', value: boundscheck.names[p] ?? `argument ${p}` },
            {
              k: 'list',
              items: [...v.extents],
            },
          )
        : arg;
      const s = v.strides[d];
      if (s === null) continue;
      at = op('+', at, s.k === 'num' && s.value === 1 ? i : mul(i, s));
    }
    return at;
  };
  return (e) => {
    switch (e.op) {
      case 'shape':
        return places[e.data.p]!.extents[e.data.dim];
      case 'get': {
        const { p } = e.data;
        const v = places[p]!;
        return {
          k: 'load',
          data: v.data,
          at: offset(v, e.args.length, p),
          from: v.arrTy,
          to: v.elemTy,
        };
      }
      case 'set': {
        const { p } = e.data;
        const v = places[p]!;
        // The value already has the kernel's element type; a TypedArray store converts it
        // to the array's dtype exactly as NumPy's cast would (bool needs its 0/1).
        return {
          k: 'store',
          data: v.data,
          at: offset(v, e.args.length - 1, p),
          value: { k: 'arg', index: e.args.length - 1 },
          from: v.elemTy,
          to: v.arrTy,
        };
      }
      default:
        throw new Error(`internal: unknown view construct '${e.op}'`);
    }
  };
}
