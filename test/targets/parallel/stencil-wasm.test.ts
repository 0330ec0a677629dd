/**
 * Stencils of the `parallel` target on wasm: with every operand on the numbats heap, each
 * worker's row band runs its interior on the `cpu` target's wasm module (on the shared
 * memory) and its border rows on the JS loop. Results equal `cpu` on its JS loop and on
 * wasm, and the JS worker loops, bit for bit, over dtypes, boundary modes, views, `out`,
 * number arguments and 2 to 4 workers; calls the module does not take run the JS worker
 * loops and `inspect()` says why.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Boundary,
  closePool,
  type DType,
  free,
  heapStatus,
  type NdArray,
  parallelStatus,
  type Rel,
  type StencilOptions,
  setParallelOptions,
  stencil,
  zeros,
} from '../../../src/index.js';
import { wasmConfig } from '../../../src/targets/wasm/map.js';
import { lastStencilPathOfAnyCall } from '../../../src/targets/wasm/stencil.js';
import { ndarrayArb, shapeArb } from '../../../src/testing/index.js';
import { runs } from '../../support.js';
import { expectSameBits, onHeapCopy, SIMD_DTYPES, useWasmForEveryCall } from '../wasm/helpers.js';

useWasmForEveryCall();
afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
});

const ON_WASM = /^wasm on \d+ worker\(s\), \d+ band\(s\): /;
const MODES: readonly Boundary[] = ['skip', 'constant', 'nearest', 'reflect', 'mirror', 'wrap'];
/** Every SIMD lane dtype, and bool (scalar loops). */
const DTYPES: DType[] = [...SIMD_DTYPES, 'bool'];

type Fn = (...a: any[]) => number;
/** A stencil as these tests call it. */
type Call = (...a: any[]) => NdArray;
interface Kernel {
  name: string;
  nd: number;
  fn: Fn;
  /** The number argument it takes, if any. */
  scalar?: number;
}
const KERNELS: Kernel[] = [
  { name: 'blur1', nd: 1, fn: (u: Rel) => u(-1) + u(0) - 2 * u(2) },
  {
    name: 'laplacian',
    nd: 2,
    fn: (u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0),
  },
  {
    name: 'life',
    nd: 2,
    fn: (c: Rel) => {
      const n = c(-1, -1) + c(-1, 0) + c(-1, 1) + c(0, -1) + c(0, 1) + c(1, -1) + c(1, 0) + c(1, 1);
      return n === 3 || (n === 2 && c(0, 0) === 1) ? 1 : 0;
    },
  },
  {
    name: 'scaled',
    nd: 2,
    fn: (u: Rel, k: number) => k * u(0, 0) + u(-2, 1) - u(1, -1),
    scalar: 3,
  },
  // Math.sin is a JS import of the module: each worker builds it from its name.
  { name: 'sine', nd: 2, fn: (u: Rel) => Math.sin(u(0, 1)) + Math.max(u(1, 0), u(0, 0)) },
  { name: 'branchy', nd: 2, fn: (u: Rel) => (u(0, -1) > u(0, 1) ? u(-1, 0) : -u(1, 0)) },
  { name: 'box3', nd: 3, fn: (u: Rel) => u(-1, 0, 0) + u(0, 1, 0) - u(0, 0, -1) + u(1, 1, 1) },
];
for (const k of KERNELS) Object.defineProperty(k, fc.toStringMethod, { value: () => k.name });

interface Pair {
  cpu: Call;
  par: Call;
}
const pairs = new Map<string, Pair>();
function pairOf(k: Kernel, mode: Boundary, cval: number): Pair {
  const key = `${k.name}|${mode}|${cval}`;
  let p = pairs.get(key);
  if (!p) {
    const o: StencilOptions = { boundary: mode, cval };
    p = { cpu: stencil(k.fn, o) as Call, par: stencil(k.fn, { ...o, target: 'parallel' }) as Call };
    pairs.set(key, p);
  }
  return p;
}

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

