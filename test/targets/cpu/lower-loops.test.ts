/**
 * The JS lowering of loop expressions prints the fewest parentheses precedence allows: a
 * printed expression must still compute what its tree says. Random trees of the index
 * arithmetic (`+ - *`, negation, negative literals) are printed, evaluated, and compared
 * with a direct evaluation of the tree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LExpr, type LStmt, mul, neg, num, op, v } from '../../../src/compiler/loops.js';
import { printLoopExpr, printLoops } from '../../../src/targets/cpu/lower-loops.js';

const env = { x: 3, y: -5 };

function evaluate(e: LExpr): number {
  switch (e.k) {
    case 'name':
      return env[e.name as keyof typeof env];
    case 'num':
      return e.value;
    case 'neg':
      return -evaluate(e.arg);
    case 'op': {
      const l = evaluate(e.l);
      const r = evaluate(e.r);
      if (e.op === '+') return l + r;
      if (e.op === '-') return l - r;
      if (e.op === '*') return l * r;
      throw new Error(`unexpected operator ${e.op}`);
    }
    default:
      throw new Error(`unexpected node ${e.k}`);
  }
}

const exprArb: fc.Arbitrary<LExpr> = fc.letrec<{ e: LExpr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -3, max: 3 }).map(num),
    fc.constantFrom('x', 'y').map(v),
    tie('e').map(neg),
    fc
      .tuple(fc.constantFrom('+', '-', '*') as fc.Arbitrary<'+' | '-' | '*'>, tie('e'), tie('e'))
      .map(([o, l, r]) => op(o, l, r)),
  ),
})).e;

describe('printLoopExpr', () => {
  it('prints arithmetic that evaluates as its tree does', () => {
    fc.assert(
      fc.property(exprArb, (e) => {
        const code = printLoopExpr(e);
        const got = new Function('x', 'y', `return ${code};`)(env.x, env.y) as number;
        expect(got + 0).toBe(evaluate(e) + 0);
      }),
    );
  });

  it('keeps negations apart from a subtraction and from each other', () => {
    expect(printLoopExpr(op('-', v('a'), neg(v('b'))))).toBe('a- -b');
    expect(printLoopExpr(op('-', v('a'), num(-2)))).toBe('a-(-2)');
    expect(printLoopExpr(neg(neg(v('b'))))).toBe('-(-b)');
    expect(printLoopExpr(op('+', v('a'), mul(num(-2), v('s'))))).toBe('a+(-2)*s');
    expect(printLoopExpr(neg(op('+', v('a'), v('b'))))).toBe('-(a+b)');
  });
});

describe('printLoops', () => {
  it('prints a conditional loop exit without a block', () => {
    const exit: LStmt = { k: 'if', test: op('>=', v('i'), v('e')), cons: [{ k: 'break' }] };
    expect(printLoops([exit])).toBe('if(i>=e)break;');
    const twice: LStmt = { ...exit, cons: [{ k: 'break' }, { k: 'break' }] };
    expect(printLoops([twice])).toBe('if(i>=e){break;break;}');
  });
});

describe('names and strings in generated loops', () => {
  const hostile = ["x);alert('pwned');(", 'a b', '1abc', 'd0[0]', 'H..bc', ''];

  it('prints only generated names: anything else is refused before code exists', () => {
    for (const name of hostile) {
      expect(() => printLoopExpr(v(name)), name).toThrow(/is not a generated name/);
      expect(() => printLoopExpr({ k: 'call', fn: name, args: [] }), name).toThrow(
        /is not a generated name/,
      );
      expect(() =>
        printLoops([{ k: 'decl', kind: 'const', vars: [{ name, init: num(0) }] }]),
      ).toThrow(/is not a generated name/);
      expect(() =>
        printLoops([{ k: 'for', counter: name, from: num(0), to: v('n'), body: [] }]),
      ).toThrow(/is not a generated name/);
      const load: LExpr = { k: 'load', data: name, at: v('i'), from: 'float64', to: 'float64' };
      expect(() => printLoopExpr(load)).toThrow(/is not a generated name/);
    }
    expect(printLoopExpr({ k: 'call', fn: 'B.wrap', args: [v('i0'), v('n0')] })).toBe(
      'B.wrap(i0,n0)',
    );
  });

  it('quotes string literals, so text reaches the code only as a value', () => {
    for (const value of hostile) {
      const code = printLoopExpr({ k: 'str', value });
      expect(new Function(`return ${code};`)()).toBe(value);
    }
  });
});
