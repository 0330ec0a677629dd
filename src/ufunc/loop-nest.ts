/**
 * The loop nest of an elementwise call, a reduction or a scan, built as loop IR
 * (`compiler/loops.ts`) from its `LoopSpec`: one nest per (kernel, operand dtypes, number
 * of dims, layout class). Targets lower it (`targets/cpu/lower-loops.ts` prints the JS the
 * `cpu` loops and `parallel` workers run).
 *
 * Operands are ordered inputs, then outputs, then an optional `where` mask. The loop takes
 * (D, P, N, S): data arrays, start offsets, loop extents (outer→inner) and strides
 * (flattened [op][dim]). Inside, every value lives in a local: no allocation and no dtype
 * dispatch per element.
 */
import {
  bump,
  call,
  decl,
  index,
  type KernelLeaf,
  type LExpr,
  type LoopFunction,
  type LStmt,
  line,
  loop,
  mul,
  num,
  op,
  sum,
  v,
} from '../compiler/loops.js';
import type { DType } from '../core/dtypes.js';
import type { LoopKernel, LoopSpec } from '../plan/loop-spec.js';

/** The kernel inlined with parameter values `inputs`, results in registers `outs`. */
function leaf(k: LoopKernel, inputs: readonly LExpr[], outs: readonly string[]): KernelLeaf {
  return { k: 'kernel', kernel: k.typed, inputs, outs, callsFunction: k.callsFunction };
}

/** `value` of kernel type `from` as stored into an array of dtype `to`. */
const stored = (data: string, at: LExpr, value: LExpr, from: DType, to: DType): LStmt => ({
  k: 'expr',
  e: { k: 'store', data, at, value, from, to },
});

/**
 * The loop functions of a spec: `numbatsKernelLoop(d0, …, P, N, S)`, whose data arrays
 * arrive as parameters, and the entry `numbatsLoop(D, P, N, S)` that unpacks them. Loading
 * the arrays from `D` inside the hot function (keyed loads of mixed TypedArray kinds) made
 * V8 deoptimise hot loops.
 */
export function elementwiseLoop(s: LoopSpec): LoopFunction[] {
  const nops = s.inArrays.length + s.outArrays.length + (s.hasMask ? 1 : 0);
  const ds = Array.from({ length: nops }, (_, o) => `d${o}`);
  const unpack = Array.from({ length: nops }, (_, o) => index('D', o));
  return [
    { name: 'numbatsKernelLoop', params: [...ds, 'P', 'N', 'S'], body: elementwiseBody(s) },
    {
      name: 'numbatsLoop',
      params: ['D', 'P', 'N', 'S'],
      body: [{ k: 'expr', e: call('numbatsKernelLoop', ...unpack, v('P'), v('N'), v('S')) }],
    },
  ];
}

