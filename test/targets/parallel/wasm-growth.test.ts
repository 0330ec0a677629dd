/**
 * The `parallel` target's wasm path while the heap grows: workers that instantiated a loop
 * module on the shared memory before it grew keep using that instance on the grown memory,
 * reading and writing arrays allocated past the old end.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closePool, free, heapStatus, setParallelOptions, zeros } from '../../../src/index.js';
import { lastPathOfAnyCall } from '../../../src/targets/wasm/map.js';
import { expectSame, useWasmForEveryCall } from '../wasm/helpers.js';
import { pair } from './helpers.js';
import { threeWays } from './wasm-helpers.js';

useWasmForEveryCall();
beforeAll(() => setParallelOptions({ workers: 2, threshold: 0 }));
afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
});

it('workers keep running their modules after the heap grows under them', () => {
  const add = pair('growadd', (a, b) => a + b, { identity: 0 });
  const small = zeros([3000]);
  for (let i = 0; i < small.data.length; i++) small.data[i] = i / 3;
  // The workers instantiate the module (and get the memory) before the growth.
  const expected = add.cpu(small, small);
  expectSame(add.par(small, small), expected, 'before');
  expect(lastPathOfAnyCall()).toMatch(/^wasm on 2 worker\(s\)/);
  const before = heapStatus().size;
  // Past the current end: the heap must grow to hold it.
  const n = Math.ceil(before / 8) + 4096;
  const big = zeros([n]);
  try {
    const d = big.data as Float64Array;
    expect(heapStatus().size).toBeGreaterThan(before);
    expect(d.byteOffset + d.byteLength).toBeGreaterThan(before);
    for (let i = 0; i < n; i++) d[i] = Math.cos(i) + i * 1e-6;
    // The same kernel and layout: the workers' cached instances run on the grown memory.
    const path = threeWays(add, (u) => u(big, big), 'after growth');
    expect(path).toMatch(/^wasm on 2 worker\(s\), \d+ chunk\(s\): SIMD f64x2 loop 1\|111\|ddd/);
    threeWays(add, (u) => u.reduce(big, { axis: null }), 'sum after growth');
    // A write into the last element lands in memory the workers never saw before.
    const out = zeros([n]);
    add.par(big, big, { out });
    expect(out.data[n - 1]).toBe(d[n - 1] + d[n - 1]);
    free(out);
  } finally {
    free(big);
  }
});
