/** Shared checks of the jitclass tests (not a test file itself). */
import { expect } from 'vitest';
import { castScalar } from '../../src/core/array.js';
import type { NdArray, TypedArray } from '../../src/index.js';
import { dtypeOf } from '../../src/index.js';

type AnyRecords = {
  call(method: string, ...args: unknown[]): NdArray | undefined;
  toObjects(): Record<string, number | boolean>[];
  field(name: string): NdArray;
  [Symbol.iterator](): Iterator<object>;
  readonly length: number;
};
type AnyClass = {
  fromObjects(o: Iterable<object>): AnyRecords;
  readonly fields: readonly string[];
};

/**
 * Runs `method` over a record array with `.call` (one compiled loop) and, on a copy, as
 * the original JS method on each record view; both must leave the same columns, and the
 * compiled results must be the JS results stored in the result dtype.
 */
export function expectCallMatchesMethod(
  R: AnyClass,
  objects: readonly object[],
  method: string,
  args: readonly (number | boolean)[],
): NdArray | undefined {
  const compiled = R.fromObjects(objects);
  const interpreted = R.fromObjects(objects);
  const result = compiled.call(method, ...args);
  const expected = [...interpreted].map((r) =>
    (r as Record<string, (...a: unknown[]) => unknown>)[method](...args),
  );
  // Raw columns, not just reads: a bool column must hold 0/1, not any non-zero number.
  const columns = (rs: AnyRecords) =>
    R.fields.map((f) => Array.from(rs.field(f).data as TypedArray));
  expect(columns(compiled)).toEqual(columns(interpreted));
  if (result === undefined) {
    for (const v of expected) expect(v).toBeUndefined();
    return undefined;
  }
  const dtype = dtypeOf(result);
  const got = Array.from(result.data as TypedArray);
  const want = expected.map((v) => castScalar(Number(v), dtype));
  expect(got).toEqual(want);
  return result;
}
