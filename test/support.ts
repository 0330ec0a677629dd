/** Shared helpers of the test suite (not a test file itself). */
import type fc from 'fast-check';
import { expect } from 'vitest';
import type { DType, NdArray, TypedArray } from '../src/index.js';
import { resultType } from '../src/index.js';

/**
 * fast-check parameters: modest run counts (the CI machine has 2 cores). `NUMBATS_RUNS_SCALE`
 * multiplies them, for a long hunt for rare counterexamples before a release.
 */
export function runs(numRuns = 60): fc.Parameters<unknown> {
  const scale = Number(process.env.NUMBATS_RUNS_SCALE) || 1;
  return { numRuns: Math.max(1, Math.round(numRuns * scale)) };
}

/** Type of `a + b`, `a - b`, `a * b` in a kernel: NumPy promotion, with bool arithmetic as int32. */
export function arith(a: DType, b: DType): DType {
  const t = resultType(a, b);
  return t === 'bool' ? 'int32' : t;
}

/** Runs `f` and returns what it threw (fails the test when nothing is thrown). */
export function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an exception, none was thrown');
}

/** Asserts `f` throws an instance of `cls` whose message matches `message` (string: exact). */
export function expectError(
  f: () => unknown,
  cls: abstract new (...args: never[]) => Error,
  message: string | RegExp,
): Error {
  const e = thrown(f);
  expect(e).toBeInstanceOf(cls);
  if (typeof message === 'string') expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
  return e;
}

/** A copy of the whole buffer behind `a` (to check that nothing was written). */
export function snapshot(a: NdArray): number[] {
  return Array.from(a.data as TypedArray);
}
