import { describe, expect, it } from 'vitest';
import { parseKernel, parseSource } from '../../src/compiler/parse.js';
import { CompileError, vectorize } from '../../src/index.js';

describe('parseSource / parseKernel', () => {
  it('accepts arrow functions, function expressions and declarations, and methods', () => {
    const forms: [string, string[], boolean][] = [
      ['(a, b) => a + b', ['a', 'b'], true],
      ['x => x', ['x'], true],
      ['(x) => { return x; }', ['x'], false],
      ['function (x, y) { return x; }', ['x', 'y'], false],
      ['function hypot(x, y) { return x; }', ['x', 'y'], false],
      ['step(dt) { return dt; }', ['dt'], false],
      ['() => 1', [], true],
    ];
    for (const [src, params, expressionBody] of forms) {
      const p = parseSource(src);
      expect(p.params, src).toEqual(params);
      expect(p.expressionBody, src).toBe(expressionBody);
      expect(p.source).toBe(src);
    }
  });

  it('maps nodes to 1-based lines and columns of the source', () => {
    const p = parseSource('(x) => {\n  const y = x;\n  return y;\n}');
    expect(p.where(p.body)).toEqual({ line: 1, column: 8 });
    expect(p.where(p.body.body[1])).toEqual({ line: 3, column: 3 });
    expect(p.where(p.paramNodes[0])).toEqual({ line: 1, column: 2 });
  });

  it('caches the parse per function', () => {
    const f = (x: number) => x;
    expect(parseKernel(f)).toBe(parseKernel(f));
    expect(() => parseKernel(3 as never)).toThrow(new TypeError('kernel must be a function'));
  });

  it('compiles object methods and named functions as kernels', () => {
    const obj = {
      twice(x: number) {
        return x * 2;
      },
    };
    expect(vectorize(obj.twice)(4)).toBe(8);
    function triple(x: number) {
      return x * 3;
    }
    expect(vectorize(triple)(2)).toBe(6);
    expect(vectorize(triple).ufuncName).toBe('triple');
  });

  it('rejects source that is not a function', () => {
    expect(() => parseSource('1 + 2')).toThrow(CompileError);
    expect(() => parseSource('{')).toThrow(/^cannot parse kernel source: /);
    expect(() => parseSource('function () { [native code] }')).toThrow(
      'cannot compile a native or bound function: its source is not available',
    );
  });
});
