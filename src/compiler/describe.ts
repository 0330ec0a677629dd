/**
 * Names of source constructs in error messages: what a CompileError calls the node it
 * rejects (`'Math.foo'`, `template string`, `for…in loop`).
 */
import type { AstNode } from './parse.js';

const NODE_NAMES: Record<string, string> = {
  ThisExpression: "'this'",
  ObjectExpression: 'object literal',
  ArrayExpression: 'array literal',
  TemplateLiteral: 'template string',
  TaggedTemplateExpression: 'tagged template',
  NewExpression: "'new'",
  FunctionExpression: 'nested function',
  ArrowFunctionExpression: 'nested function',
  FunctionDeclaration: 'nested function',
  ClassExpression: 'class',
  ClassDeclaration: 'class',
  AwaitExpression: "'await'",
  YieldExpression: "'yield'",
  ChainExpression: 'optional chaining',
  ForInStatement: 'for…in loop',
  ForOfStatement: 'for…of loop',
  SwitchStatement: 'switch statement',
  TryStatement: 'try statement',
  ThrowStatement: 'throw statement',
  LabeledStatement: 'labelled statement',
  WithStatement: 'with statement',
  ImportExpression: 'import()',
  MetaProperty: 'meta property',
};

export function describeNode(n: AstNode): string {
  if (n.type === 'MemberExpression') {
    const obj =
      n.object.type === 'Identifier'
        ? n.object.name
        : n.object.type === 'ThisExpression'
          ? 'this'
          : '…';
    const prop = !n.computed && n.property.type === 'Identifier' ? `.${n.property.name}` : '[…]';
    return `'${obj}${prop}'`;
  }
  if (n.type === 'Literal') return describeLiteral(n);
  return NODE_NAMES[n.type] ?? n.type;
}

export function describeLiteral(n: AstNode): string {
  if (typeof n.value === 'string') return 'string';
  if (n.regex) return 'regular expression';
  if (n.bigint !== undefined) return 'BigInt';
  if (n.value === null) return 'null';
  return String(n.type);
}
