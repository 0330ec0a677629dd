/**
 * Error types thrown by numbats. They mirror the Python exception names a NumPy/Numba
 * user knows (`ValueError`, `AxisError`, …) while extending the closest built-in JS error
 * so that `instanceof RangeError` / `instanceof TypeError` checks keep working.
 */

/** A kernel the compiler cannot lower. Carries the 1-based line/column in the kernel source. */
export class CompileError extends Error {
  override name = 'CompileError';
  /** 1-based line inside the user's function source, when known. */
  readonly line?: number;
  /** 1-based column inside the user's function source, when known. */
  readonly column?: number;
  /** Free identifiers that made the kernel need its source (targets without a fallback). */
  readonly freeNames?: readonly string[];
  constructor(message: string, where?: { line: number; column: number }, freeNames?: string[]) {
    super(where ? `${message} (line ${where.line}, column ${where.column})` : message);
    if (where) {
      this.line = where.line;
      this.column = where.column;
    }
    if (freeNames) this.freeNames = freeNames;
  }
}

/** NumPy's ValueError: a value of the right type but the wrong content (shapes, sizes). */
export class ValueError extends Error {
  override name = 'ValueError';
}

/** Shapes that cannot be broadcast together; the message names every shape, as NumPy does. */
export class BroadcastError extends ValueError {
  override name = 'BroadcastError';
  readonly shapes: readonly (readonly number[])[];
  constructor(message: string, shapes: readonly (readonly number[])[]) {
    super(message);
    this.shapes = shapes;
  }
}

/** NumPy's AxisError: an axis outside `[-ndim, ndim)`. */
export class AxisError extends RangeError {
  override name = 'AxisError';
}

/** NumPy's IndexError for `at`/`reduceat` indices out of bounds. */
export class IndexError extends RangeError {
  override name = 'IndexError';
}

/**
 * A `parallel` call that did not finish within its `timeout`: the workers running it were
 * stopped and replaced. Outputs the workers write in place (SharedArrayBuffer data) may be
 * partly written; plain arrays are left as they were.
 */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}
