import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALIGN, Heap, HeapExhaustedError, onHeap, sizeClass } from '../../../src/core/heap.js';
import {
  asarray,
  astype,
  configureHeap,
  copy,
  free,
  full,
  heapStatus,
  type NdArray,
  type TypedArray,
  vectorize,
  zeros,
} from '../../../src/index.js';
import { runs } from '../../support.js';

const dispose = (Symbol as { dispose?: symbol }).dispose!;

describe('size classes', () => {
  it('cover the request, are 64-byte multiples and waste at most a quarter above 256 bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (n) => {
        const c = sizeClass(n);
        expect(c).toBeGreaterThanOrEqual(n);
        expect(c % ALIGN).toBe(0);
        if (n > 256) expect(c - n).toBeLessThanOrEqual(Math.ceil(n / 4));
        expect(sizeClass(c)).toBe(c);
      }),
      runs(200),
    );
  });
});

describe('the allocator', () => {
  it('hands out 64-byte aligned, zero-filled, disjoint blocks', () => {
    const h = new Heap(65536, 1 << 24);
    const arrays: TypedArray[] = [];
    for (const [dt, n] of [
      ['float64', 3],
      ['uint8', 1],
      ['int16', 100],
      ['float32', 1000],
      ['bool', 7],
    ] as const) {
      const d = h.alloc(dt, n);
      expect(d.byteOffset % ALIGN).toBe(0);
      expect(d.length).toBe(n);
      expect([...d].every((v) => v === 0)).toBe(true);
      expect(h.owns(d)).toBe(true);
      d.fill(1);
      arrays.push(d);
    }
    const spans = arrays
      .map((d) => [d.byteOffset, d.byteOffset + d.byteLength] as const)
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++)
      expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
  });

  it('reuses a freed block for the next request of its size class, zero-filled', () => {
    const h = new Heap(65536, 1 << 24);
    const a = h.alloc('float64', 100);
    h.alloc('float64', 1); // keeps `a` from being the topmost block
    a.fill(7);
    const addr = a.byteOffset;
    expect(h.free(a)).toBe(true);
    expect(h.free(a)).toBe(false); // a second free is a no-op
    const b = h.alloc('int32', 220); // 880 bytes: the same class (896) as 800
    expect(b.byteOffset).toBe(addr);
    expect([...b].every((v) => v === 0)).toBe(true);
    // The stale array no longer owns the block: freeing it leaves `b` alone.
    expect(h.free(a)).toBe(false);
    expect(h.isLive(b)).toBe(true);
  });

  it('returns the topmost block to the bump region and zeroes it when handed out again', () => {
    const h = new Heap(65536, 1 << 24);
    const a = h.alloc('uint8', 5000);
    a.fill(255);
    const used = h.used;
    h.free(a);
    expect(h.used).toBe(used - sizeClass(5000));
    const b = h.alloc('uint8', 3000);
    expect(b.byteOffset).toBe(a.byteOffset);
    expect(b.every((v) => v === 0)).toBe(true);
  });

  it('grows while views are alive: old views keep their values and stay on the heap', () => {
    const h = new Heap(65536, 1 << 26);
    const first = h.alloc('float64', 1000);
    for (let i = 0; i < first.length; i++) first[i] = i * 0.5;
    const before = h.size;
    const big = h.alloc('float64', 2_000_000);
    expect(h.size).toBeGreaterThan(before);
    expect(first.length).toBe(1000);
    expect(first[999]).toBe(499.5);
    expect(h.owns(first)).toBe(true);
    expect(h.owns(big)).toBe(true);
    // Old and new buffers alias one memory.
    const alias = new Float64Array(h.memory.buffer, first.byteOffset, 1000);
    alias[3] = -1;
    expect(first[3]).toBe(-1);
  });

  it('is a HeapExhaustedError (a RangeError) past its limit, and stays usable', () => {
    const h = new Heap(65536, 1 << 20);
    const e = (() => {
      try {
        h.alloc('float64', 1 << 18); // 2 MiB
      } catch (err) {
        return err as Error;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(HeapExhaustedError);
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/over its limit of 1048576 bytes/);
    expect(h.alloc('float64', 1000).length).toBe(1000);
  });

  it('at its limit, merges adjacent free blocks and splits a larger one before refusing', () => {
    const h = new Heap(65536, 1 << 20);
    // Fill the 1 MiB heap with 4 KiB blocks, then free every block but the topmost.
    const blocks: TypedArray[] = [];
    for (;;) {
      try {
        blocks.push(h.alloc('uint8', 4096));
      } catch (e) {
        expect(e).toBeInstanceOf(HeapExhaustedError);
        break;
      }
    }
    const top = blocks.pop()!;
    // No 4 KiB block is free, yet 24 KiB do not fit: merged neighbours serve it.
    for (const d of blocks.slice(0, 6)) h.free(d);
    const big = h.alloc('uint8', 6 * 4096);
    expect(big.byteOffset).toBe(blocks[0].byteOffset);
    expect(big.every((v) => v === 0)).toBe(true);
    // A 16 KiB request is carved from a merged run, and the rest stays free for others.
    for (const d of blocks.slice(6, 11)) h.free(d);
    const mid = h.alloc('uint8', 4 * 4096);
    expect(mid.byteOffset).toBe(blocks[6].byteOffset);
    const small = h.alloc('uint8', 4096);
    expect(small.byteOffset).toBe(blocks[10].byteOffset);
    expect(() => h.alloc('uint8', 4096)).toThrow(HeapExhaustedError);
    expect(h.isLive(top)).toBe(true);
    expect(h.used + h.freeListBytes).toBeLessThanOrEqual(h.size);
  });

  it('keeps used + free = size and used = sum of live classes over random alloc/free', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20000 }), fc.boolean()), { maxLength: 60 }),
        (ops) => {
          const h = new Heap(65536, 1 << 26);
          const live: TypedArray[] = [];
          for (const [n, drop] of ops) {
            if (drop && live.length) h.free(live.splice(n % live.length, 1)[0]);
            else {
              const d = h.alloc('uint8', n);
              d.fill(1);
              live.push(d);
            }
          }
          expect(h.used).toBe(live.reduce((s, d) => s + sizeClass(Math.max(1, d.length)), 0));
          const spans = live
            .map((d) => [d.byteOffset, d.byteOffset + d.length])
            .sort((a, b) => a[0] - b[0]);
          for (let i = 1; i < spans.length; i++)
            expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
        },
      ),
      runs(40),
    );
  });
});