/**
 * `call` on `cpu` (JS loop, wasm) and on `parallel` (JS worker loops, wasm workers): the
 * same bits from all four; returns the path the parallel wasm call took.
 */
function fourWays(p: Pair, call: (s: Call) => NdArray, what: string): string {
  wasmConfig.enabled = false;
  const js = attempt(() => call(p.cpu));
  const parJs = attempt(() => call(p.par));
  wasmConfig.enabled = true;
  const wasm = attempt(() => call(p.cpu));
  const par = attempt(() => call(p.par));
  const path = lastStencilPathOfAnyCall();
  same(wasm, js, `${what}: cpu wasm`);
  same(parJs, js, `${what}: parallel JS loops`);
  same(par, js, `${what}: parallel (${path})`);
  return path;
}

const caseArb = fc
  .tuple(fc.constantFrom(...KERNELS), fc.constantFrom(...MODES), fc.constantFrom(0, 3, -2))
  .chain(([k, mode, cval]) =>
    shapeArb({ minDims: k.nd, maxDims: k.nd, minSide: 1, maxSide: k.nd === 1 ? 60 : 24 }).chain(
      (shape) =>
        fc.tuple(
          fc.constant(k),
          fc.constant(mode),
          fc.constant(cval),
          ndarrayArb({ shape, dtype: DTYPES, special: true }),
          fc.option(ndarrayArb({ shape, dtype: DTYPES, writable: true })),
        ),
    ),
  );

for (const workers of [2, 3, 4]) {
  describe(`parallel stencil on wasm, ${workers} workers`, () => {
    beforeAll(() => setParallelOptions({ workers, threshold: 0 }));

    it('equals cpu (JS and wasm) and the JS worker loops bit for bit', () => {
      let onWasm = 0;
      fc.assert(
        fc.property(caseArb, ([k, mode, cval, u, out]) => {
          const p = pairOf(k, mode, cval);
          const x = onHeapCopy(u);
          const args: unknown[] = k.scalar === undefined ? [x] : [x, k.scalar];
          const call = (s: Call) => {
            if (!out) return s(...args);
            // A fresh heap copy of `out` per path: skipped cells keep its values.
            const o = onHeapCopy(out);
            s(...args, { out: o });
            return o;
          };
          const path = fourWays(p, call, `${k.name} ${mode} ${u.shape}`);
          if (ON_WASM.test(path)) onWasm++;
        }),
        runs(60),
      );
      expect(onWasm).toBeGreaterThan(20);
    });

    it('a contiguous grid runs SIMD on every band, with the number of workers in the path', () => {
      const g = zeros([67, 90], 'float64');
      const d = g.data as Float64Array;
      for (let i = 0; i < d.length; i++) d[i] = Math.sin(i) * 100;
      const path = fourWays(pairOf(KERNELS[1], 'reflect', 0), (s) => s(g), 'laplacian');
      expect(path).toMatch(
        new RegExp(
          `^wasm on ${workers} worker\\(s\\), \\d+ band\\(s\\): SIMD f64x2 interior loop .*border rows on the JS worker loops$`,
        ),
      );
      expect(parallelStatus().lastCall).toMatchObject({ path: 'workers', engine: path });
    });
  });
}

