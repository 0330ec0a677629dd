/**
 * What jitclass reads from the source text of the user's class: that it declares no
 * constructor and no instance fields (a record's state lives in its typed columns, and
 * the constructor is never run), and where each method starts, so that a CompileError
 * names a line of the class rather than of the method alone.
 */
import { parse as acornParse } from 'acorn';
import type { AstNode } from '../compiler/parse.js';

/** The source of a function or class (empty for native/bound functions). */
export function sourceOf(fn: Function): string {
  const src = Function.prototype.toString.call(fn);
  return /\{\s*\[native code\]\s*\}\s*$/.test(src) ? '' : src;
}

/**
 * Throws a TypeError when the class declares a constructor or instance fields. Classes
 * whose source does not parse as a class (functions, transpiled classes) are not checked.
 */
export function checkClassBody(cls: Function, className: string): void {
  const src = sourceOf(cls);
  if (!/^class\b/.test(src)) return;
  let program: AstNode;
  try {
    program = acornParse(`(${src}\n)`, { ecmaVersion: 'latest', sourceType: 'script' }) as AstNode;
  } catch {
    return;
  }
  const body = program.body[0]?.expression?.body?.body as AstNode[] | undefined;
  for (const m of body ?? []) {
    if (m.type === 'MethodDefinition' && m.kind === 'constructor') {
      throw new TypeError(
        `jitclass ${className}: remove the constructor — a record takes its initial values ` +
          `from new ${className}({ field: value, … }) and its storage from the spec`,
      );
    }
    if (m.type === 'PropertyDefinition' && !m.static) {
      const key =
        !m.computed && m.key.type === 'Identifier'
          ? `'${m.key.name}'`
          : m.key.type === 'PrivateIdentifier'
            ? `'#${m.key.name}'`
            : '(computed)';
      throw new TypeError(
        `jitclass ${className}: instance field ${key} is not supported — add it to the spec ` +
          `(TypeScript: use 'declare' for field type annotations)`,
      );
    }
  }
}

/** A 1-based position. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Maps a position inside `member`'s source to the same place in its class's source, when
 * the member's text can be found there; otherwise returns positions unchanged.
 */
export function classPositionMapper(
  owner: Function,
  memberSource: string,
): (p: Position) => Position {
  const classSrc = sourceOf(owner);
  const at = classSrc.indexOf(memberSource);
  if (at < 0) return (p) => p;
  const before = classSrc.slice(0, at);
  const lineShift = before.split('\n').length - 1;
  const columnShift = at - (before.lastIndexOf('\n') + 1);
  return (p) => ({
    line: p.line + lineShift,
    column: p.line === 1 ? p.column + columnShift : p.column,
  });
}