describe('numbats arrays on the heap', () => {
  let saved: ReturnType<typeof configureHeap>;
  beforeAll(() => {
    saved = configureHeap();
    configureHeap({ enabled: true, minBytes: 0 });
  });
  afterAll(() => {
    configureHeap({ enabled: saved.enabled, minBytes: saved.minBytes });
  });

  const created = (): [string, NdArray][] => [
    ['zeros', zeros([3, 4], 'int16')],
    ['full', full(10, 2.5, 'float32')],
    [
      'asarray nested',
      asarray([
        [1, 2],
        [3, 4],
      ]),
    ],
    ['asarray cast', asarray(new Int8Array([1, 2, 3]), 'float64')],
    ['astype', astype(zeros(5), 'uint8')],
    ['copy', copy(zeros(5, 'bool'))],
    ['ufunc result', vectorize((x: number) => x * 2)(new Float64Array([1, 2])) as NdArray],
  ];

  it('allocates what numbats creates on the heap; user buffers stay where they are', () => {
    for (const [, a] of created()) expect(onHeap(a.data as TypedArray)).toBe(true);
    expect(onHeap(asarray(new Float64Array(4)).data as TypedArray)).toBe(false);
  });

  it('free(a) and Symbol.dispose return the block at once; heapStatus adds up', () => {
    const s0 = heapStatus();
    expect(s0.enabled).toBe(true);
    const a = zeros(1000);
    const s1 = heapStatus();
    expect(s1.used - s0.used).toBe(sizeClass(8000));
    expect(s1.blocks - s0.blocks).toBe(1);
    expect(s1.used + s1.free).toBe(s1.size);
    expect(free(a)).toBe(true);
    expect(heapStatus().used).toBe(s0.used);
    expect(free(a)).toBe(false);
    const b = zeros(1000, 'int8');
    (b as unknown as Record<symbol, () => void>)[dispose]();
    expect(heapStatus().used).toBe(s0.used);
    expect(free(asarray(new Float64Array(3)))).toBe(false);
    expect(free(3 as never)).toBe(false);
  });

  it('off: later arrays go on ordinary buffers, earlier heap arrays stay valid', () => {
    const a = full(4, 3, 'int32');
    configureHeap({ enabled: false });
    try {
      const b = zeros(4, 'int32');
      expect(onHeap(b.data as TypedArray)).toBe(false);
      expect((b.data as TypedArray).buffer).toBeInstanceOf(ArrayBuffer);
      expect([...(a.data as Int32Array)]).toEqual([3, 3, 3, 3]);
      expect(heapStatus().enabled).toBe(false);
      expect(heapStatus().reason).toMatch(/configureHeap/);
    } finally {
      configureHeap({ enabled: true });
    }
  });

  it('rejects bad settings', () => {
    expect(() => configureHeap({ maxBytes: 2 ** 33 })).toThrow(RangeError);
    expect(() => configureHeap({ whenFull: 'crash' as never })).toThrow(TypeError);
    expect(() => configureHeap({ minBytes: -1 })).toThrow(RangeError);
    expect(() => configureHeap({ enabled: 'yes' as never })).toThrow(TypeError);
  });
});

