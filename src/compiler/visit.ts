/**
 * Visitors of the typed IR (`ir.ts`): what each node reads and holds, written once, so an
 * analysis or a rewrite names only the nodes it cares about and leaves the walking here. A
 * new node kind is then added to these switches and nowhere else.
 */
import { type Expr, isArrayExpr, type Stmt, type Value } from './ir.js';

/**
 * The values an expression reads directly, in evaluation order: one visitor instead of a
 * hand-written switch in every analysis that walks expressions.
 */
export function subValues(v: Value): readonly Value[] {
  switch (v.k) {
    case 'const':
    case 'local':
    case 'free':
    case 'update':
    case 'dim':
    case 'alocal':
      return [];
    case 'binary':
    case 'compare':
    case 'logical':
      return [v.l, v.r];
    case 'unary':
    case 'cast':
      return [v.arg];
    case 'cond':
      return [v.test, v.a, v.b];
    case 'math':
    case 'ext':
    case 'call':
      return v.args;
    case 'assign':
      return [v.value];
    case 'seq':
      return v.items;
    case 'load':
      return v.index;
    case 'store':
      return [...v.index, v.value];
    case 'alloc':
      return v.fill ? [...v.shape, v.fill] : v.shape;
  }
}

/** A child of a statement: a value it evaluates or a list of statements it runs. */
export type StmtChild = Value | readonly Stmt[];

/** The values and statement lists a statement holds directly, in evaluation order. */
export function stmtChildren(s: Stmt): readonly StmtChild[] {
  switch (s.k) {
    case 'let':
      return s.init ? [s.init] : [];
    case 'expr':
      return [s.e];
    case 'if':
      return s.alt ? [s.test, s.cons, s.alt] : [s.test, s.cons];
    case 'for': {
      const out: StmtChild[] = [s.init];
      if (s.test) out.push(s.test);
      out.push(s.body);
      if (s.update) out.push(s.update);
      return out;
    }
    case 'while':
      return [s.test, s.body];
    case 'dowhile':
      return [s.body, s.test];
    case 'break':
    case 'continue':
      return [];
    case 'return':
    case 'result':
      return s.values;
    case 'block':
      return [s.body];
    case 'aset':
      return [s.value];
    case 'range':
      return [s.start, s.stop, s.step, s.body];
  }
}

/** True for a statement list (the other children are values). */
export function isStmtList(c: StmtChild): c is readonly Stmt[] {
  return Array.isArray(c);
}

/**
 * Calls `onValue` for every value of `body`, nested ones included (a node before its
 * children), and `onStmt` for every statement (before its children).
 */
export function forEachValue(
  body: readonly Stmt[],
  onValue: (v: Value) => void,
  onStmt?: (s: Stmt) => void,
): void {
  const value = (v: Value): void => {
    onValue(v);
    for (const c of subValues(v)) value(c);
  };
  const stmts = (list: readonly Stmt[]): void => {
    for (const s of list) {
      onStmt?.(s);
      for (const c of stmtChildren(s)) {
        if (isStmtList(c)) stmts(c);
        else value(c);
      }
    }
  };
  stmts(body);
}

/** Calls `onStmt` for every statement of `body`, nested ones included (a statement before its children). */
export function forEachStmt(body: readonly Stmt[], onStmt: (s: Stmt) => void): void {
  for (const s of body) {
    onStmt(s);
    for (const c of stmtChildren(s)) if (isStmtList(c)) forEachStmt(c, onStmt);
  }
}

/** True when `test` holds for `v` or any value nested in it. */
export function someValue(v: Value, test: (v: Value) => boolean): boolean {
  return test(v) || subValues(v).some((c) => someValue(c, test));
}

/** True when `test` holds for some value of `body`, nested ones included. */
export function bodyHasValue(body: readonly Stmt[], test: (v: Value) => boolean): boolean {
  return body.some((s) =>
    stmtChildren(s).some((c) => (isStmtList(c) ? bodyHasValue(c, test) : someValue(c, test))),
  );
}

/**
 * `e` with each scalar child replaced by `f(child)` (array values are kept): the step of a
 * rewrite, which decides itself whether to recurse.
 */
export function mapChildren(e: Expr, f: (e: Expr) => Expr): Expr {
  switch (e.k) {
    case 'const':
    case 'local':
    case 'free':
    case 'update':
    case 'dim':
      return e;
    case 'binary':
      return { ...e, l: f(e.l), r: f(e.r) };
    case 'compare':
      return { ...e, l: f(e.l), r: f(e.r) };
    case 'logical':
      return { ...e, l: f(e.l), r: f(e.r) };
    case 'unary':
      return { ...e, arg: f(e.arg) };
    case 'cast':
      return { ...e, arg: f(e.arg) };
    case 'cond':
      return { ...e, test: f(e.test), a: f(e.a), b: f(e.b) };
    case 'math':
      return { ...e, args: e.args.map(f) };
    case 'ext':
      return { ...e, args: e.args.map(f) };
    case 'assign':
      return { ...e, value: f(e.value) };
    case 'seq':
      return { ...e, items: e.items.map(f) };
    case 'call':
      return { ...e, args: e.args.map((a) => (isArrayExpr(a) ? a : f(a))) };
    case 'load':
      return { ...e, index: e.index.map(f) };
    case 'store':
      return { ...e, index: e.index.map(f), value: f(e.value) };
  }
}

/** `body` with every top-level expression of every statement (nested statements included) replaced by `f(e)`. */
export function mapBody(body: readonly Stmt[], f: (e: Expr) => Expr): Stmt[] {
  return body.map((s) => mapStmt(s, f));
}

function mapStmt(s: Stmt, f: (e: Expr) => Expr): Stmt {
  const list = (b: readonly Stmt[]) => mapBody(b, f);
  switch (s.k) {
    case 'let':
      return { ...s, init: s.init && f(s.init) };
    case 'expr':
      return { ...s, e: f(s.e) };
    case 'if':
      return { ...s, test: f(s.test), cons: list(s.cons), alt: s.alt && list(s.alt) };
    case 'for':
      return {
        ...s,
        init: list(s.init),
        test: s.test && f(s.test),
        update: s.update && f(s.update),
        body: list(s.body),
      };
    case 'while':
    case 'dowhile':
      return { ...s, test: f(s.test), body: list(s.body) };
    case 'return':
      return { ...s, values: s.values.map(f) };
    case 'block':
      return { ...s, body: list(s.body) };
    case 'range':
      return {
        ...s,
        start: f(s.start),
        stop: f(s.stop),
        step: f(s.step),
        body: list(s.body),
      };
    case 'result':
      return { ...s, values: s.values.map((v) => (isArrayExpr(v) ? v : f(v))) };
    case 'break':
    case 'continue':
    case 'aset':
      return s;
  }
}
