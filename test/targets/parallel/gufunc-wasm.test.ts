/**
 * guvectorize on the `parallel` target on wasm: with every operand on the numbats heap, each
 * chunk of the loop nest runs the `cpu` target's wasm gufunc module on a worker (on the
 * shared memory). Results equal `cpu` on its JS loop and on wasm, and the JS worker loops,
 * bit for bit, over dtypes, broadcast loop dims, views and `out`; calls the workers cannot
 * run on wasm (a module checking a view index at run time, an operand off the heap, mode
 * 'never', an `auto` choice of the JS loop) run the JS worker loops, and
 * `parallelStatus().lastCall.engine` and `inspect()` say why.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closePool,
  type DType,
  free,
  guvectorize,
  heapStatus,
  type NdArray,
  parallelStatus,
  setParallelOptions,
  type View,
  zeros,
} from '../../../src/index.js';
import { wasmGufuncConfig } from '../../../src/targets/wasm/gufunc.js';
import { wasmConfig } from '../../../src/targets/wasm/map.js';
import { ndarrayArb } from '../../../src/testing/index.js';
import { runs } from '../../support.js';
import { expectSameBits, onHeapCopy, useWasmForEveryCall } from '../wasm/helpers.js';

useWasmForEveryCall();
beforeAll(() => {
  wasmGufuncConfig.mode = 'always';
  setParallelOptions({ workers: 3, threshold: 0 });
});
afterAll(() => {
  wasmGufuncConfig.mode = 'auto';
  setParallelOptions({ threshold: 65536 });
  closePool();
});

const ON_WASM = /^wasm on \d+ worker\(s\), \d+ chunk\(s\): scalar gufunc loop /;
const DTYPES: DType[] = ['float64', 'float32', 'int32', 'uint32', 'int16', 'uint8', 'int8'];

type G = ((...a: any[]) => NdArray) & { inspect(sig?: string): string };
interface Pair {
  name: string;
  cpu: G;
  par: G;
}
function pairOf(name: string, fn: (...a: any[]) => unknown, layout: string): Pair {
  return {
    name,
    cpu: guvectorize(fn as never, layout) as unknown as G,
    par: guvectorize(fn as never, layout, { target: 'parallel' }) as unknown as G,
  };
}

// Kernels whose every view index the counter analysis proves inside its view (their
// modules have no run-time index check, so the workers run them).
const matmul = pairOf(
  'matmul',
  (a: View, b: View, c: View) => {
    for (let i = 0; i < a.shape[0]; i++)
      for (let j = 0; j < b.shape[1]; j++) {
        let s = 0;
        for (let k = 0; k < a.shape[1]; k++) s += a.get(i, k) * b.get(k, j);
        c.set(i, j, s);
      }
  },
  '(m,n),(n,p)->(m,p)',
);
const rowDot = pairOf(
  'rowDot',
  (x: View, y: View) => {
    let s = 0;
    for (let i = 0; i < x.shape[0]; i++) s += x.get(i) * y.get(i);
    return s;
  },
  '(n),(n)->()',
);
// A float row loop (SIMD rows on float views), a number argument and integer wrap elsewhere.
const axpy = pairOf(
  'axpy',
  (x: View, k: number, y: View, o: View) => {
    for (let i = 0; i < x.shape[0]; i++) o.set(i, k * x.get(i) + y.get(i));
  },
  '(n),(),(n)->(n)',
);
const reverse = pairOf(
  'reverse',
  (x: View, o: View) => {
    const n = x.shape[0];
    for (let i = n - 1; i >= 0; i--) o.set(n - 1 - i, x.get(i) * 2 - 1);
  },
  '(n)->(n)',
);
// An index read from the data: checked at run time, so the workers keep their JS loops.
const gather = pairOf(
  'gather',
  (x: View, idx: View, o: View) => {
    for (let i = 0; i < idx.shape[0]; i++) o.set(i, x.get(idx.get(i) | 0));
  },
  '(n),(m)->(m)',
);

function attempt(f: () => NdArray): NdArray | string {
  try {
    return f();
  } catch (e) {
    return `threw ${(e as Error).name}: ${(e as Error).message}`;
  }
}

function same(got: NdArray | string, want: NdArray | string, what: string): void {
  if (typeof want === 'string' || typeof got === 'string') expect(got, what).toBe(want);
  else expectSameBits(got, want, what);
}

/** The engine the last parallel call's workers ran (empty when it ran inline). */
const engine = () => parallelStatus().lastCall?.engine ?? '';