describe('in a fresh process', () => {
  const script = fileURLToPath(new URL('./child.ts', import.meta.url));
  const run = (env: Record<string, string>) => {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  };

  it('garbage collection releases dropped heap arrays; a full heap falls back or throws', () => {
    const r = run({ NUMBATS_HEAP: 'on' });
    expect(r.enabled).toBe(true);
    expect(r.usedWhileAlive).toBeGreaterThanOrEqual(8_000_000);
    expect(r.usedAfterGc).toBeLessThan(r.usedWhileAlive);
    expect(r.fallbackOnHeap).toBe(false);
    expect(r.fallbacks).toBe(1);
    expect(r.thrown).toBe('HeapExhaustedError');
    expect(r.thrownIsRangeError).toBe(true);
  });

  it('dropped results come back while a loop yields: every one of 100 lands on a 256 MiB heap', () => {
    const churn = fileURLToPath(new URL('./churn.ts', import.meta.url));
    const go = (arg: string) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', churn, arg], {
        env: { ...process.env, NUMBATS_HEAP: 'on' },
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout.trim().split('\n').pop()!);
    };
    const r = go('');
    expect(r.enabled).toBe(true);
    expect(r.onHeapCount).toBe(r.iterations);
    expect(r.fallbacks).toBe(0);
    expect(r.nudges).toBeGreaterThan(0);
    expect(r.size).toBeLessThanOrEqual(256 << 20);
    // Without the pressure V8 collects nothing in this loop, and the heap overflows.
    const control = go('nopressure');
    expect(control.onHeapCount).toBeLessThan(control.iterations);
    expect(control.fallbacks).toBeGreaterThan(0);
  }, 60_000);

  it('NUMBATS_HEAP=off turns the heap off', () => {
    const r = run({ NUMBATS_HEAP: 'off' });
    expect(r.enabled).toBe(false);
    expect(r.reason).toMatch(/NUMBATS_HEAP=off/);
  });
});

describe('garbage-collection pressure', () => {
  it('a 2 GiB limit (the default) paces nudges by 64 MB, not by every block over 64 KiB', () => {
    // `maxBytes >> 2` wrapped to a negative number at 2 GiB: every allocation then nudged V8
    // with a 128 MB ballast buffer (milliseconds each).
    const h = new Heap(65536, 2 * 1024 ** 3);
    for (let k = 0; k < 50; k++) h.free(h.alloc('float64', 10_000));
    expect(h.pressure.nudges).toBe(0);
  });
});
