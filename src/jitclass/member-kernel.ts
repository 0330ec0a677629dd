/**
 * A class member's function parsed as a kernel, with the facts the compiler needs before
 * typing it: whether it returns a value, which of its calls are statements (their value
 * unused), and positions mapped into the class source.
 */
import { type AstNode, type ParsedKernel, parseKernel } from '../compiler/parse.js';
import { CompileError } from '../core/errors.js';
import { OwnedCaches } from '../core/spec-cache.js';
import { classPositionMapper, type Position, sourceOf } from './class-source.js';
import type { ClassModel } from './model.js';
import type { MemberInfo } from './spec.js';

export type MemberKind = 'method' | 'get' | 'set';

export interface MemberKernel {
  readonly member: MemberInfo;
  readonly kind: MemberKind;
  /** "Particle.step", "Particle.speed (getter)" — for messages. */
  readonly label: string;
  readonly parsed: ParsedKernel;
  /** Some `return` gives a value (otherwise the member is void). */
  readonly returnsValue: boolean;
  /** Call nodes whose value is discarded (`this.update(dt);` as a statement). */
  readonly statementCalls: ReadonlySet<AstNode>;
}

/** Per class (one function may serve several jitclasses), per `kind:name`. */
const cache = new OwnedCaches<ClassModel, string, MemberKernel>();

/** Parses (once per function) the method, getter or setter `kind` of `member`. */
export function memberKernel(
  model: ClassModel,
  member: MemberInfo,
  kind: MemberKind,
): MemberKernel {
  const fn = member[kind];
  if (!fn) throw new Error(`internal: ${member.name} has no ${kind}`);
  return cache.of(model).get(`${kind}:${member.name}`, () => parseMember(model, member, kind, fn));
}

/** Parses `fn`, the member's `kind`, and checks that its returns fit that kind. */
function parseMember(
  model: ClassModel,
  member: MemberInfo,
  kind: MemberKind,
  fn: Function,
): MemberKernel {
  const label = `${model.name}.${member.name}${kind === 'method' ? '' : ` (${kind}ter)`}`;
  const toClass = classPositionMapper(member.owner, sourceOf(fn));
  let raw: ParsedKernel;
  try {
    raw = parseKernel(fn);
  } catch (e) {
    throw e instanceof CompileError ? relabel(e, label, toClass) : e;
  }
  const parsed: ParsedKernel = { ...raw, where: (node) => toClass(raw.where(node)) };
  // Methods have block bodies; an arrow put on a prototype by hand returns its expression.
  const body: AstNode[] = parsed.expressionBody ? [] : parsed.body.body;
  const returnsValue = parsed.expressionBody || hasValueReturn(parsed.body);
  if (kind === 'get' && !returnsValue) {
    throw relabel(
      new CompileError('a getter must return a value', parsed.where(parsed.body)),
      label,
    );
  }
  if (kind !== 'set' && returnsValue && !parsed.expressionBody && completes(body)) {
    throw relabel(
      new CompileError(
        'returns a value on some paths but can reach its end without one; end it with a return',
        parsed.where({ start: parsed.body.end - 1 }),
      ),
      label,
    );
  }
  return { member, kind, label, parsed, returnsValue, statementCalls: statementCalls(parsed.body) };
}

/** Errors already prefixed with the member they come from (a caller must not re-prefix). */
const labelled = new WeakSet<CompileError>();

/**
 * A CompileError with `label: ` in front of its message, keeping its position (moved by
 * `move`, for positions still relative to the member's own source).
 */
export function relabel(
  e: CompileError,
  label: string,
  move: (p: Position) => Position = (p) => p,
): CompileError {
  if (labelled.has(e)) return e;
  const at = e.line !== undefined ? { line: e.line, column: e.column ?? 1 } : undefined;
  const suffix = at ? ` (line ${at.line}, column ${at.column})` : '';
  const where = at && move(at);
  const raw = suffix && e.message.endsWith(suffix) ? e.message.slice(0, -suffix.length) : e.message;
  const out = new CompileError(`${label}: ${raw}`, where, e.freeNames?.slice());
  labelled.add(out);
  return out;
}

const FUNCTION_NODES = new Set([
  'FunctionExpression',
  'FunctionDeclaration',
  'ArrowFunctionExpression',
]);

/** Calls `visit` on every AST node under `node`, not entering nested functions. */
export function walkAst(node: AstNode, visit: (n: AstNode, parent: AstNode | null) => void): void {
  const go = (n: AstNode, parent: AstNode | null) => {
    visit(n, parent);
    for (const key of Object.keys(n)) {
      const v = (n as Record<string, unknown>)[key];
      const kids = Array.isArray(v) ? v : [v];
      for (const k of kids) {
        if (k && typeof k === 'object' && typeof (k as AstNode).type === 'string') {
          if (!FUNCTION_NODES.has((k as AstNode).type)) go(k as AstNode, n);
        }
      }
    }
  };
  go(node, null);
}

function hasValueReturn(body: AstNode): boolean {
  let found = false;
  walkAst(body, (n) => {
    if (n.type === 'ReturnStatement' && n.argument) found = true;
  });
  return found;
}

function statementCalls(body: AstNode): Set<AstNode> {
  const set = new Set<AstNode>();
  walkAst(body, (n, parent) => {
    if (n.type !== 'CallExpression' || !parent) return;
    if (parent.type === 'ExpressionStatement') set.add(n);
    if (parent.type === 'ForStatement' && (parent.init === n || parent.update === n)) set.add(n);
  });
  return set;
}

/**
 * Whether control can reach the end of a statement list (conservative: says yes unless
 * every path ends in `return`/`throw` or an endless loop without `break`).
 */
function completes(stmts: readonly AstNode[]): boolean {
  return stmts.every(completesOne);
}

function completesOne(s: AstNode): boolean {
  switch (s.type) {
    case 'ReturnStatement':
    case 'ThrowStatement':
      return false;
    case 'BlockStatement':
      return completes(s.body);
    case 'IfStatement':
      return !s.alternate || completesOne(s.consequent) || completesOne(s.alternate);
    case 'ForStatement':
      return s.test !== null || breaks(s.body);
    case 'WhileStatement':
    case 'DoWhileStatement':
      return !isTrue(s.test) || breaks(s.body);
    default:
      return true;
  }
}

function isTrue(e: AstNode): boolean {
  return e.type === 'Literal' && e.value === true;
}

/** Does a loop body contain a `break` of that loop (not of a nested loop)? */
function breaks(body: AstNode): boolean {
  let found = false;
  const go = (n: AstNode) => {
    if (found) return;
    if (n.type === 'BreakStatement') {
      found = true;
      return;
    }
    if (/^(For|While|DoWhile|ForIn|ForOf)Statement$|^SwitchStatement$/.test(n.type)) return;
    for (const key of Object.keys(n)) {
      const v = (n as Record<string, unknown>)[key];
      for (const k of Array.isArray(v) ? v : [v]) {
        if (k && typeof k === 'object' && typeof (k as AstNode).type === 'string') go(k as AstNode);
      }
    }
  };
  go(body);
  return found;
}