/**
 * `call` on `cpu` (JS loop, wasm) and on `parallel` (JS worker loops, then wasm workers):
 * the same bits from all four; returns the engine of the parallel wasm-enabled call.
 */
function fourWays(p: Pair, call: (g: G) => NdArray, what: string): string {
  wasmConfig.enabled = false;
  const js = attempt(() => call(p.cpu));
  const parJs = attempt(() => call(p.par));
  wasmConfig.enabled = true;
  const wasm = attempt(() => call(p.cpu));
  const par = attempt(() => call(p.par));
  const e = engine();
  same(wasm, js, `${what}: cpu wasm`);
  same(parJs, js, `${what}: parallel JS loops`);
  same(par, js, `${what}: parallel (${e})`);
  return e;
}

/** An arbitrary view of `shape` copied onto the heap (strided, reversed, offset). */
const heapArb = (shape: number[], dtypes: DType[] = DTYPES) =>
  ndarrayArb({ shape, dtype: dtypes, views: true, special: true }).map(onHeapCopy);

const side = fc.integer({ min: 1, max: 6 });
const loopArb = fc.array(side, { minLength: 1, maxLength: 2 });

type Case = [string, Pair, (g: G) => NdArray];
const caseArb: fc.Arbitrary<Case> = fc.oneof(
  fc
    .tuple(loopArb, side, fc.integer({ min: 1, max: 5 }), side)
    .chain(([loop, m, n, p]) =>
      fc.tuple(
        heapArb([...loop, m, n]),
        heapArb([...loop, n, p]),
        fc.option(heapArb([...loop, m, p], ['float64', 'float32', 'int32'])),
      ),
    )
    .map(
      ([a, b, out]): Case => [
        `matmul ${a.shape} @ ${b.shape}${out ? ' out' : ''}`,
        matmul,
        (g) => (out ? g(a, b, { out: onHeapCopy(out) }) : g(a, b)),
      ],
    ),
  fc
    .tuple(loopArb, fc.integer({ min: 0, max: 40 }))
    .chain(([loop, n]) => fc.tuple(heapArb([...loop, n]), heapArb([...loop, n])))
    .map(([x, y]): Case => [`rowDot ${x.shape}`, rowDot, (g) => g(x, y)]),
  fc
    .tuple(loopArb, fc.integer({ min: 1, max: 40 }), fc.double({ min: -4, max: 4 }))
    .chain(([loop, n, k]) =>
      fc.tuple(
        heapArb([...loop, n], ['float64', 'float32']),
        heapArb([...loop, n], ['float64', 'float32']),
        fc.constant(k),
      ),
    )
    .map(([x, y, k]): Case => [`axpy ${x.shape} k=${k}`, axpy, (g) => g(x, k, y)]),
  fc
    .tuple(loopArb, fc.integer({ min: 1, max: 30 }))
    .chain(([loop, n]) => heapArb([...loop, n]))
    .map((x): Case => [`reverse ${x.shape}`, reverse, (g) => g(x)]),
);

