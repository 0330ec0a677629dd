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
import { compileGenerated } from '../../core/codegen.js';
import type { LoopSpec } from '../../plan/loop-spec.js';

// The spec is a plan type (kinds build it, targets read it); re-exported for the kinds.
export type { KernelCode, LoopSpec } from '../../plan/loop-spec.js';

export type LoopFn = (
  D: readonly ArrayLike<number>[],
  P: readonly number[],
  N: readonly number[],
  S: readonly number[],
) => void;

/** Builds the loop function source. */
export function loopSource(s: LoopSpec): string {
  const nin = s.inArrays.length;
  const nout = s.outArrays.length;
  const nops = nin + nout + (s.hasMask ? 1 : 0);
  const maskOp = nin + nout;
  const nd = s.ndim;
  const lines: string[] = [];
  const ops = Array.from({ length: nops }, (_, o) => o);
  const outVars = Array.from({ length: nout }, (_, j) => `r${j}`);
  lines.push(`let ${outVars.join(',')};`);
  const pairwise = usesPairwise(s);
  if (pairwise) lines.push(pairwiseSource(s));

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

  // Strided nest: q<op>_<level> is operand op's position at loop level `level`. In the
  // innermost loop, operands with stride 1 are indexed as q+i (no pointer bump), operands
  // with stride 0 are read once before the loop, and a reduction's accumulator input
  // (operand 0) shares output 0's pointer.
  lines.push(`const ${Array.from({ length: nd }, (_, l) => `n${l}=N[${l}]`).join(',')};`);
  const tracked = ops.filter((o) => !(s.accumulate && o === 0));
  const strideDecl: string[] = [];
  for (const o of tracked)
    for (let l = 0; l < nd; l++) strideDecl.push(`s${o}_${l}=S[${o * nd + l}]`);
  lines.push(`const ${strideDecl.join(',')};`);
  lines.push(`let ${tracked.map((o) => `q${o}_0=P[${o}]`).join(',')};`);
  const inner = nd - 1;
  const iv = `i${inner}`;
  const at = (o: number) =>
    s.innerBase0?.[o] ? iv : s.innerOne[o] ? `q${o}_${inner}+${iv}` : `q${o}_${inner}`;
  // The accumulator register for reductions whose output does not move in the inner loop.
  const accReg = s.accumulate && s.innerZero[nin];
  const outAt = (j: number) => at(nin + j);

  const innerBody = (): string => {
    const inputs: string[] = [];
    for (let o = 0; o < nin; o++) {
      // The accumulator is read through the output's own array variable: V8 then sees one
      // array loaded and stored, as in a hand-written `out[j] += x`.
      if (s.accumulate && o === 0)
        inputs.push(
          accReg ? 'acc' : castCode(s.inArrays[0], s.inKernel[0], `d${nin}[${outAt(0)}]`),
        );
      else if (s.scan && o === 0) inputs.push('acc');
      else inputs.push(s.innerZero[o] ? `h${o}` : read(o, at(o)));
    }
    let body: string;
    if (accReg) {
      body =
        s.outKernel[0] === s.outArrays[0]
          ? s.kernel(inputs, ['acc', ...outVars.slice(1)])
          : `${s.kernel(inputs, outVars)}acc=${castCode(s.outKernel[0], s.outArrays[0], 'r0')};`;
    } else {
      body = s.kernel(inputs, outVars) + outVars.map((_, j) => store(j, outAt(j))).join('');
      if (s.scan)
        body += `acc=${castCode(s.outKernel[0], s.inKernel[0], castCode(s.outKernel[0], s.outArrays[0], 'r0'))};`;
    }
    if (s.hasMask) body = `if(d${maskOp}[${at(maskOp)}]!==0){${body}}`;
    const advance = tracked
      .filter((o) => !s.innerZero[o] && !s.innerOne[o])
      .map((o) => `q${o}_${inner}+=s${o}_${inner};`)
      .join('');
    return `${body}${advance}`;
  };

  const level = (l: number): string => {
    const enter =
      l === 0 ? '' : `let ${tracked.map((o) => `q${o}_${l}=q${o}_${l - 1}`).join(',')};`;
    if (l === inner) {
      const hoist: string[] = [];
      for (let o = 0; o < nin; o++) {
        if (s.innerZero[o] && !(s.accumulate && o === 0))
          hoist.push(`const h${o}=${read(o, `q${o}_${l}`)};`);
      }
      // Reductions keep the output array in the kernel's type, so the register needs no cast.
      let accLoad = '';
      let accStore = '';
      if (accReg) {
        accLoad = `let acc=d${nin}[q${nin}_${l}];`;
        accStore = `d${nin}[q${nin}_${l}]=acc;`;
      } else if (s.scan) {
        accLoad = `let acc=${read(0, `q0_${l}`)};`;
      }
      if (pairwise) {
        // acc = K(acc, pairwise reduction of the inner run); the run's stride is operand 1's.
        const st = s.innerOne[1] ? '1' : `s1_${l}`;
        return `${enter}${accLoad}if(n${l}>0){const p$=pw$(d1,q1_${l},${st},n${l});{${s.kernel(['acc', 'p$'], ['acc'])}}}${accStore}`;
      }
      return `${enter}${hoist.join('')}${accLoad}for(let ${iv}=0;${iv}<n${l};${iv}++){${innerBody()}}${accStore}`;
    }
    const advance = tracked.map((o) => `q${o}_${l}+=s${o}_${l};`).join('');
    return `${enter}for(let i${l}=0;i${l}<n${l};i${l}++){${level(l + 1)}${advance}}`;
  };
  lines.push(level(0));
  return lines.join('\n');
}

