/**
 * Faults on the `parallel` target: an exception in a worker is rethrown to the caller, a
 * worker that dies mid-call gives a clean error instead of a hang and is replaced, and a
 * process that used the pool exits on its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asarray,
  closePool,
  type NdArray,
  parallelStatus,
  setParallelOptions,
  vectorize,
  zeros,
} from '../../../src/index.js';
import { failInNextCall, killWorkerInNextCall } from '../../../src/targets/parallel/pool.js';
import { assertArraysEqual } from '../../../src/testing/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const f = vectorize((a: number, b: number) => Math.sin(a) * Math.cos(b), { target: 'parallel' });
const g = vectorize((a: number, b: number) => Math.sin(a) * Math.cos(b));
const a = asarray(Array.from({ length: 5000 }, (_, i) => i / 10));

beforeAll(() => setParallelOptions({ workers: 2, threshold: 0 }));
afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
});

describe('parallel target: faults', () => {
  it('rethrows an exception raised in a worker, and the next call works', () => {
    failInNextCall('kernel failed: index 7 out of range');
    expect(() => f(a, 2)).toThrow(RangeError);
    failInNextCall('kernel failed: index 7 out of range');
    expect(() => f(a, 2)).toThrow('kernel failed: index 7 out of range');
    assertArraysEqual(f(a, 2) as NdArray, g(a, 2) as NdArray);
  });

  it('keeps a long or non-ASCII exception message (up to 1023 characters) and its type', () => {
    const msg = `bad value ✗ ${'x'.repeat(2000)}`;
    failInNextCall(msg);
    let err: unknown;
    try {
      f(a, 2);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toBe(msg.slice(0, 1024 - 'RangeError\n'.length));
  });

  it('reports a worker_threads host on which synchronous calls use the pool', () => {
    const st = parallelStatus();
    expect(st).toMatchObject({ available: true, host: 'worker_threads', syncCalls: true });
    expect(st.reason).toBe('');
  });

  it('rejects .async with the worker exception', async () => {
    failInNextCall('async kernel failure');
    await expect(f.async(a, 2)).rejects.toThrow('async kernel failure');
    assertArraysEqual((await f.async(a, 3)) as NdArray, g(a, 3) as NdArray);
  });

  it('a worker killed mid-call gives a clean error, is replaced, and the pool still works', () => {
    f(a, 1); // pool started
    const t0 = performance.now();
    killWorkerInNextCall();
    expect(() => f(a, 2)).toThrow(/worker 0 exited during the call; it was replaced/);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(parallelStatus().started).toBe(2);
    const jobs = parallelStatus().jobs;
    assertArraysEqual(f(a, 2) as NdArray, g(a, 2) as NdArray);
    expect(parallelStatus().jobs).toBe(jobs + 1);
    // Reductions and scans after the replacement, too.
    const add = vectorize((x: number, y: number) => x + y, { target: 'parallel', identity: 0 });
    const m = zeros([50, 40], 'float64', { shared: true });
    const md = m.data as Float64Array;
    for (let i = 0; i < md.length; i++) md[i] = i % 13;
    assertArraysEqual(add.accumulate(m, { axis: 1 }), add.accumulate(copyOf(m), { axis: 1 }));
  });

  it('a killed worker rejects .async and the pool recovers', async () => {
    killWorkerInNextCall();
    await expect(f.async(a, 2)).rejects.toThrow(/exited during the call/);
    assertArraysEqual((await f.async(a, 5)) as NdArray, g(a, 5) as NdArray);
  });

  it('a process that used the pool exits on its own (sync and async calls)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'numbats-par-'));
    try {
      const file = join(dir, 'child.mts');
      const src = pathToFileURL(join(root, 'src', 'index.ts')).href;
      writeFileSync(
        file,
        `import { vectorize, setParallelOptions, parallelStatus, asarray, toArray } from ${JSON.stringify(src)};
setParallelOptions({ threshold: 0 });
const f = vectorize((a: number, b: number) => a * b + 1, { target: 'parallel' });
const x = asarray([1, 2, 3, 4, 5, 6, 7, 8]);
const r = toArray(f(x, 2) as never);
const s = toArray((await f.async(x, 3)) as never);
console.log(JSON.stringify({ r, s, started: parallelStatus().started }));
`,
      );
      const t0 = Date.now();
      const res = spawnSync(process.execPath, ['--import', 'tsx', file], {
        cwd: root,
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(res.error).toBeUndefined();
      expect(res.status).toBe(0);
      const out = JSON.parse(res.stdout.trim().split('\n').pop()!);
      expect(out.r).toEqual([3, 5, 7, 9, 11, 13, 15, 17]);
      expect(out.s).toEqual([4, 7, 10, 13, 16, 19, 22, 25]);
      expect(out.started).toBeGreaterThan(0);
      expect(Date.now() - t0).toBeLessThan(20_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function copyOf(m: NdArray): NdArray {
  const c = zeros(m.shape);
  (c.data as Float64Array).set(m.data as Float64Array);
  return c;
}
