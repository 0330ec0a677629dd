/**
 * The loop of a compiled `.call`, built as loop IR and printed by the `cpu` target's
 * lowering: a factory that takes the helpers `H` and the columns
 * `C` of one record array and returns the loop over its records. Columns are captured as
 * constants of the factory's closure (`const c0=C[0]`): V8 runs such loops about twice as
 * fast as loops taking their arrays as parameters. Members reached from the method are
 * functions `f<k>(i, …)` in the same closure (V8 inlines the small ones); the method itself
 * is inlined in the loop. Only identifiers made here appear: `c<k>`, `f<k>`, `a<k>`, `i`,
 * `n`, `R`, the temporaries `w$`/`u$` and the emitter's `v<k>`, `t$`, `K`. Record fields
 * are element reads and writes of the columns at record `i` (`recordAccess`).
 */
import type { ExtNode } from '../compiler/ir.js';
import {
  call,
  decl,
  index,
  type LExpr,
  type LStmt,
  line,
  loop,
  num,
  v,
} from '../compiler/loops.js';
import type { DType } from '../core/dtypes.js';
import { printLoops } from '../targets/cpu/lower-loops.js';
import type { Helper } from './extension.js';

const arg = (index: number): LExpr => ({ k: 'arg', index });

/** What each jitclass `ext` node (see `extension.ts`) reads or writes at record `i`. */
function recordAccess(e: ExtNode): LExpr {
  switch (e.op) {
    case 'field':
      return index(`c${e.data}`, v('i'));
    case 'store': {
      const { col, bool } = e.data;
      // A TypedArray store converts like the field's dtype, except bool (0/1 with NumPy's
      // truth); the assignment's value stays the assigned one, as in JS. Values that are
      // already 0/1 (comparisons, bools, the constants 0 and 1) are stored as they are.
      const x = e.args[0];
      const is01 = x.ty === 'bool' || (x.k === 'const' && (x.value === 0 || x.value === 1));
      const at = v('i');
      if (!bool || is01)
        return { k: 'store', data: `c${col}`, at, value: arg(0), from: 'bool', to: 'bool' };
      const store: LExpr = {
        k: 'store',
        data: `c${col}`,
        at,
        value: v('u$'),
        from: 'float64',
        to: 'bool',
      };
      return { k: 'seq', items: [{ k: 'set', name: 'u$', value: arg(0) }, store, v('u$')] };
    }
    case 'call':
      return call(e.data.name, v('i'), ...e.args.map((_, k) => arg(k)));
    case 'tmp':
      return v('w$');
    case 'post':
      return { k: 'seq', items: [{ k: 'set', name: 'w$', value: arg(0) }, arg(1), v('w$')] };
    default:
      throw new Error(`internal: unknown jitclass construct '${e.op}'`);
  }
}

const params = (n: number) => Array.from({ length: n }, (_, k) => `a${k}`);

/** The member's kernel inlined with its parameters, results in `outs`. */
function body(h: Helper, outs: readonly string[]): LStmt {
  const ps = params(h.paramTypes.length);
  return { k: 'kernel', kernel: h.typed!, inputs: ps.map(v), outs, ext: recordAccess };
}

/** A member as a function of the record index and its parameters. */
function helperFunction(h: Helper): LStmt {
  const typed = h.typed!;
  const temps: [string, LExpr | null][] = [
    ['w$', null],
    ['u$', null],
  ];
  const fn = (stmts: LStmt[]): LStmt => ({
    k: 'function',
    name: h.name,
    params: ['i', ...params(h.paramTypes.length)],
    body: stmts,
  });
  if (h.mk.kind === 'set') {
    // A setter's call is an assignment: its value is the assigned (argument) value.
    const outs = typed.outTypes.length ? ['r0'] : [];
    const regs: [string, LExpr | null][] = outs.length ? [['r0', null]] : [];
    return fn([
      decl('let', [...temps, ...regs]),
      body(h, outs),
      line,
      { k: 'return', value: v('a0') },
    ]);
  }
  if (!typed.outTypes.length) return fn([decl('let', temps), body(h, []), line]);
  return fn([
    decl('let', [...temps, ['r0', num(0)]]),
    body(h, ['r0']),
    line,
    { k: 'return', value: v('r0') },
  ]);
}

export interface LoopSource {
  /** Body of `new Function('H', 'C', …)`. */
  readonly source: string;
  /** Result dtype, or undefined for a void method. */
  readonly outType: DType | undefined;
}

/** The factory source for `top` (the method `.call` runs) and the helpers it reaches. */
export function loopSource(
  top: Helper,
  helpers: readonly Helper[],
  columns: readonly number[],
): LoopSource {
  const typed = top.typed!;
  const ps = params(top.paramTypes.length);
  const outType = typed.outTypes[0];
  const outs = outType === undefined ? [] : ['r0'];
  const stmts: LStmt[] = [];
  if (columns.length)
    stmts.push(
      decl(
        'const',
        columns.map((c) => [`c${c}`, index('C', c)]),
      ),
      line,
    );
  for (const h of helpers) stmts.push(helperFunction(h), line);
  const regs: [string, LExpr | null][] = [
    ['w$', null],
    ['u$', null],
    ...(outs.length ? [['r0', num(0)] as [string, LExpr]] : []),
  ];
  const each: LStmt[] = [body(top, outs), line];
  if (outType !== undefined) {
    // The results array has the method's result dtype: no conversion.
    const e: LExpr = {
      k: 'store',
      data: 'R',
      at: v('i'),
      value: v('r0'),
      from: outType,
      to: outType,
    };
    each.push({ k: 'expr', e });
  }
  stmts.push({
    k: 'function',
    name: 'numbatsRecords',
    params: ['n', ...ps, ...(outs.length ? ['R'] : [])],
    body: [decl('let', regs), line, loop('i', num(0), v('n'), each), line],
  });
  stmts.push({ k: 'return', value: v('numbatsRecords') });
  return { source: `'use strict';\n${printLoops(stmts)}`, outType };
}