/** Whether a spec's inner loop is reduced pairwise (see `LoopSpec.pairwise`). */
function usesPairwise(s: LoopSpec): boolean {
  const t = s.outKernel[0];
  return (
    s.pairwise === true &&
    s.accumulate &&
    !s.contiguous &&
    !s.scan &&
    !s.hasMask &&
    s.inArrays.length === 2 &&
    s.outArrays.length === 1 &&
    s.innerZero[2] === true &&
    !s.innerZero[1] &&
    s.outArrays[0] === t &&
    s.inKernel[0] === t &&
    s.inKernel[1] === t
  );
}

/**
 * `pw$(d, o, st, n)`: the kernel folded over the n >= 1 elements d[o + i*st], in NumPy's
 * pairwise order (numpy/_core/src/umath/loops_utils.h: `pairwise_sum`). Each kernel use is
 * its own block, so its locals do not clash.
 */
function pairwiseSource(s: LoopSpec): string {
  const rd = (idx: string) => castCode(s.inArrays[1], s.inKernel[1], `d[${idx}]`);
  const K = (a: string, b: string, dst: string) => `{${s.kernel([a, b], [dst])}}`;
  const regs = Array.from({ length: 8 }, (_, j) => `p${j}`);
  const init = regs.map((r, j) => `${r}=${rd(`o+${j}*st`)}`).join(',');
  const step = regs.map((r, j) => K(r, rd(`b+${j}*st`), r)).join('');
  return `function pw$(d,o,st,n){
if(n<8){let r=${rd('o')};for(let i=1;i<n;i++){${K('r', rd('o+i*st'), 'r')}}return r;}
if(n<=128){let ${init};const m=n-n%8;
for(let i=8;i<m;i+=8){const b=o+i*st;${step}}
let x=p0,y=p2,z=p4,w=p6;${K('x', 'p1', 'x')}${K('y', 'p3', 'y')}${K('z', 'p5', 'z')}${K('w', 'p7', 'w')}${K('x', 'y', 'x')}${K('z', 'w', 'z')}${K('x', 'z', 'x')}
for(let i=m;i<n;i++){${K('x', rd('o+i*st'), 'x')}}return x;}
let h=n>>1;h-=h%8;let l=pw$(d,o,st,h);const r=pw$(d,o+h*st,st,n-h);${K('l', 'r', 'l')}return l;}`;
}

/** Compiles a loop. `fallback` is the user's function, for kernels that call it per element. */
export function buildLoop(s: LoopSpec, fallback?: Function): LoopFn {
  const factory = compileGenerated(
    'H',
    'F',
    `'use strict';${loopFunctionSource(s)}\nreturn numbatsLoop;`,
  );
  return factory(HELPERS, fallback) as LoopFn;
}

/**
 * The loop as source: the data arrays arrive as parameters of the function holding the
 * loop. Loading them from the array `D` inside it (keyed loads of mixed TypedArray kinds)
 * made V8 deoptimise hot loops; a thin entry function unpacks them instead.
 */
export function loopFunctionSource(s: LoopSpec): string {
  const nops = s.inArrays.length + s.outArrays.length + (s.hasMask ? 1 : 0);
  const ds = Array.from({ length: nops }, (_, o) => `d${o}`);
  const unpack = Array.from({ length: nops }, (_, o) => `D[${o}]`);
  return (
    `function numbatsKernelLoop(${ds.join(',')},P,N,S){\n${loopSource(s)}\n}\n` +
    `function numbatsLoop(D,P,N,S){numbatsKernelLoop(${unpack.join(',')},P,N,S);}`
  );
}
