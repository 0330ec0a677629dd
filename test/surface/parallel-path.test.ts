/**
 * The `parallel` target runs small calls inline on the calling thread: parallelStatus()
 * and inspect() say which path each call took and why.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  closePool,
  guvectorize,
  heapStatus,
  parallelStatus,
  type Rel,
  stencil,
  type View,
  vectorize,
  zeros,
} from '../../src/index.js';

afterAll(() => closePool());

describe('which path a parallel call took', () => {
  it('a small ufunc call runs inline and says so; a large one runs on the workers', () => {
    const dbl = vectorize((x: number) => x * 2, { target: 'parallel', name: 'dbl' });
    expect(dbl.inspect()).toMatch(/^\/\/ parallel target: not called yet/);
    dbl(zeros([1000]));
    const small = parallelStatus().lastCall;
    expect(small).toEqual({
      name: 'dbl',
      path: 'inline',
      elements: 1000,
      reason: `1000 elements < threshold ${parallelStatus().threshold}: posting to workers would cost more than it saves (setParallelOptions({ threshold }) changes it)`,
    });
    expect(dbl.inspect().split('\n')[0]).toBe(
      `// parallel target, last call: ran inline on the calling thread (${small?.reason})`,
    );
    dbl(zeros([100_000]));
    const big = parallelStatus().lastCall;
    const st = parallelStatus();
    const expected = st.available
      ? {
          path: 'workers',
          reason: `100000 elements >= threshold ${st.threshold}: split over ${st.workers} worker(s)`,
        }
      : { path: 'inline', reason: `no worker pool here: ${st.reason}` };
    const { engine, ...rest } = big!;
    expect(rest).toEqual({ name: 'dbl', elements: 100000, ...expected });
    // On the workers: which engine ran the loops (wasm modules on the heap, or JS), and why.
    if (st.available && heapStatus().enabled)
      expect(engine).toMatch(new RegExp(`^wasm on ${st.workers} worker\\(s\\)`));
    else expect(engine).toBeUndefined();
    expect(dbl.inspect()).toContain(big?.reason);
  });

  it('gufuncs and stencils report too; cpu kernels do not', () => {
    const rowSum = guvectorize(
      (x: View) => {
        let s = 0;
        for (let i = 0; i < x.shape[0]; i++) s += x.get(i);
        return s;
      },
      '(n)->()',
      { target: 'parallel', name: 'rowSum' },
    );
    rowSum(zeros([10, 4]));
    expect(parallelStatus().lastCall).toMatchObject({
      name: 'rowSum',
      path: 'inline',
      elements: 10,
    });
    expect(rowSum.inspect()).toMatch(/^\/\/ parallel target, last call: ran inline/);
    const lap = stencil((u: Rel) => u(-1) + u(1), { target: 'parallel', name: 'lap' });
    lap(zeros([50]));
    expect(parallelStatus().lastCall).toMatchObject({ name: 'lap', path: 'inline', elements: 50 });
    expect(lap.inspect()).toMatch(/^\/\/ parallel target, last call: ran inline/);
    const cpu = vectorize((x: number) => x + 1, { name: 'cpu' });
    cpu(zeros([10]));
    expect(parallelStatus().lastCall?.name).toBe('lap');
    expect(cpu.inspect()).not.toMatch(/parallel target/);
  });

  it('a large call whose loop cannot be cut runs inline and says why', () => {
    const add = vectorize((a: number, b: number) => a + b, { target: 'parallel', name: 'cumadd' });
    const st = parallelStatus();
    // A 1-d scan has no axis but its own to cut: the pool would take the size, the loop not.
    const a = zeros([st.threshold + 1000]);
    add.accumulate(a);
    const r = parallelStatus().lastCall;
    expect(r).toMatchObject({ name: 'cumadd', path: 'inline', elements: st.threshold + 999 });
    if (st.available) {
      expect(r?.reason).toBe(
        `${st.threshold + 999} elements >= threshold ${st.threshold}, but the scan has no other axis of 2 or more to cut: ran inline`,
      );
      expect(r?.engine).toBeUndefined();
    }
    expect(add.inspect()).toContain(r?.reason);
    // A reduction is recorded too: without `initial`, row 0 starts the result and the loop
    // folds in the other 3 rows.
    add.reduce(zeros([4, st.threshold]), { axis: 0 });
    expect(parallelStatus().lastCall).toMatchObject({ name: 'cumadd', elements: 3 * st.threshold });
  });
});
