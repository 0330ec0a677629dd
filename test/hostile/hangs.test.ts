/**
 * Finding 6: hangs and leaks. A pending `.async` call must settle when its pool is closed
 * or its worker dies (the event loop is kept alive while it waits); a call that never ends
 * is stopped by `timeout` (per call or the pool's), its workers replaced; resizing the pool
 * under a running call is refused with a clear error; workers keep a bounded number of
 * compiled loops; a kernel nested too deeply is a CompileError, and so is a nested list
 * too deep for `asarray` a ValueError.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSource } from '../../src/compiler/parse.js';
import {
  asarray,
  CompileError,
  closePool,
  guvectorize,
  type NdArray,
  parallelStatus,
  setParallelOptions,
  stencil,
  TimeoutError,
  toArray,
  ValueError,
  vectorize,
  zeros,
} from '../../src/index.js';
import {
  killWorkerInNextCall,
  MAX_WORKER_LOOPS,
  workerLoopCounts,
} from '../../src/targets/parallel/pool.js';
import { snapshot } from '../support.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A kernel that never ends for a = -1 (and is instant otherwise). */
const forever = vectorize(
  (a: number) => {
    let s = a;
    while (s < 0) s = s - 1;
    return s;
  },
  { target: 'parallel' },
);
const spin = zeros([64]);
spin.data.fill(-1);
const fine = asarray(Array.from({ length: 64 }, (_, i) => i));

beforeAll(() => setParallelOptions({ workers: 2, threshold: 0 }));
afterAll(() => {
  setParallelOptions({ threshold: 65536, timeout: Number.POSITIVE_INFINITY });
  closePool();
});