describe('parallel guvectorize on wasm workers', () => {
  it('equals cpu (JS and wasm) and the JS worker loops bit for bit', () => {
    let onWasm = 0;
    fc.assert(
      fc.property(caseArb, ([what, p, call]) => {
        const e = fourWays(p, call, what);
        if (ON_WASM.test(e)) onWasm++;
        // A call the workers took had operands on the heap: wasm, or why not.
        else if (e !== '') expect(e, what).toMatch(/^js on the workers: /);
      }),
      runs(120),
    );
    // Most calls have a loop dim of 2 or more to cut.
    expect(onWasm).toBeGreaterThan(30);
  });

  it('matmul of 4×4 matrices over a loop dim: the wasm module on the workers', () => {
    const a = onHeapCopy(filled([300, 4, 4], 'float64', 1));
    const b = onHeapCopy(filled([300, 4, 4], 'float64', 2));
    const e = fourWays(matmul, (g) => g(a, b), 'matmul 300×4×4');
    expect(e).toMatch(ON_WASM);
    expect(parallelStatus().lastCall?.path).toBe('workers');
    expect(matmul.par.inspect('float64,float64->float64')).toContain(
      '// last call on heap arrays: wasm on ',
    );
  });

  it('row dot of (1000, 64) float32 rows, and into a strided heap out view', () => {
    const x = onHeapCopy(filled([1000, 64], 'float32', 3));
    const y = onHeapCopy(filled([1000, 64], 'float32', 4));
    expect(fourWays(rowDot, (g) => g(x, y), 'rowDot 1000×64')).toMatch(ON_WASM);
    const backing = onHeapCopy(filled([2000], 'float32', 5));
    const out = ndarray(backing.data, [1000], [-2], 1999) as NdArray;
    wasmConfig.enabled = false;
    const want = rowDot.cpu(x, y);
    wasmConfig.enabled = true;
    rowDot.par(x, y, { out });
    expect(engine()).toMatch(ON_WASM);
    expectSameBits(out, want, 'rowDot into a reversed strided out');
    // The other elements of the backing buffer are untouched.
    for (let i = 0; i < 2000; i += 2) expect(backing.data[i]).toBe(Math.fround(filledAt(5, i)));
  });
});

describe('parallel guvectorize on wasm workers: .async and a grown heap', () => {
  it('.async resolves to the bits of cpu, run by the wasm module on the workers', async () => {
    const a = onHeapCopy(filled([400, 3, 5], 'float64', 13));
    const b = onHeapCopy(filled([400, 5, 2], 'float64', 14));
    wasmConfig.enabled = false;
    const want = matmul.cpu(a, b);
    wasmConfig.enabled = true;
    // A call off the heap first, so that the kernel's recorded path is the async call's.
    matmul.par(ndarray(new Float64Array(a.data as Float64Array), a.shape, a.stride, 0), b);
    expect(engine()).toMatch(/^js on the workers: operand 0 /);
    const got = (await (matmul.par as unknown as { async: G }).async(a, b)) as NdArray;
    expect(matmul.par.inspect('float64,float64->float64')).toMatch(
      /\/\/ last call on heap arrays: wasm on \d+ worker\(s\), \d+ chunk\(s\): scalar gufunc loop /,
    );
    expect(engine()).toMatch(ON_WASM);
    expectSameBits(got, want, 'matmul.async');
  });

  it('workers keep running the module after the heap grows under them', () => {
    const x = onHeapCopy(filled([50, 6], 'float64', 15));
    expect(fourWays(rowDot, (g) => g(x, x), 'rowDot before growth')).toMatch(ON_WASM);
    const before = heapStatus().size;
    // Rows past the current end: the heap must grow to hold them.
    const rows = Math.ceil(before / 8 / 6) + 512;
    const big = onHeapCopy(filled([rows, 6], 'float64', 16));
    try {
      const d = big.data as Float64Array;
      expect(d.byteOffset + d.byteLength).toBeGreaterThan(before);
      expect(fourWays(rowDot, (g) => g(big, big), 'rowDot after growth')).toMatch(ON_WASM);
    } finally {
      free(big);
    }
  });
});

