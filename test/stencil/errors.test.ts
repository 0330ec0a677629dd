/** Every mistake is a clear error, raised before anything is written into `out`. */

import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import {
  asarray,
  CompileError,
  full,
  type NdArray,
  type Rel,
  stencil,
  toArray,
  ValueError,
  zeros,
} from '../../src/index.js';
import { expectError, snapshot } from '../support.js';

const lapKernel = (u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0);

describe('stencil options', () => {
  it('boundary names are checked, listing the valid modes', () => {
    const msg =
      "boundary must be one of 'skip', 'constant', 'nearest', 'reflect', 'mirror', 'wrap' (or an array of them, one per axis); got \"symmetric\"";
    expectError(() => stencil(lapKernel, { boundary: 'symmetric' as never }), TypeError, msg);
    expectError(
      () => stencil(lapKernel, { boundary: ['wrap', 'nope'] as never }),
      TypeError,
      /one of 'skip', 'constant'.*got "nope"/,
    );
    expectError(
      () => stencil(lapKernel, { boundary: ['wrap', 'wrap', 'wrap'] }),
      TypeError,
      'lapKernel: boundary gives 3 mode(s) but the kernel indexes 2 axes',
    );
  });

  it('neighborhood must be [lo, hi] integer pairs', () => {
    for (const bad of [5, [[1]], [[0, 0.5]], [[1, -1]], [], [[0, 'a']]]) {
      expectError(
        () => stencil(lapKernel, { neighborhood: bad as never }),
        TypeError,
        /^neighborhood must be an array of \[lo, hi\] integer pairs/,
      );
    }
  });

  it('unknown options, bad cval, dtype, target, name', () => {
    expectError(
      () => stencil(lapKernel, { mode: 'wrap' } as never),
      TypeError,
      /unknown option 'mode'/,
    );
    expectError(
      () => stencil(lapKernel, { cval: '1' as never }),
      TypeError,
      'cval must be a number; got "1"',
    );
    expectError(
      () => stencil(lapKernel, { dtype: 'int64' as never }),
      TypeError,
      /dtype must be one of/,
    );
    expectError(
      () => stencil(lapKernel, { name: 3 as never }),
      TypeError,
      'name must be a string; got 3',
    );
    expectError(() => stencil(5 as never), TypeError, 'stencil: the kernel must be a function');
  });
});

