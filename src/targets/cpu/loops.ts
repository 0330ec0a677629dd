/**
 * Generates the `cpu` target's loops: one JS function per (kernel, operand dtypes,
 * number of dims, layout class), built with `new Function` and cached by the caller.
 *
 * Operands are ordered inputs, then outputs, then an optional `where` mask. The function
 * takes (D, P, N, S): data arrays, start offsets, loop extents (outer→inner) and strides
 * (flattened [op][dim]). Inside, every value lives in a local: no allocation and no dtype
 * dispatch per element.
 */

import { castCode, HELPERS, wrapTo } from '../../compiler/emit-js.js';
import type { DType } from '../../core/dtypes.js';

/** Writes the code that computes outputs `outVars` from input value expressions. */
export type KernelCode = (inputs: readonly string[], outVars: readonly string[]) => string;

export interface LoopSpec {
  /** dtypes of the input arrays. */
  readonly inArrays: readonly DType[];
  /** Types the kernel's parameters expect. */
  readonly inKernel: readonly DType[];
  /** dtypes of the output arrays. */
  readonly outArrays: readonly DType[];
  /** Types the kernel produces. */
  readonly outKernel: readonly DType[];
  readonly kernel: KernelCode;
  /** Number of loop dims (after layout planning). */
  readonly ndim: number;
  /** Flat loop with stride 1 for every operand. */
  readonly contiguous: boolean;
  /** Contiguous and every offset is 0 (plain `a[i]` indexing). */
  readonly zeroOffsets: boolean;
  readonly hasMask: boolean;
  /**
   * Reduction: input 0 is output 0 (the accumulator). When output 0's innermost stride is 0
   * the accumulator stays in a register through the inner loop.
   */
  readonly accumulate: boolean;
  /** Per operand: innermost stride is 0 (value hoisted out of the inner loop). */
  readonly innerZero: readonly boolean[];
}

export type LoopFn = (
  D: readonly ArrayLike<number>[],
  P: readonly number[],
  N: readonly number[],
  S: readonly number[],
) => void;

/** A key that identifies everything `buildLoop` specialises on, apart from the kernel. */
export function loopKey(s: Omit<LoopSpec, 'kernel'>): string {
  return [
    s.inArrays.join(','),
    s.inKernel.join(','),
    s.outArrays.join(','),
    s.outKernel.join(','),
    s.ndim,
    s.contiguous ? (s.zeroOffsets ? 'cz' : 'c') : 's',
    s.hasMask ? 'm' : '',
    s.accumulate ? 'a' : '',
    s.innerZero.map((z) => (z ? 1 : 0)).join(''),
  ].join('|');
}

