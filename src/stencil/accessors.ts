/**
 * Relative accessors in the kernel language: `u(-1, 0)` on an array parameter becomes an
 * IR node `{ k: 'ext', op: 'rel' }` through the compiler's KernelExtension hooks. Constant
 * offsets are folded and checked here, at compile time; computed ones stay expressions
 * (their node's `args`) and are checked when the generated code runs.
 */
import type { ExtContext, KernelExtension } from '../compiler/infer.js';
import type { Expr, ExtNodeOf, Stmt, Ty } from '../compiler/ir.js';
import type { AstNode, ParsedKernel } from '../compiler/parse.js';
import { forEachValue } from '../compiler/visit.js';
import type { Extent, RelData } from '../plan/stencil.js';

/** A `rel` IR node. */
export type RelNode = ExtNodeOf<'rel'>;

/** Parameters the kernel calls as functions (`u(…)`): those are read through accessors. */
export function accessorParams(parsed: ParsedKernel): Set<number> {
  const names = new Map(parsed.params.map((p, i) => [p, i]));
  const found = new Set<number>();
  const visit = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const c of n) visit(c);
      return;
    }
    const node = n as AstNode;
    if (typeof node.type !== 'string') return;
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier') {
      const i = names.get(node.callee.name);
      if (i !== undefined) found.add(i);
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'loc' && typeof v === 'object') visit(v);
  };
  visit(parsed.body);
  return found;
}

/**
 * Folds an offset expression made of literals, captured constants and `+ - *` to a
 * number; undefined when it depends on a run-time value.
 */
function fold(e: Expr): number | undefined {
  switch (e.k) {
    case 'const':
      return e.value;
    case 'cast':
      return fold(e.arg);
    case 'unary': {
      const v = fold(e.arg);
      if (v === undefined) return undefined;
      return e.op === '-' ? -v : e.op === '+' ? v : undefined;
    }
    case 'binary': {
      const l = fold(e.l);
      const r = fold(e.r);
      if (l === undefined || r === undefined) return undefined;
      if (e.op === '+') return l + r;
      if (e.op === '-') return l - r;
      if (e.op === '*') return l * r;
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Numba's stencil indexing, `a[0, 1]` (in JS `a[0][1]` or `a[0, 1]`), on a parameter: a
 * CompileError that shows the call form numbats uses, `a(0, 1)`. Other member accesses are
 * left to the core walker's message.
 */
function numbaIndexing(n: AstNode, cx: ExtContext): undefined {
  const idx: AstNode[] = [];
  let cur = n;
  while (cur.type === 'MemberExpression' && cur.computed) {
    const p = cur.property as AstNode;
    idx.unshift(...(p.type === 'SequenceExpression' ? (p.expressions as AstNode[]) : [p]));
    cur = cur.object;
  }
  if (cur.type !== 'Identifier' || idx.length === 0 || cx.param(cur.name) === undefined) {
    return undefined;
  }
  const show = (a: AstNode): string => {
    if (a.type === 'Literal' && typeof a.value === 'number') return String(a.value);
    if (a.type === 'UnaryExpression' && a.operator === '-' && a.argument.type === 'Literal')
      return `-${a.argument.value}`;
    if (a.type === 'Identifier') return a.name;
    return '…';
  };
  const offsets = idx.map(show).join(', ');
  return cx.fail(
    `stencil inputs are read with a call of relative offsets, ${cur.name}(${offsets}), not indexed like Numba's ${cur.name}[${offsets}]`,
    n,
  );
}

/** Builds the extension for one typing of the kernel. */
export function relExtension(
  accessors: ReadonlySet<number>,
  paramTypes: readonly Ty[],
  neighborhood: readonly Extent[] | null,
): KernelExtension {
  // The kernel's number of axes: fixed by a declared neighborhood, else by the first accessor.
  let ndim = neighborhood ? neighborhood.length : -1;
  return {
    specialParams: accessors,
    specialName: 'relative accessor (call it with one offset per axis)',
    member: (n: AstNode, cx: ExtContext) => numbaIndexing(n, cx),
    call(n: AstNode, cx: ExtContext): Expr | undefined {
      const c = n.callee;
      if (c.type !== 'Identifier') return undefined;
      const p = cx.param(c.name);
      if (p === undefined || !accessors.has(p)) return undefined;
      const argNodes = n.arguments as AstNode[];
      for (const a of argNodes)
        if (a.type === 'SpreadElement') cx.fail('spread arguments are not supported', a);
      if (ndim === -1) ndim = argNodes.length;
      else if (argNodes.length !== ndim) {
        cx.fail(
          neighborhood
            ? `${c.name}(…) gives ${argNodes.length} offset(s), but the neighborhood has ${ndim} axes`
            : `${c.name}(…) gives ${argNodes.length} offset(s), but the kernel indexes ${ndim} axes elsewhere: give one offset per axis`,
          n,
        );
      }
      const offsets: (number | null)[] = [];
      const args: Expr[] = [];
      argNodes.forEach((a, axis) => {
        const e = cx.expr(a);
        const v = fold(e);
        if (v === undefined) {
          if (!neighborhood) {
            cx.fail(
              `the offset on axis ${axis} of ${c.name}(…) is computed: give the \`neighborhood\` option ([[lo, hi], …] per axis) to size the border and check the reads`,
              a,
            );
          }
          offsets.push(null);
          args.push(e);
          return;
        }
        if (!Number.isSafeInteger(v)) cx.fail(`offset ${v} on axis ${axis} is not an integer`, a);
        if (neighborhood) {
          const [lo, hi] = neighborhood[axis];
          if (v < lo || v > hi) {
            cx.fail(
              `${c.name}(…) reads offset ${v} on axis ${axis}, outside the declared neighborhood [${lo}, ${hi}]`,
              a,
            );
          }
        }
        offsets.push(v === 0 ? 0 : v);
      });
      const data: RelData = { param: p, offsets };
      // A computed offset is checked against the neighborhood as the loop runs: it may throw.
      const mayThrow = offsets.includes(null);
      return { k: 'ext', op: 'rel', args, data, ty: paramTypes[p], mayThrow };
    },
  };
}

/** Every `rel` node of a typed kernel body, in evaluation order. */
export function relNodes(body: readonly Stmt[]): RelNode[] {
  const out: RelNode[] = [];
  forEachValue(body, (e) => {
    if (e.k === 'ext' && e.op === 'rel') out.push(e);
  });
  return out;
}
