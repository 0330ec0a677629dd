/**
 * Every construct the kernel compiler rejects is a CompileError naming it, with the line
 * and column in the user's function. Kernels are built from source text with `new Function`
 * so that `fn.toString()` (what the compiler parses) is exactly the text below.
 */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/compiler/parse.js';
import { CompileError, vectorize } from '../../src/index.js';

/** A function whose source text is exactly `src`. */
function fnOf(src: string): (...a: number[]) => number {
  return new Function(`return (${src}\n)`)();
}

function compileError(src: string): CompileError {
  try {
    vectorize(fnOf(src));
  } catch (e) {
    expect(e).toBeInstanceOf(CompileError);
    return e as CompileError;
  }
  throw new Error(`expected a CompileError for ${src}`);
}

// [kernel source, message (without the position), line, column]
const CASES: [string, string, number, number][] = [
  ["(x) => x + 'a'", 'unsupported literal string: kernels compute on numbers only', 1, 12],
  [
    '(x) => {\n  const o = { a: 1 };\n  return x;\n}',
    'unsupported expression: object literal',
    2,
    13,
  ],
  [
    'function (x) {\n  return this.y + x;\n}',
    "unsupported property access 'this.y': only Math and Number constants can be read",
    2,
    10,
  ],
  ['function (x) {\n  return this;\n}', "unsupported expression: 'this'", 2, 10],
  [
    '(x) => foo(x)',
    "call of unknown function 'foo': kernels may call Math.*, Number.isNaN/isFinite/isInteger, and jit functions or ufuncs passed as functions: { name }",
    1,
    8,
  ],
  [
    '(x) => {\n  console.log(x);\n  return x;\n}',
    "call of unknown function 'console.log': kernels may call Math.*, Number.isNaN/isFinite/isInteger, and jit functions or ufuncs passed as functions: { name }",
    2,
    3,
  ],
  [
    '(x) => Math.foo(x)',
    "call of unknown function 'Math.foo': kernels may call Math.*, Number.isNaN/isFinite/isInteger, and jit functions or ufuncs passed as functions: { name }",
    1,
    8,
  ],
  [
    '(x) => {\n  const g = (y) => y;\n  return g(x);\n}',
    'unsupported expression: nested function',
    2,
    13,
  ],
  [
    '(x) => {\n  function g(y) { return y; }\n  return x;\n}',
    'unsupported statement: nested function',
    2,
    3,
  ],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the kernel source is a template literal
  ['(x) => `${x}`', 'unsupported expression: template string', 1, 8],
  ['(x) => new Date(x)', "unsupported expression: 'new'", 1, 8],
  ['(x) => {\n  const a = [x, 1];\n  return a;\n}', 'unsupported expression: array literal', 2, 13],
  [
    '(x) => {\n  switch (x) { case 1: return 2; }\n  return 0;\n}',
    'unsupported statement: switch statement',
    2,
    3,
  ],
  [
    '(x) => {\n  try { return x; } catch (e) { return 0; }\n}',
    'unsupported statement: try statement',
    2,
    3,
  ],
  ['(x) => {\n  throw x;\n}', 'unsupported statement: throw statement', 2, 3],
  [
    '(x) => {\n  for (const v of [1]) x += v;\n  return x;\n}',
    'unsupported statement: for…of loop',
    2,
    3,
  ],
  [
    '(x) => {\n  for (const k in {}) x += 1;\n  return x;\n}',
    'unsupported statement: for…in loop',
    2,
    3,
  ],
  [
    '(x) => {\n  outer: for (let i = 0; i < 2; i++) { break outer; }\n  return x;\n}',
    'unsupported statement: labelled statement',
    2,
    3,
  ],
  ['(x) => {\n  return;\n}', 'return without a value: a kernel must return its result', 2, 3],
  ['(x) => {\n  let y = x;\n}', 'kernel never returns a value', 1, 8],
  [
    '(x) => {\n  const c = 1;\n  c = 2;\n  return c;\n}',
    "assignment to constant variable 'c'",
    3,
    3,
  ],
  [
    '(x) => {\n  z = x;\n  return x;\n}',
    "cannot assign to 'z': it is not a local variable of the kernel",
    2,
    3,
  ],
  [
    '(x) => { x.y = 1; return x; }',
    "cannot assign to 'x.y': only local variables can be assigned",
    1,
    10,
  ],
  [
    '({ a }) => a',
    'unsupported parameter (ObjectPattern): kernel parameters must be plain names',
    1,
    2,
  ],
  [
    '(x = 1) => x',
    'unsupported parameter (AssignmentPattern): kernel parameters must be plain names',
    1,
    2,
  ],
  [
    '(...xs) => 1',
    'unsupported parameter (RestElement): kernel parameters must be plain names',
    1,
    2,
  ],
  ['async (x) => x', 'kernels cannot be async functions', 1, 1],
  ['function* (x) { yield x; }', 'kernels cannot be generator functions', 1, 1],
  ['(x) => Math.sqrt(x, 2)', 'Math.sqrt expects 1 argument(s), got 2', 1, 8],
  ['(x) => Math.atan2(x)', 'Math.atan2 expects 2 argument(s), got 1', 1, 8],
  ['(x) => Math.max(...[x])', 'spread arguments are not supported', 1, 17],
  ['(x) => undefined', "'undefined' is not a number", 1, 8],
  ['(x) => x ?? 1', "operator '??' is not supported", 1, 8],
  ["(x) => 'a' in x", "operator 'in' is not supported", 1, 8],
  ['(x) => x instanceof Number', "operator 'instanceof' is not supported", 1, 8],
  ['(x) => typeof x', "operator 'typeof' is not supported", 1, 8],
  ['(x) => void x', "operator 'void' is not supported", 1, 8],
  ['(x) => /a/', 'unsupported literal regular expression: kernels compute on numbers only', 1, 8],
  ['(x) => 10n', 'unsupported literal BigInt: kernels compute on numbers only', 1, 8],
  ['(x) => null', 'unsupported literal null: kernels compute on numbers only', 1, 8],
  ['(x) => Math?.sqrt(x)', 'unsupported expression: optional chaining', 1, 8],
  ['(x) => class {}', 'unsupported expression: class', 1, 8],
  ['function (x, x) { return x; }', "duplicate parameter name 'x'", 1, 17],
  [
    '(x) => Math.PI2',
    "unsupported property access 'Math.PI2': only Math and Number constants can be read",
    1,
    8,
  ],
  ['(x) => { let [a] = [x]; return a; }', 'destructuring declarations are not supported', 1, 14],
  ['(x) => { x &&= 1; return x; }', "operator '&&=' is not supported", 1, 10],
  ['(x) => { return [...[x]]; }', 'return [..] must list plain values', 1, 17],
  ['(x) => { return []; }', 'return [] gives no output', 1, 17],
  ['(x) => []', 'return [] gives no output', 1, 8],
  [
    '(x) => { if (x) return [x, x]; return x; }',
    'every return must give the same number of outputs (2, not 1)',
    1,
    32,
  ],
  [
    '(a, b) => {\n  let s = 0;\n  for (let i = 0; i < 3; i++) {\n    s += "x";\n  }\n  return s;\n}',
    'unsupported literal string: kernels compute on numbers only',
    4,
    10,
  ],
];

describe('CompileError', () => {
  it.each(CASES)('%j', (src, message, line, column) => {
    const e = compileError(src);
    expect(e.message).toBe(`${message} (line ${line}, column ${column})`);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.name).toBe('CompileError');
  });

  it('is raised for native and bound functions, and unparsable source', () => {
    expect(() => vectorize(Math.sqrt as never)).toThrow(
      new CompileError('cannot compile a native or bound function: its source is not available'),
    );
    expect(() => vectorize(((x: number) => x).bind(null))).toThrow(CompileError);
    expect(() => parseSource('not a function')).toThrow(/^cannot parse kernel source/);
    expect(() => parseSource('class A {}')).toThrow(CompileError);
    const e = new CompileError('plain');
    expect([e.message, e.line, e.column]).toEqual(['plain', undefined, undefined]);
  });

  it('reports positions in the user source for multi-line kernels', () => {
    const e = compileError(
      '(a, b) => {\n  const t = a * b;\n  if (t > 0) {\n    return t + foo;\n  }\n  return t.x;\n}',
    );
    expect(e.message).toBe(
      "unsupported property access 't.x': only Math and Number constants can be read (line 6, column 10)",
    );
  });
});
