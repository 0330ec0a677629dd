/**
 * Stencils on the `parallel` target with every operand on the numbats heap: each row band
 * is two chunks, the border-only JS loop and the interior's wasm module (the one `cpu`
 * runs), on the workers. Results equal `cpu`'s bit for bit over shapes, boundary modes,
 * dtypes, kernels importing JS functions and worker counts; `inspect()` names the path.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closePool,
  type DType,
  type NdArray,
  parallelStatus,
  type Rel,
  setParallelOptions,
  stencil,
  zeros,
} from '../../../src/index.js';
import type { Boundary } from '../../../src/stencil/types.js';
import { lastStencilPathOfAnyCall } from '../../../src/targets/wasm/stencil.js';
import { runs } from '../../support.js';
import { expectSameBits, onHeapCopy, useWasmForEveryCall } from '../wasm/helpers.js';

useWasmForEveryCall();
beforeAll(() => setParallelOptions({ threshold: 0 }));
afterAll(() => {
  setParallelOptions({ threshold: 65536, workers: 2 });
  closePool();
});

const MODES: readonly Boundary[] = ['skip', 'constant', 'nearest', 'reflect', 'mirror', 'wrap'];

type Kernel = (u: Rel, k: number) => number;
/** Kernels with their dtypes: SIMD rows (Life, the Laplacian), an import, a number argument. */
const KERNELS: readonly { name: string; dtype: DType; fn: Kernel }[] = [
  {
    name: 'life',
    dtype: 'uint8',
    fn: (c: Rel) => {
      const n = c(-1, -1) + c(-1, 0) + c(-1, 1) + c(0, -1) + c(0, 1) + c(1, -1) + c(1, 0) + c(1, 1);
      return n === 3 || (n === 2 && c(0, 0) === 1) ? 1 : 0;
    },
  },
  {
    name: 'laplacian',
    dtype: 'float64',
    fn: (u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0),
  },
  { name: 'sin', dtype: 'float32', fn: (u: Rel, k: number) => Math.sin(u(0, 2) * k) - u(-2, 0) },
  { name: 'int', dtype: 'int16', fn: (u: Rel, k: number) => (u(1, 1) * k) ^ u(-1, -1) },
];

const made = new Map<
  string,
  { cpu: (...a: unknown[]) => unknown; par: (...a: unknown[]) => unknown }
>();

/** The kernel's cpu and parallel stencils under `mode` (made once: draws reuse them). */
function compiled(fn: Kernel, mode: Boundary) {
  const key = `${KERNELS.findIndex((k) => k.fn === fn)}|${mode}`;
  let m = made.get(key);
  if (!m) {
    const opts = { boundary: mode, cval: 3 } as const;
    m = {
      cpu: stencil(fn, opts) as never,
      par: stencil(fn, { ...opts, target: 'parallel' }) as never,
    };
    made.set(key, m);
  }
  return m;
}

/** A seeded `rows`×`cols` array of `dtype` on the heap. */
function grid(rows: number, cols: number, dtype: DType, seed: number): NdArray {
  const a = zeros([rows, cols], dtype);
  let s = seed >>> 0;
  for (let i = 0; i < a.data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    a.data[i] = dtype === 'uint8' ? s >>> 31 : ((s >>> 16) % 200) - 100 + (s % 7) / 8;
  }
  return onHeapCopy(a);
}

describe('stencils on the parallel target, interior on wasm', () => {
  // One pool size per property (resizing restarts the pool, which would dominate).
  it.each([
    1, 3,
  ])('equal cpu bit for bit over shapes, modes and kernels, %i worker(s)', (workers) => {
    setParallelOptions({ workers });
    let onWasm = 0;
    fc.assert(
      fc.property(
        fc.record({
          kernel: fc.constantFrom(...KERNELS),
          mode: fc.constantFrom(...MODES),
          rows: fc.integer({ min: 2, max: 40 }),
          cols: fc.integer({ min: 1, max: 40 }),
          seed: fc.integer(),
        }),
        (c) => {
          const { cpu, par } = compiled(c.kernel.fn, c.mode);
          const x = grid(c.rows, c.cols, c.kernel.dtype, c.seed);
          const args = c.kernel.fn.length > 1 ? [x, 3] : [x];
          const want = cpu(...args) as NdArray;
          const jobs = parallelStatus().jobs;
          const got = par(...args) as NdArray;
          // (an outermost loop level of one row has nothing to split: it runs inline)
          if (Math.min(c.rows, c.cols) >= 2) {
            expect(parallelStatus().jobs - jobs).toBe(1);
            // on the workers: the interior's wasm module beside the border loop, or (a grid
            // no larger than the neighborhood) all border on the JS loop
            const path = lastStencilPathOfAnyCall();
            expect(path).toMatch(/^wasm interior on \d+ worker\(s\), \d+ band\(s\)|^js: /);
            if (path.startsWith('wasm interior on')) onWasm++;
          }
          expectSameBits(got, want, `${c.kernel.name} ${c.mode} ${c.rows}x${c.cols}`);
        },
      ),
      runs(30),
    );
    // most draws have an interior, which then ran on the workers' wasm
    expect(onWasm).toBeGreaterThan(5);
  });

  it('Life on 512² runs SIMD on the workers, and inspect() says so', () => {
    setParallelOptions({ workers: 2 });
    const life = KERNELS[0].fn as unknown as (c: Rel) => number;
    const cpu = stencil(life, { boundary: 'wrap' });
    const par = stencil(life, { boundary: 'wrap', target: 'parallel' });
    let a = grid(512, 512, 'uint8', 7);
    let b = a;
    for (let g = 0; g < 5; g++) {
      a = cpu(a) as NdArray;
      b = par(b) as NdArray;
    }
    expectSameBits(b, a, 'life');
    expect(par.inspect()).toMatch(
      /last call on \d+\+ elements: wasm interior on 2 worker\(s\), 8 band\(s\): SIMD i8x16 loop/,
    );
  });
});