/** Builds the loop function source. */
export function loopSource(s: LoopSpec): string {
  const nin = s.inArrays.length;
  const nout = s.outArrays.length;
  const nops = nin + nout + (s.hasMask ? 1 : 0);
  const maskOp = nin + nout;
  const nd = s.ndim;
  const lines: string[] = [];
  const ops = Array.from({ length: nops }, (_, o) => o);
  lines.push(`const ${ops.map((o) => `d${o}=D[${o}]`).join(',')};`);
  const outVars = Array.from({ length: nout }, (_, j) => `r${j}`);
  lines.push(`let ${outVars.join(',')};`);

  const read = (o: number, idx: string) => castCode(s.inArrays[o], s.inKernel[o], `d${o}[${idx}]`);
  const store = (j: number, idx: string) => {
    const o = nin + j;
    const v =
      s.outArrays[j] === 'bool' && s.outKernel[j] !== 'bool'
        ? wrapTo('bool', outVars[j])
        : outVars[j];
    return `d${o}[${idx}]=${v};`;
  };

  if (s.contiguous) {
    const idx = (o: number) => (s.zeroOffsets ? 'i' : `o${o}+i`);
    if (!s.zeroOffsets) lines.push(`const ${ops.map((o) => `o${o}=P[${o}]`).join(',')};`);
    lines.push('const n=N[0];');
    const inputs = Array.from({ length: nin }, (_, o) => read(o, idx(o)));
    let body = s.kernel(inputs, outVars) + outVars.map((_, j) => store(j, idx(nin + j))).join('');
    if (s.hasMask) body = `if(d${maskOp}[${idx(maskOp)}]!==0){${body}}`;
    lines.push(`for(let i=0;i<n;i++){${body}}`);
    return lines.join('\n');
  }

  // Strided nest: q<op>_<level> is operand op's position at loop level `level`.
  lines.push(`const ${Array.from({ length: nd }, (_, l) => `n${l}=N[${l}]`).join(',')};`);
  const strideDecl: string[] = [];
  for (let o = 0; o < nops; o++)
    for (let l = 0; l < nd; l++) strideDecl.push(`s${o}_${l}=S[${o * nd + l}]`);
  lines.push(`const ${strideDecl.join(',')};`);
  lines.push(`let ${ops.map((o) => `q${o}_0=P[${o}]`).join(',')};`);
  const inner = nd - 1;
  const innerPtr = (o: number) => `q${o}_${inner}`;
  // The accumulator register for reductions whose output does not move in the inner loop.
  const accReg = s.accumulate && s.innerZero[nin];

  const innerBody = (): string => {
    const inputs: string[] = [];
    for (let o = 0; o < nin; o++) {
      if (s.accumulate && o === 0) inputs.push(accReg ? 'acc' : read(0, innerPtr(nin)));
      else inputs.push(s.innerZero[o] ? `h${o}` : read(o, innerPtr(o)));
    }
    let body: string;
    if (accReg) {
      body =
        s.outKernel[0] === s.outArrays[0]
          ? s.kernel(inputs, ['acc', ...outVars.slice(1)])
          : `${s.kernel(inputs, outVars)}acc=${castCode(s.outKernel[0], s.outArrays[0], 'r0')};`;
    } else
      body =
        s.kernel(inputs, outVars) + outVars.map((_, j) => store(j, innerPtr(nin + j))).join('');
    if (s.hasMask) body = `if(d${maskOp}[${innerPtr(maskOp)}]!==0){${body}}`;
    const advance = ops
      .filter((o) => !s.innerZero[o])
      .map((o) => `${innerPtr(o)}+=s${o}_${inner};`)
      .join('');
    return `${body}${advance}`;
  };

  const level = (l: number): string => {
    const enter = l === 0 ? '' : `let ${ops.map((o) => `q${o}_${l}=q${o}_${l - 1}`).join(',')};`;
    if (l === inner) {
      const hoist: string[] = [];
      for (let o = 0; o < nin; o++) {
        if (s.innerZero[o] && !(s.accumulate && o === 0))
          hoist.push(`const h${o}=${read(o, innerPtr(o))};`);
      }
      // Reductions keep the output array in the kernel's type, so the register needs no cast.
      const accLoad = accReg ? `let acc=d${nin}[${innerPtr(nin)}];` : '';
      const accStore = accReg ? `d${nin}[${innerPtr(nin)}]=acc;` : '';
      return `${enter}${hoist.join('')}${accLoad}for(let i${l}=0;i${l}<n${l};i${l}++){${innerBody()}}${accStore}`;
    }
    const advance = ops.map((o) => `q${o}_${l}+=s${o}_${l};`).join('');
    return `${enter}for(let i${l}=0;i${l}<n${l};i${l}++){${level(l + 1)}${advance}}`;
  };
  lines.push(level(0));
  return lines.join('\n');
}

/** Compiles a loop. `fallback` is the user's function, for kernels that call it per element. */
export function buildLoop(s: LoopSpec, fallback?: Function): LoopFn {
  const src = loopSource(s);
  const factory = new Function(
    'H',
    'F',
    `'use strict';return function numbatsLoop(D,P,N,S){\n${src}\n}`,
  );
  return factory(HELPERS, fallback) as LoopFn;
}