describe('pending .async calls settle', () => {
  it('closePool() rejects a running .async call, saying why', async () => {
    const p = forever.async(spin);
    closePool();
    await expect(p).rejects.toThrow(/closePool\(\) closed the pool while this call was running/);
    expect(toArray(forever(fine) as NdArray)).toEqual(toArray(fine));
  });

  it('a worker that dies rejects the .async call', async () => {
    killWorkerInNextCall();
    await expect(forever.async(fine)).rejects.toThrow(/exited during the call/);
  });

  it('in a process with nothing else to do, the rejection is delivered (not a silent exit)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'numbats-hang-'));
    try {
      const file = join(dir, 'child.mts');
      const src = pathToFileURL(join(root, 'src', 'index.ts')).href;
      writeFileSync(
        file,
        `import { vectorize, setParallelOptions, closePool, zeros } from ${JSON.stringify(src)};
setParallelOptions({ threshold: 0, workers: 2 });
const f = vectorize((a: number) => { let s = a; while (s < 0) s = s - 1; return s; }, { target: 'parallel' });
const x = zeros([16]); x.data.fill(-1);
const p = f.async(x);
closePool();
try { await p; console.log('resolved'); } catch (e) { console.log('rejected: ' + (e as Error).message); }
`,
      );
      const res = spawnSync(process.execPath, ['--import', 'tsx', file], {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(res.error).toBeUndefined();
      expect(res.stdout).toMatch(/rejected: .*closePool\(\) closed the pool/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('timeout', () => {
  it('a synchronous call that never ends throws a TimeoutError; out untouched; workers replaced', () => {
    const out = zeros([64]);
    out.data.fill(5);
    const before = snapshot(out);
    expect(() => forever(spin, { out, timeout: 300 })).toThrow(TimeoutError);
    expect(snapshot(out)).toEqual(before);
    expect(parallelStatus().started).toBe(2);
    // The pool works again at once.
    expect(toArray(forever(fine) as NdArray)).toEqual(toArray(fine));
  });

  it('applies to .async calls, reductions, gufuncs and stencils', async () => {
    await expect(forever.async(spin, { timeout: 300 })).rejects.toThrow(TimeoutError);
    const sumUntil = vectorize(
      (s: number, a: number) => {
        let t = s + a;
        while (a < 0) t = t - 1;
        return t;
      },
      { target: 'parallel', identity: 0 },
    );
    expect(() => sumUntil.reduce(spin, { timeout: 300 })).toThrow(TimeoutError);
    const g = guvectorize(
      (x: { shape: number[]; get(i: number): number }) => {
        let s = 0;
        for (let i = 0; i < x.shape[0]; i++) while (x.get(i) < 0) s = s + 1;
        return s;
      },
      '(n)->()',
      { target: 'parallel' },
    );
    const rows = zeros([4, 16]);
    rows.data.fill(-1);
    expect(() => g(rows, { timeout: 300 })).toThrow(TimeoutError);
    const st = stencil(
      (u: (i: number) => number) => {
        let s = u(0);
        while (s < 0) s = s - 1;
        return s;
      },
      { target: 'parallel' },
    );
    expect(() => st(spin, { timeout: 300 })).toThrow(TimeoutError);
    expect(toArray(forever(fine) as NdArray)).toEqual(toArray(fine));
  });

  it('as a pool option', () => {
    setParallelOptions({ timeout: 300 });
    try {
      expect(() => forever(spin)).toThrow(TimeoutError);
      expect(parallelStatus().timeout).toBe(300);
    } finally {
      setParallelOptions({ timeout: Number.POSITIVE_INFINITY });
    }
    expect(toArray(forever(fine) as NdArray)).toEqual(toArray(fine));
  });

  it('is checked, and belongs to the parallel target', () => {
    for (const t of [0, -1, Number.NaN, '100']) {
      expect(() => forever(fine, { timeout: t as number })).toThrow(RangeError);
      expect(() => setParallelOptions({ timeout: t as number })).toThrow(RangeError);
    }
    const cpu = vectorize((a: number) => a + 1);
    expect(() => cpu(fine, { timeout: 100 } as never)).toThrow(/option of the 'parallel' target/);
  });
});

describe('the pool under change', () => {
  it('setParallelOptions({ workers }) while a call runs is a clear error; the call is unharmed', async () => {
    const slow = forever.async(spin, { timeout: 400 });
    expect(() => setParallelOptions({ workers: 3 })).toThrow(
      /cannot change workers while 1 parallel call\(s\) are running/,
    );
    await expect(slow).rejects.toThrow(TimeoutError);
    setParallelOptions({ workers: 3 });
    expect(parallelStatus().workers).toBe(3);
    setParallelOptions({ workers: 2 });
    expect(toArray(forever(fine) as NdArray)).toEqual(toArray(fine));
  });

  it('workers keep at most MAX_WORKER_LOOPS compiled loops, and an evicted loop is sent again', () => {
    const first = vectorize((a: number) => a + 0.5, { target: 'parallel' });
    const want = toArray(fine).map((v) => v + 0.5);
    expect(toArray(first(fine) as NdArray)).toEqual(want);
    for (let i = 0; i < MAX_WORKER_LOOPS + 20; i++) {
      const u = vectorize((a: number) => a * 2, { target: 'parallel' });
      u(fine);
    }
    for (const n of workerLoopCounts()) expect(n).toBeLessThanOrEqual(MAX_WORKER_LOOPS);
    expect(toArray(first(fine) as NdArray)).toEqual(want);
  });
});

describe('nesting', () => {
  it('a kernel nested too deeply is a CompileError, not a stack overflow', () => {
    const terms = Array.from({ length: 3000 }, () => 'a').join('+');
    const f = new Function(`return (a) => ${terms}`)() as (a: number) => number;
    expect(() => vectorize(f)).toThrow(CompileError);
    expect(() => vectorize(f)).toThrow(/nested too deeply/);
    const parens = `${'('.repeat(1200)}a${')'.repeat(1200)}`;
    const g = new Function(`return (a) => ${parens}`)() as (a: number) => number;
    expect(() => vectorize(g)).toThrow(CompileError);
    // Moderate nesting still compiles.
    const ok = new Function(
      `return (a) => ${Array.from({ length: 300 }, () => 'a').join('+')}`,
    )() as (a: number) => number;
    expect(toArray(vectorize(ok)(asarray([1, 2])) as NdArray)).toEqual([300, 600]);
  });

  it("a syntax error reports acorn's message for the source as written", () => {
    // Both wrappings fail; the first one's message (the plain function form) is reported.
    expect(() => parseSource('(a) => a +* 1')).toThrow(CompileError);
    expect(() => parseSource('(a) => a +* 1')).toThrow(
      /^cannot parse kernel source: Unexpected token \(1:11\)$/,
    );
  });

  it('asarray of a 10,000-deep (or self-containing) nested list is a ValueError', () => {
    let deep: unknown = [1];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => asarray(deep as never)).toThrow(ValueError);
    expect(() => asarray(deep as never)).toThrow(
      /maximum supported dimension for an ndarray is 64/,
    );
    const loop: unknown[] = [];
    loop.push(loop);
    expect(() => asarray(loop as never)).toThrow(ValueError);
  });
});
