/**
 * JS source of a compiled `.call`: a factory that takes the helpers `H` and the columns
 * `C` of one record array and returns the loop over its records. Columns are captured as
 * constants of the factory's closure (`const c0=C[0]`): V8 runs such loops about twice as
 * fast as loops taking their arrays as parameters. Members reached from the method are
 * functions `f<k>(i, …)` in the same closure (V8 inlines the small ones); the method itself
 * is inlined in the loop. Only identifiers made here appear: `c<k>`, `f<k>`, `a<k>`, `i`,
 * `n`, `R`, the temporaries `w$`/`u$` and the emitter's `v<k>`, `t$`, `K`.
 */
import { type ExtLowering, JsEmitter } from '../compiler/emit-js.js';
import type { DType } from '../core/dtypes.js';
import type { Helper } from './extension.js';

/** Lowers the jitclass `ext` nodes (see `extension.ts`). */
const lower: ExtLowering = (e, args) => {
  switch (e.op) {
    case 'field':
      return `c${e.data}[i]`;
    case 'store': {
      const { col, bool } = e.data;
      // A TypedArray store converts like the field's dtype, except bool (0/1 with NumPy's
      // truth); the assignment's value stays the assigned one, as in JS. Values that are
      // already 0/1 (comparisons, bools, the constants 0 and 1) are stored as they are.
      const v = e.args[0];
      const is01 = v.ty === 'bool' || (v.k === 'const' && (v.value === 0 || v.value === 1));
      return bool && !is01
        ? `(u$=${args[0]},c${col}[i]=(u$!==0?1:0),u$)`
        : `(c${col}[i]=${args[0]})`;
    }
    case 'call':
      return `${e.data.name}(i${args.map((a) => `,${a}`).join('')})`;
    case 'tmp':
      return 'w$';
    case 'post':
      return `(w$=${args[0]},${args[1]},w$)`;
    default:
      throw new Error(`internal: unknown jitclass construct '${e.op}'`);
  }
};

const params = (n: number) => Array.from({ length: n }, (_, k) => `a${k}`);

/** A member as a function of the record index and its parameters. */
function helperSource(h: Helper): string {
  const typed = h.typed!;
  const ps = params(h.paramTypes.length);
  const head = `function ${h.name}(${['i', ...ps].join(',')}){let w$,u$`;
  if (h.mk.kind === 'set') {
    // A setter's call is an assignment: its value is the assigned (argument) value.
    const outs = typed.outTypes.length ? ['r0'] : [];
    const decl = outs.length ? ',r0' : '';
    return `${head}${decl};${new JsEmitter(typed, lower).body(ps, outs)}\nreturn a0;}`;
  }
  if (!typed.outTypes.length) return `${head};${new JsEmitter(typed, lower).body(ps, [])}\n}`;
  return `${head},r0=0;${new JsEmitter(typed, lower).body(ps, ['r0'])}\nreturn r0;}`;
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
  const body = new JsEmitter(typed, lower).body(ps, outs);
  const lines = ["'use strict';"];
  if (columns.length) lines.push(`const ${columns.map((c) => `c${c}=C[${c}]`).join(',')};`);
  for (const h of helpers) lines.push(helperSource(h));
  const sig = ['n', ...ps, ...(outs.length ? ['R'] : [])].join(',');
  const store = outs.length ? 'R[i]=r0;' : '';
  lines.push(
    `return function numbatsRecords(${sig}){let w$,u$${outs.length ? ',r0=0' : ''};` +
      `\nfor(let i=0;i<n;i++){${body}\n${store}}\n};`,
  );
  return { source: lines.join('\n'), outType };
}
