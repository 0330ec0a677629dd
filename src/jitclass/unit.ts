/**
 * One compilation: a method typed for its argument types, plus every member it reaches
 * through `this.m(…)`, getters and setters, each typed once per parameter-type list and
 * named `f0, f1, …`. Recursion is refused (its return type would be its own input).
 */
import { inferKernel } from '../compiler/infer.js';
import type { Stmt } from '../compiler/ir.js';
import type { AstNode, ParsedKernel } from '../compiler/parse.js';
import { forEachValue } from '../compiler/visit.js';
import type { DType } from '../core/dtypes.js';
import { CompileError } from '../core/errors.js';
import { type Helper, methodExtension } from './extension.js';
import { type MemberKind, memberKernel, relabel, walkAst } from './member-kernel.js';
import type { ClassModel } from './model.js';
import type { MemberInfo } from './spec.js';

export class Unit {
  private readonly helpers = new Map<string, Helper>();
  private readonly busy = new Set<Helper>();

  constructor(private readonly model: ClassModel) {}

  /** Types `kind` of `member` for `paramTypes`; `fail` reports arity/recursion at the caller. */
  compile(
    member: MemberInfo,
    kind: MemberKind,
    paramTypes: readonly DType[],
    fail: (msg: string) => never,
  ): Helper {
    const key = `${kind} ${member.name}(${paramTypes.join(',')})`;
    const known = this.helpers.get(key);
    if (known) {
      if (this.busy.has(known)) fail(`${known.mk.label} calls itself: recursion is not supported`);
      return known;
    }
    const mk = memberKernel(this.model, member, kind);
    if (mk.parsed.params.length !== paramTypes.length) {
      fail(`${mk.label} takes ${mk.parsed.params.length} argument(s), got ${paramTypes.length}`);
    }
    const h: Helper = { name: `f${this.helpers.size}`, mk, paramTypes: paramTypes.slice() };
    this.helpers.set(key, h);
    this.busy.add(h);
    try {
      const ext = methodExtension(this.model, mk, (m, k, t, f) => this.compile(m, k, t, f));
      const typed = inferKernel(
        mk.parsed,
        paramTypes,
        this.model.constants,
        ext,
        this.model.functions,
      );
      if (typed.freeNames.length > 0) throw this.freeNameError(mk.parsed, typed.freeNames[0]);
      if (typed.outTypes.length > 1) {
        throw new CompileError(
          'a compiled method returns one number, not an array',
          mk.parsed.where(mk.parsed.body),
        );
      }
      h.typed = typed;
    } catch (e) {
      throw e instanceof CompileError ? relabel(e, mk.label) : e;
    } finally {
      this.busy.delete(h);
    }
    return h;
  }

  /** A CompileError at the first read of the free variable `name`. */
  private freeNameError(parsed: ParsedKernel, name: string): CompileError {
    let at: AstNode = parsed.body;
    let found = false;
    walkAst(parsed.body, (n, parent) => {
      if (found || n.type !== 'Identifier' || n.name !== name) return;
      const isKey =
        parent &&
        ((parent.type === 'MemberExpression' && parent.property === n && !parent.computed) ||
          (parent.type === 'Property' && parent.key === n && !parent.computed));
      if (isKey) return;
      at = n;
      found = true;
    });
    return new CompileError(
      `'${name}' is not defined in the method: compiled methods cannot read variables of the ` +
        `enclosing scope; pass it as an argument or in jitclass's 'constants' option`,
      parsed.where(at),
      [name],
    );
  }
}

/** Every helper a typed body calls, transitively (each once, callees first). */
export function reachableHelpers(root: readonly Stmt[]): Helper[] {
  const out: Helper[] = [];
  const seen = new Set<Helper>();
  const visit = (body: readonly Stmt[]): void =>
    forEachValue(body, (e) => {
      if (e.k !== 'ext' || e.op !== 'call' || seen.has(e.data)) return;
      seen.add(e.data);
      visit(e.data.typed!.body);
      out.push(e.data);
    });
  visit(root);
  return out;
}

/** Columns a typed body (and the helpers it calls) touches, sorted. */
export function usedColumns(root: readonly Stmt[], helpers: readonly Helper[]): number[] {
  const cols = new Set<number>();
  const visit = (body: readonly Stmt[]): void =>
    forEachValue(body, (e) => {
      if (e.k === 'ext' && e.op === 'field') cols.add(e.data);
      if (e.k === 'ext' && e.op === 'store') cols.add(e.data.col);
    });
  visit(root);
  for (const h of helpers) visit(h.typed!.body);
  return [...cols].sort((a, b) => a - b);
}