describe('parallel stencil: which path, and why', () => {
  beforeAll(() => setParallelOptions({ workers: 2, threshold: 0 }));

  const life = pairOf(KERNELS[2], 'wrap', 0);
  const grid = () => {
    const g = zeros([40, 50], 'uint8');
    const d = g.data as Uint8Array;
    for (let i = 0; i < d.length; i++) d[i] = (i * 7) % 3 === 0 ? 1 : 0;
    return g;
  };

  it('heap operands: the workers run the wasm module; inspect() says so', () => {
    const path = fourWays(life, (s) => s(grid()), 'life');
    expect(path).toMatch(/^wasm on 2 worker\(s\), \d+ band\(s\): SIMD i8x16 interior loop/);
    expect((life.par as unknown as { inspect(): string }).inspect()).toContain(
      'wasm on 2 worker(s)',
    );
  });

  it('an operand off the heap: the JS worker loops, with the reason', () => {
    const g = grid();
    const plain = ndarray(new Uint8Array(g.data as Uint8Array), [40, 50]) as NdArray;
    const path = fourWays(life, (s) => s(plain), 'life off heap');
    expect(path).toBe('js on the workers: input 0 is outside the heap');
    expect(parallelStatus().lastCall?.engine).toBe(path);
    const out = zeros([40, 50], 'uint8');
    const plainOut = ndarray(new Uint8Array(2000), [40, 50]) as NdArray;
    life.par(g, { out: plainOut });
    expect(lastStencilPathOfAnyCall()).toBe('js on the workers: the output is outside the heap');
    life.cpu(g, { out });
    expect([...(plainOut.data as Uint8Array)]).toEqual([...(out.data as Uint8Array)]);
  });

  it('a kernel the module refuses (a read at a computed offset): the JS worker loops', () => {
    const opts: StencilOptions = { neighborhood: [[-2, 2]], boundary: 'nearest' };
    const fn = (u: Rel, t: number) => u(t) + u(0);
    const p = {
      cpu: stencil(fn, opts) as Call,
      par: stencil(fn, { ...opts, target: 'parallel' }) as Call,
    };
    const u = zeros([64], 'float64');
    (u.data as Float64Array).forEach((_, i, a) => {
      a[i] = i * 0.5;
    });
    const path = fourWays(p, (s) => s(u, -2), 'computed offset');
    expect(path).toMatch(/^js on the workers: a read at a computed offset/);
    expect(parallelStatus().lastCall?.engine).toBe(path);
  });

  it('the engine switched off: the JS worker loops, with the reason', () => {
    wasmConfig.enabled = false;
    try {
      life.par(grid());
      expect(lastStencilPathOfAnyCall()).toMatch(/^js on the workers: /);
      expect(parallelStatus().lastCall?.path).toBe('workers');
      expect(parallelStatus().lastCall?.engine).toBeUndefined();
    } finally {
      wasmConfig.enabled = true;
    }
  });

  it('the workers keep their module instances after the heap grows under them', () => {
    const lap = pairOf(KERNELS[1], 'nearest', 0);
    const small = zeros([30, 40]);
    (small.data as Float64Array).forEach((_, i, a) => {
      a[i] = Math.cos(i);
    });
    expect(fourWays(lap, (s) => s(small), 'before growth')).toMatch(ON_WASM);
    const before = heapStatus().size;
    // Rows past the current end of the memory: the heap must grow to hold them.
    const cols = 64;
    const rows = Math.ceil(before / 8 / cols) + 64;
    const big = zeros([rows, cols]);
    try {
      const d = big.data as Float64Array;
      expect(d.byteOffset + d.byteLength).toBeGreaterThan(before);
      for (let i = 0; i < d.length; i++) d[i] = Math.sin(i) + i * 1e-6;
      const out = zeros([rows, cols]);
      try {
        const path = fourWays(
          lap,
          (s) => {
            out.data.fill(0);
            s(big, { out });
            // A copy: the four paths write the same `out`.
            return ndarray(Float64Array.from(out.data as Float64Array), [rows, cols]) as NdArray;
          },
          'after growth',
        );
        expect(path).toMatch(ON_WASM);
      } finally {
        free(out);
      }
    } finally {
      free(big);
    }
  });

  it('a grid of one row runs on the calling thread, its interior on wasm', () => {
    const g = zeros([1, 64], 'float64');
    const path = fourWays(pairOf(KERNELS[1], 'nearest', 0), (s) => s(g), 'one row');
    expect(path).toMatch(/^wasm interior: /);
    expect(parallelStatus().lastCall?.engine).toBeUndefined();
  });
});
