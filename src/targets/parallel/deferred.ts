/**
 * The one `.async`: every kind's `.async` call on the `parallel` target (a ufunc call or
 * method, a gufunc, each `prange` loop of a jit function) runs its synchronous part now
 * with the jobs it posts collected instead of waited on, then waits for them without
 * blocking the thread. What a job does when it settles is the same for every kind and
 * lives with the job (`dispatch` in `./map.ts`): a plain output gets back only the elements
 * the job changed, a failed job (a kernel exception, a dead worker, a timeout) copies
 * nothing back and rejects.
 */
import { setAsyncSink } from './pool.js';

/**
 * Runs `fn` with parallel jobs left pending (an `.async` call collects its jobs instead of
 * blocking); resolves when they are all done. When `fn` throws, the promise rejects with
 * that error once the jobs already posted have settled (none is left writing into memory
 * the caller gets back).
 */
export function runDeferred<T>(fn: () => T): Promise<T> {
  const sink: Promise<void>[] = [];
  const prev = setAsyncSink(sink);
  let r: T;
  try {
    r = fn();
  } catch (e) {
    return Promise.all(sink).then(
      () => Promise.reject(e),
      () => Promise.reject(e),
    );
  } finally {
    setAsyncSink(prev);
  }
  return Promise.all(sink).then(() => r);
}

/**
 * Runs `fn` with the jobs it posts waited on as usual, even inside an `.async` call being
 * set up: a synchronous call made while an `.async` one collects its jobs (a jit function's
 * plain call) must not leave its own jobs pending.
 */
export function runNow<T>(fn: () => T): T {
  const prev = setAsyncSink(null);
  try {
    return fn();
  } finally {
    setAsyncSink(prev);
  }
}