describe('parallel guvectorize: calls that keep the JS worker loops say why', () => {
  it('a view index checked at run time (an index read from the data)', () => {
    const x = onHeapCopy(filled([50, 9], 'float64', 6));
    const idx = zeros([50, 7], 'int32');
    const d = idx.data as Int32Array;
    for (let i = 0; i < d.length; i++) d[i] = (i * 5) % 9;
    const e = fourWays(gather, (g) => g(x, idx), 'gather');
    expect(e).toMatch(/^js on the workers: a view index is checked at run time/);
    expect(gather.par.inspect('float64,int32->float64')).toContain(
      '// last call on heap arrays: js on the workers: a view index is checked at run time',
    );
  });

  it('an index past its view: the JS worker loops give the JS semantics, as cpu', () => {
    const x = onHeapCopy(filled([40, 4], 'float64', 7));
    const idx = zeros([40, 3], 'int32');
    const d = idx.data as Int32Array;
    for (let i = 0; i < d.length; i++) d[i] = i % 7;
    expect(fourWays(gather, (g) => g(x, idx), 'gather past the row')).toMatch(
      /^js on the workers: /,
    );
  });

  it('an operand off the heap', () => {
    const a = filled([64, 3, 3], 'float64', 8);
    const plain = ndarray(new Float64Array(a.data as Float64Array), a.shape, a.stride, 0);
    const b = onHeapCopy(filled([64, 3, 3], 'float64', 9));
    const e = fourWays(matmul, (g) => g(plain as NdArray, b), 'matmul off the heap');
    expect(e).toBe('js on the workers: operand 0 is not on the numbats heap');
  });

  it("mode 'never'", () => {
    const x = onHeapCopy(filled([100, 8], 'float64', 10));
    wasmGufuncConfig.mode = 'never';
    try {
      const e = fourWays(rowDot, (g) => g(x, x), 'rowDot never');
      expect(e).toBe("js on the workers: gufunc wasm loops are off (mode 'never')");
    } finally {
      wasmGufuncConfig.mode = 'always';
    }
  });

  it("'auto': the workers follow the calling thread's choice for the loop and core size", () => {
    const saved = { clock: wasmGufuncConfig.clock, trials: wasmGufuncConfig.trials };
    for (const jsFaster of [true, false]) {
      // A fresh kernel, so that its choice is made here; inline calls (threshold above
      // the call) time both paths, JS first then wasm, alternating.
      const p = pairOf(
        `rowDot ${jsFaster}`,
        (x: View, y: View) => {
          let s = 0;
          for (let i = 0; i < x.shape[0]; i++) s += x.get(i) * y.get(i);
          return s;
        },
        '(n),(n)->()',
      );
      const x = onHeapCopy(filled([20, 16], 'float64', 11));
      let t = 0;
      let reads = 0;
      wasmGufuncConfig.clock = () => {
        // Reads come in pairs around one timed call: JS on even pairs, wasm on odd ones.
        const pair = Math.floor(reads++ / 2);
        if (reads % 2 === 0) t += pair % 2 === 0 ? (jsFaster ? 1 : 100) : jsFaster ? 100 : 1;
        return t;
      };
      wasmGufuncConfig.trials = 1;
      wasmGufuncConfig.mode = 'auto';
      try {
        setParallelOptions({ threshold: 1e9 });
        // Before any choice the workers take wasm.
        for (let i = 0; i < 4; i++) p.par(x, x);
        expect(p.par.inspect('float64,float64->float64')).toMatch(
          jsFaster ? /faster for this loop and core size/ : /wasm: scalar gufunc loop/,
        );
        setParallelOptions({ threshold: 0 });
        const e = fourWays(p, (g) => g(x, x), `auto, JS faster: ${jsFaster}`);
        if (jsFaster)
          expect(e).toMatch(
            /^js on the workers: the JS loop was faster for this loop and core size on the calling thread: measured wasm/,
          );
        else expect(e).toMatch(ON_WASM);
      } finally {
        wasmGufuncConfig.clock = saved.clock;
        wasmGufuncConfig.trials = saved.trials;
        wasmGufuncConfig.mode = 'always';
        setParallelOptions({ threshold: 0 });
      }
    }
  });

  it("'auto' before any choice: the workers run wasm", () => {
    const p = pairOf(
      'fresh rowDot',
      (x: View, y: View) => {
        let s = 0;
        for (let i = 0; i < x.shape[0]; i++) s += x.get(i) * y.get(i);
        return s;
      },
      '(n),(n)->()',
    );
    const x = onHeapCopy(filled([30, 5], 'float64', 12));
    wasmGufuncConfig.mode = 'auto';
    try {
      p.par(x, x);
      expect(engine()).toMatch(ON_WASM);
    } finally {
      wasmGufuncConfig.mode = 'always';
    }
  });
});

/** The value `filled` puts at flat index i with seed `seed`. */
function filledAt(seed: number, i: number): number {
  return Math.sin(i * 0.37 + seed) * 10;
}

/** An array of `shape` with `filledAt(seed, i)` at flat index i (cast to `dtype`). */
function filled(shape: number[], dtype: DType, seed: number): NdArray {
  const a = zeros(shape, dtype);
  const d = a.data as Float64Array;
  for (let i = 0; i < d.length; i++) d[i] = filledAt(seed, i);
  return a;
}