/** The body of the hot loop function. */
export function elementwiseBody(s: LoopSpec): LStmt[] {
  const nin = s.inArrays.length;
  const nout = s.outArrays.length;
  const nops = nin + nout + (s.hasMask ? 1 : 0);
  const maskOp = nin + nout;
  const nd = s.ndim;
  const out: LStmt[] = [];
  const ops = Array.from({ length: nops }, (_, o) => o);
  const outVars = Array.from({ length: nout }, (_, j) => `r${j}`);
  out.push(
    decl(
      'let',
      outVars.map((r) => [r, null]),
    ),
    line,
  );
  const pairwise = usesPairwise(s);
  if (pairwise) out.push(pairwiseFunction(s), line);

  const read = (o: number, at: LExpr): LExpr => ({
    k: 'load',
    data: `d${o}`,
    at,
    from: s.inArrays[o],
    to: s.inKernel[o],
  });
  const store = (j: number, at: LExpr) =>
    stored(`d${nin + j}`, at, v(outVars[j]), s.outKernel[j], s.outArrays[j]);
  const masked = (at: LExpr, body: LStmt[]): LStmt[] => [
    { k: 'if', test: op('!==', index(`d${maskOp}`, at), num(0)), cons: body },
  ];

  if (s.contiguous) {
    const at = (o: number) => (s.zeroOffsets ? v('i') : sum(v(`o${o}`), v('i')));
    if (!s.zeroOffsets) {
      out.push(
        decl(
          'const',
          ops.map((o) => [`o${o}`, index('P', o)]),
        ),
        line,
      );
    }
    out.push(decl('const', [['n', index('N', 0)]]), line);
    const inputs = Array.from({ length: nin }, (_, o) => read(o, at(o)));
    let body: LStmt[] = [
      leaf(s.kernel, inputs, outVars),
      ...outVars.map((_, j) => store(j, at(nin + j))),
    ];
    if (s.hasMask) body = masked(at(maskOp), body);
    out.push(loop('i', num(0), v('n'), body));
    return out;
  }

  // Strided nest: q<op>_<level> is operand op's position at loop level `level`. In the
  // innermost loop, operands with stride 1 are indexed as q+i (no pointer bump), operands
  // with stride 0 are read once before the loop, and a reduction's accumulator input
  // (operand 0) shares output 0's pointer.
  out.push(
    decl(
      'const',
      Array.from({ length: nd }, (_, l) => [`n${l}`, index('N', l)] as const),
    ),
    line,
  );
  const tracked = ops.filter((o) => !(s.accumulate && o === 0));
  const strides: (readonly [string, LExpr])[] = [];
  for (const o of tracked)
    for (let l = 0; l < nd; l++) strides.push([`s${o}_${l}`, index('S', o * nd + l)]);
  out.push(decl('const', strides), line);
  out.push(
    decl(
      'let',
      tracked.map((o) => [`q${o}_0`, index('P', o)]),
    ),
    line,
  );
  const inner = nd - 1;
  const iv = `i${inner}`;
  const at = (o: number): LExpr =>
    s.innerBase0?.[o]
      ? v(iv)
      : s.innerOne[o]
        ? sum(v(`q${o}_${inner}`), v(iv))
        : v(`q${o}_${inner}`);
  // The accumulator register for reductions whose output does not move in the inner loop.
  const accReg = s.accumulate && s.innerZero[nin];
  const outAt = (j: number) => at(nin + j);
  const convert = (arg: LExpr, from: DType, to: DType): LExpr => ({ k: 'convert', arg, from, to });

  const innerBody = (): LStmt[] => {
    const inputs: LExpr[] = [];
    for (let o = 0; o < nin; o++) {
      // The accumulator is read through the output's own array variable: V8 then sees one
      // array loaded and stored, as in a hand-written `out[j] += x`.
      if (s.accumulate && o === 0)
        inputs.push(
          accReg
            ? v('acc')
            : { k: 'load', data: `d${nin}`, at: outAt(0), from: s.inArrays[0], to: s.inKernel[0] },
        );
      else if (s.scan && o === 0) inputs.push(v('acc'));
      else inputs.push(s.innerZero[o] ? v(`h${o}`) : read(o, at(o)));
    }
    let body: LStmt[];
    if (accReg) {
      body =
        s.outKernel[0] === s.outArrays[0]
          ? [leaf(s.kernel, inputs, ['acc', ...outVars.slice(1)])]
          : [
              leaf(s.kernel, inputs, outVars),
              {
                k: 'assign',
                name: 'acc',
                op: '=',
                value: convert(v('r0'), s.outKernel[0], s.outArrays[0]),
              },
            ];
    } else {
      body = [leaf(s.kernel, inputs, outVars), ...outVars.map((_, j) => store(j, outAt(j)))];
      if (s.scan) {
        const r0 = convert(v('r0'), s.outKernel[0], s.outArrays[0]);
        body.push({
          k: 'assign',
          name: 'acc',
          op: '=',
          value: convert(r0, s.outKernel[0], s.inKernel[0]),
        });
      }
    }
    if (s.hasMask) body = masked(at(maskOp), body);
    const advance = tracked
      .filter((o) => !s.innerZero[o] && !s.innerOne[o])
      .map((o) => bump(`q${o}_${inner}`, v(`s${o}_${inner}`)));
    return [...body, ...advance];
  };

  const level = (l: number): LStmt[] => {
    const enter: LStmt[] =
      l === 0
        ? []
        : [
            decl(
              'let',
              tracked.map((o) => [`q${o}_${l}`, v(`q${o}_${l - 1}`)]),
            ),
          ];
    if (l === inner) {
      const hoist: LStmt[] = [];
      for (let o = 0; o < nin; o++) {
        if (s.innerZero[o] && !(s.accumulate && o === 0))
          hoist.push(decl('const', [[`h${o}`, read(o, v(`q${o}_${l}`))]]));
      }
      // Reductions keep the output array in the kernel's type, so the register needs no cast.
      const accLoad: LStmt[] = [];
      const accStore: LStmt[] = [];
      const here = v(`q${nin}_${l}`);
      if (accReg) {
        accLoad.push(decl('let', [['acc', index(`d${nin}`, here)]]));
        accStore.push({
          k: 'expr',
          e: {
            k: 'store',
            data: `d${nin}`,
            at: here,
            value: v('acc'),
            from: s.outArrays[0],
            to: s.outArrays[0],
          },
        });
      } else if (s.scan) {
        accLoad.push(decl('let', [['acc', read(0, v(`q0_${l}`))]]));
      }
      if (pairwise) {
        // acc = K(acc, pairwise reduction of the inner run); the run's stride is operand 1's.
        const st = s.innerOne[1] ? num(1) : v(`s1_${l}`);
        const run = call('pw$', v('d1'), v(`q1_${l}`), st, v(`n${l}`));
        return [
          ...enter,
          ...accLoad,
          {
            k: 'if',
            test: op('>', v(`n${l}`), num(0)),
            cons: [
              decl('const', [['p$', run]]),
              { k: 'block', body: [leaf(s.kernel, [v('acc'), v('p$')], ['acc'])] },
            ],
          },
          ...accStore,
        ];
      }
      return [
        ...enter,
        ...hoist,
        ...accLoad,
        loop(iv, num(0), v(`n${l}`), innerBody()),
        ...accStore,
      ];
    }
    const advance = tracked.map((o) => bump(`q${o}_${l}`, v(`s${o}_${l}`)));
    return [...enter, loop(`i${l}`, num(0), v(`n${l}`), [...level(l + 1), ...advance])];
  };
  out.push(...level(0));
  return out;
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
function pairwiseFunction(s: LoopSpec): LStmt {
  const rd = (at: LExpr): LExpr => ({
    k: 'load',
    data: 'd',
    at,
    from: s.inArrays[1],
    to: s.inKernel[1],
  });
  const K = (a: LExpr, b: LExpr, dst: string): LStmt => ({
    k: 'block',
    body: [leaf(s.kernel, [a, b], [dst])],
  });
  const strided = (base: string, i: LExpr) => sum(v(base), mul(i, v('st')));
  const regs = Array.from({ length: 8 }, (_, j) => `p${j}`);
  const ret = (name: string): LStmt => ({ k: 'return', value: v(name) });
  const small: LStmt[] = [
    decl('let', [['r', rd(v('o'))]]),
    loop('i', num(1), v('n'), [K(v('r'), rd(strided('o', v('i'))), 'r')]),
    ret('r'),
  ];
  const stepBody: LStmt[] = [
    decl('const', [['b', strided('o', v('i'))]]),
    ...regs.map((r, j) => K(v(r), rd(strided('b', num(j))), r)),
  ];
  const blocked: LStmt[] = [
    decl(
      'let',
      regs.map((r, j) => [r, rd(strided('o', num(j)))]),
    ),
    decl('const', [['m', op('-', v('n'), op('%', v('n'), num(8)))]]),
    line,
    { k: 'for', counter: 'i', from: num(8), to: v('m'), step: 8, body: stepBody },
    line,
    decl('let', [
      ['x', v('p0')],
      ['y', v('p2')],
      ['z', v('p4')],
      ['w', v('p6')],
    ]),
    K(v('x'), v('p1'), 'x'),
    K(v('y'), v('p3'), 'y'),
    K(v('z'), v('p5'), 'z'),
    K(v('w'), v('p7'), 'w'),
    K(v('x'), v('y'), 'x'),
    K(v('z'), v('w'), 'z'),
    K(v('x'), v('z'), 'x'),
    line,
    loop('i', v('m'), v('n'), [K(v('x'), rd(strided('o', v('i'))), 'x')]),
    ret('x'),
  ];
  // Longer runs: the halves (the first a multiple of 8 long) reduced recursively, then combined.
  const halves: LStmt[] = [
    decl('let', [['h', op('>>', v('n'), num(1))]]),
    { k: 'assign', name: 'h', op: '-=', value: op('%', v('h'), num(8)) },
    decl('let', [['l', call('pw$', v('d'), v('o'), v('st'), v('h'))]]),
    decl('const', [
      ['r', call('pw$', v('d'), strided('o', v('h')), v('st'), op('-', v('n'), v('h')))],
    ]),
    K(v('l'), v('r'), 'l'),
    ret('l'),
  ];
  const body: LStmt[] = [
    line,
    { k: 'if', test: op('<', v('n'), num(8)), cons: small },
    line,
    { k: 'if', test: op('<=', v('n'), num(128)), cons: blocked },
    line,
    ...halves,
  ];
  return { k: 'function', name: 'pw$', params: ['d', 'o', 'st', 'n'], body };
}