describe('kernels that do not compile', () => {
  it('constant offsets outside a declared neighborhood', () => {
    const e = expectError(
      () =>
        stencil((u: Rel) => u(-2, 0) + u(0, 0), {
          neighborhood: [
            [-1, 1],
            [0, 0],
          ],
        }),
      CompileError,
      /u\(…\) reads offset -2 on axis 0, outside the declared neighborhood \[-1, 1\] \(line 1/,
    );
    expect((e as CompileError).line).toBe(1);
  });

  it('computed offsets without a neighborhood', () => {
    expectError(
      () => stencil((u: Rel, k: number) => u(k, 0)),
      CompileError,
      /the offset on axis 0 of u\(…\) is computed: give the `neighborhood` option/,
    );
  });

  it('accessor misuse: as a value, with varying arity, fractional offsets, spread', () => {
    expectError(
      () => stencil((u: Rel) => u(0) + (u as unknown as number)),
      CompileError,
      /'u' is a relative accessor \(call it with one offset per axis\), not a number/,
    );
    expectError(
      () => stencil((u: Rel) => u(0, 0) + u(1)),
      CompileError,
      /u\(…\) gives 1 offset\(s\), but the kernel indexes 2 axes elsewhere/,
    );
    expectError(
      () => stencil((u: Rel) => u(0, 0), { neighborhood: [[0, 0]] }),
      CompileError,
      /gives 2 offset\(s\), but the neighborhood has 1 axes/,
    );
    expectError(
      () => stencil((u: Rel) => u(0.5)),
      CompileError,
      /offset 0.5 on axis 0 is not an integer/,
    );
    expectError(
      () => stencil((u: Rel) => u(...[0])),
      CompileError,
      /spread arguments are not supported/,
    );
  });

  it('several outputs, free variables (constants compile them in)', () => {
    expectError(
      () => stencil((u: Rel) => [u(0), u(1)] as unknown as number),
      CompileError,
      /returns one value, not 2/,
    );
    const scale = 3;
    expectError(
      () => stencil((u: Rel) => u(0) * scale),
      CompileError,
      /reads 'scale' from the enclosing scope; pass such values as extra arguments/,
    );
    const f = stencil((u: Rel) => u(0) * scale + u(offset), { constants: { scale, offset: 1 } });
    expect(f.neighborhood).toEqual([[0, 1]]);
  });
});

const offset = 1;

describe('calls', () => {
  const lap = stencil(lapKernel, { name: 'lap' });

  it('input shapes must match; the message names both', () => {
    const two = stencil((a: Rel, b: Rel) => a(0, 0) + b(0, 1), { name: 'two' });
    const out = full([3, 4], 7);
    const before = snapshot(out);
    expectError(
      () => two(zeros([3, 4]), zeros([4, 3]), { out }),
      ValueError,
      "two: input 'b' has shape (4,3) but input 'a' has shape (3,4); every array input must have the same shape",
    );
    expect(snapshot(out)).toEqual(before);
  });

  it('out must have the inputs’ shape and be writable; nothing is written otherwise', () => {
    const out = full([4, 3], 7);
    const before = snapshot(out);
    expectError(
      () => lap(zeros([3, 4]), { out }),
      ValueError,
      'lap: out has shape (4,3) but the inputs have shape (3,4)',
    );
    expect(snapshot(out)).toEqual(before);
    const stride0 = ndarray(new Float64Array(3), [3, 4], [1, 0], 0) as NdArray;
    expectError(
      () => lap(zeros([3, 4]), { out: stride0 }),
      ValueError,
      'lap: out has stride 0 along axis 1 (a broadcast view): it is not writeable',
    );
    expectError(
      () => lap(zeros([3, 4]), { out: 5 as never }),
      TypeError,
      'lap: out must be an ndarray; got 5',
    );
    expectError(() => lap(zeros([3, 4]), { outt: 1 } as never), TypeError, /unknown option 'outt'/);
  });

  it('a broadcast (stride-0) out fails before any write, as a ufunc or gufunc out does', () => {
    // The same check as ufunc `out` (core/call-args.ts): the axis it names, a ValueError,
    // and the data untouched, on every target.
    for (const target of ['cpu', 'parallel', 'gpu'] as const) {
      const k = stencil(lapKernel, { name: 'lap', target });
      const data = new Float64Array([1, 2, 3, 4]);
      const rows = ndarray(data, [3, 4], [0, 1], 0) as NdArray;
      expectError(
        () => k(zeros([3, 4]), { out: rows }),
        ValueError,
        'lap: out has stride 0 along axis 0 (a broadcast view): it is not writeable',
      );
      expect(Array.from(data)).toEqual([1, 2, 3, 4]);
    }
    // Before the shape check: a broadcast out of the wrong shape names the stride.
    const wrongShape = ndarray(new Float64Array(4), [5, 4], [0, 1], 0) as NdArray;
    expectError(
      () => lap(zeros([3, 4]), { out: wrongShape }),
      ValueError,
      /lap: out has stride 0 along axis 0/,
    );
  });

  it('a computed offset out of range part-way leaves out untouched (the read may throw)', () => {
    // The border cells are skipped; cell 1 reads offset 1 (and is computed), cell 2 reads
    // offset 5, outside [-1, 1]. The
    // accessor's node is marked as throwing, so the call runs into scratch first.
    const hop = stencil((u: Rel) => u(u(0)), { name: 'hop', neighborhood: [[-1, 1]] });
    for (const target of ['cpu', 'parallel'] as const) {
      const k = stencil((u: Rel) => u(u(0)), { target, neighborhood: [[-1, 1]] });
      const out = full([4], 7);
      expectError(() => k(asarray([0, 1, 5, 0]), { out }), RangeError, /computed offset 5/);
      expect(snapshot(out)).toEqual(snapshot(full([4], 7)));
    }
    expect(toArray(hop(asarray([0, 1, -1, 0])))).toEqual([0, -1, 1, 0]);
  });

  it('stride 0 on an axis of extent 1, or on an empty out, is no broadcast', () => {
    const one = stencil((u: Rel) => u(0, 0) * 2, { name: 'twice' });
    const data = new Float64Array([1, 2, 3]);
    const out = ndarray(new Float64Array(3), [1, 3], [0, 1], 0) as NdArray;
    one(ndarray(data, [1, 3]) as NdArray, { out });
    expect(Array.from(out.data as Float64Array)).toEqual([2, 4, 6]);
    const empty = ndarray(new Float64Array(1), [0, 4], [1, 0], 0) as NdArray;
    expect(one(zeros([0, 4]), { out: empty })).toBe(empty);
  });

  it('ndim, argument count and kinds', () => {
    expectError(
      () => lap(zeros([5])),
      ValueError,
      'lap: the kernel indexes 2 axes but the inputs have 1 (shape (5,))',
    );
    expectError(
      () => (lap as (...args: unknown[]) => unknown)(),
      TypeError,
      'lap() takes 1 argument(s) (and an optional options object), got 0',
    );
    expectError(
      () => lap(3 as never),
      TypeError,
      "lap: 'u' is read as u(…) in the kernel, so it must be an array; got 3",
    );
    const scaled = stencil((u: Rel, k: number) => k * u(0), { name: 'scaled' });
    expectError(
      () => scaled(zeros([2]), zeros([2]) as never),
      TypeError,
      /scaled: 'k' is not read through an accessor in the kernel, so it must be a number/,
    );
    expectError(
      () => stencil((u: Rel) => u(), { boundary: ['wrap', 'wrap'] }),
      TypeError,
      'stencil: boundary gives 2 mode(s) but the kernel indexes 0 axes',
    );
    expectError(
      () => stencil((k: number) => k)(1),
      TypeError,
      /reads no parameter through a relative accessor/,
    );
  });
});
