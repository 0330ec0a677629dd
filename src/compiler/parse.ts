/**
 * Parses a user's kernel function (`fn.toString()`) with acorn into its parameter names
 * and body. Accepts arrow functions (expression or block body), function expressions and
 * declarations, and method shorthand (`step(dt) { … }`). Positions are reported relative
 * to the user's source so errors can name a line and column.
 */
import { parse as acornParse, type Node } from 'acorn';
import { CompileError } from '../core/errors.js';

/** A node of acorn's ESTree output (typed loosely: the compiler checks `type` itself). */
export type AstNode = Node & Record<string, any>;

export interface ParsedKernel {
  /** The source text that was parsed (for messages and `inspect`). */
  readonly source: string;
  /** Parameter names, in order. */
  readonly params: readonly string[];
  /** The parameter nodes (for positions). */
  readonly paramNodes: readonly AstNode[];
  /** Expression body of an arrow function, or a BlockStatement. */
  readonly body: AstNode;
  readonly expressionBody: boolean;
  /** Maps an acorn offset to a 1-based line and column in `source`. */
  where(node: { start: number }): { line: number; column: number };
}

const cache = new WeakMap<Function, ParsedKernel>();

/** Parses a function; results are cached per function object. */
export function parseKernel(fn: Function): ParsedKernel {
  if (typeof fn !== 'function') throw new TypeError('kernel must be a function');
  let p = cache.get(fn);
  if (!p) {
    p = parseSource(Function.prototype.toString.call(fn));
    cache.set(fn, p);
  }
  return p;
}

/** Parses kernel source text (exposed for tests and the class compiler). */
export function parseSource(source: string): ParsedKernel {
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new CompileError(
      'cannot compile a native or bound function: its source is not available',
    );
  }
  const attempts = [
    { prefix: '(', suffix: '\n)' },
    { prefix: '({', suffix: '\n})' },
  ];
  // The first form's error is the one to report: the second (a method's source wrapped in
  // an object literal) only rescues method shorthand, and its own error would hide acorn's
  // message about the user's actual mistake.
  let firstError: unknown;
  for (const { prefix, suffix } of attempts) {
    let program: AstNode;
    try {
      program = acornParse(prefix + source + suffix, {
        ecmaVersion: 'latest',
        sourceType: 'script',
      }) as AstNode;
    } catch (e) {
      if (isStackOverflow(e)) throw tooDeep();
      firstError ??= e;
      continue;
    }
    let fnNode = program.body[0]?.expression as AstNode | undefined;
    if (fnNode?.type === 'ObjectExpression')
      fnNode = fnNode.properties[0]?.value as AstNode | undefined;
    if (
      !fnNode ||
      (fnNode.type !== 'ArrowFunctionExpression' && fnNode.type !== 'FunctionExpression')
    ) {
      break;
    }
    checkDepth(fnNode);
    return build(source, prefix.length, fnNode);
  }
  const msg = firstError instanceof Error ? firstError.message : 'not a function expression';
  throw new CompileError(`cannot parse kernel source: ${msg}`);
}

/**
 * How deeply a kernel's syntax tree may nest. Type inference and code generation recurse
 * over the tree, so a deeper one (thousands of nested parentheses, or thousands of terms
 * in one expression, which parse left-deep) would exhaust the stack mid-compile.
 */
export const MAX_KERNEL_DEPTH = 1000;

/** True for the RangeError a JS engine throws when the call stack overflows. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

function tooDeep(): CompileError {
  return new CompileError(
    `kernel is nested too deeply to compile (more than ${MAX_KERNEL_DEPTH} levels of expressions or statements): split long expressions into local variables`,
  );
}

/** Rejects a tree deeper than MAX_KERNEL_DEPTH, walking it without recursion. */
function checkDepth(root: AstNode): void {
  const stack: [AstNode, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_KERNEL_DEPTH) throw tooDeep();
    for (const key in node) {
      if (key === 'loc' || key === 'range') continue;
      const v = (node as Record<string, unknown>)[key];
      if (Array.isArray(v)) {
        for (const c of v)
          if (c && typeof (c as AstNode).type === 'string') stack.push([c as AstNode, depth + 1]);
      } else if (v && typeof (v as AstNode).type === 'string') {
        stack.push([v as AstNode, depth + 1]);
      }
    }
  }
}

function build(source: string, shift: number, fn: AstNode): ParsedKernel {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const where = (node: { start: number }) => {
    const pos = Math.max(0, node.start - shift);
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: pos - lineStarts[lo] + 1 };
  };
  if (fn.async || fn.generator) {
    throw new CompileError(
      `kernels cannot be ${fn.async ? 'async' : 'generator'} functions`,
      where(fn),
    );
  }
  const params: string[] = [];
  for (const p of fn.params as AstNode[]) {
    if (p.type !== 'Identifier') {
      throw new CompileError(
        `unsupported parameter (${p.type}): kernel parameters must be plain names`,
        where(p),
      );
    }
    params.push(p.name);
  }
  return {
    source,
    params,
    paramNodes: fn.params,
    body: fn.body,
    expressionBody: fn.body.type !== 'BlockStatement',
    where,
  };
}
