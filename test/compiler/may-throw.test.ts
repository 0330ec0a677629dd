/**
 * `kernelMayThrow` reads what an extension declares on its nodes (`mayThrow`): the
 * compiler names no kind's op, so any extension can mark its own constructs.
 */

import { describe, expect, it } from 'vitest';
import type { ExtContext, KernelExtension } from '../../src/compiler/hooks.js';
import { inferKernel } from '../../src/compiler/infer.js';
import type { Expr } from '../../src/compiler/ir.js';
import { kernelMayThrow } from '../../src/compiler/may-throw.js';
import { type AstNode, parseSource } from '../../src/compiler/parse.js';
import '../../src/plan/stencil.js';

/** `risky()` and `safe()`: one extension op, marked throwing or not by the extension. */
const ext: KernelExtension = {
  call(n: AstNode, _cx: ExtContext): Expr | undefined {
    const name = n.callee.type === 'Identifier' ? n.callee.name : '';
    if (name !== 'risky' && name !== 'safe') return undefined;
    const data = { param: 0, offsets: [] };
    return { k: 'ext', op: 'rel', args: [], data, ty: 'float64', mayThrow: name === 'risky' };
  },
};

const mayThrow = (src: string, types: ('float64' | 'int32')[] = ['float64']) =>
  kernelMayThrow(inferKernel(parseSource(src), types, {}, ext));

describe('kernelMayThrow', () => {
  it('follows the mayThrow flag an extension puts on its nodes, wherever they are', () => {
    expect(mayThrow('(a) => a + safe()')).toBe(false);
    expect(mayThrow('(a) => a + risky()')).toBe(true);
    expect(
      mayThrow(
        '(a) => { let s = 0; for (let i = 0; i < 3; i++) { if (a > i) s += risky(); } return s; }',
      ),
    ).toBe(true);
    expect(
      mayThrow('(a) => { let s = 0; for (let i = 0; i < 3; i++) s += safe(); return s; }'),
    ).toBe(false);
  });

  it('still sees the core constructs that throw: an integer power', () => {
    expect(mayThrow('(a) => a ** 2', ['int32'])).toBe(true);
    expect(mayThrow('(a) => a ** 2', ['float64'])).toBe(false);
  });
});
