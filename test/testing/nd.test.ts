import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { BoolArray, type NdArray } from '../../src/index.js';
import {
  allIndices,
  broadcastIndex,
  broadcastShapeOf,
  castTo,
  copyOf,
  dtypeArb,
  fromValues,
  getAt,
  ndarrayArb,
  setAt,
  shapeArb,
  shapeSize,
  toNestedValues,
  valuesOf,
  zerosOf,
} from '../../src/testing/index.js';
import { runs } from '../support.js';

describe('multi-index helpers', () => {
  it('enumerate indices in C order', () => {
    expect(allIndices([2, 3])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(allIndices([])).toEqual([[]]);
    expect(allIndices([3, 0])).toEqual([]);
    fc.assert(
      fc.property(shapeArb({ maxDims: 4 }), (s) => {
        expect(allIndices(s)).toHaveLength(shapeSize(s));
      }),
      runs(100),
    );
  });

  it('read and write through strides and offsets', () => {
    const data = new Int16Array([0, 1, 2, 3, 4, 5, 6, 7]);
    const v = ndarray(data, [2, 2], [-4, 2], 5) as NdArray;
    expect(toNestedValues(v)).toEqual([
      [5, 7],
      [1, 3],
    ]);
    setAt(v, [1, 1], 40000);
    expect(data[3]).toBe(40000 - 65536);
    expect(getAt(v, [1, 1])).toBe(40000 - 65536);
  });

  it('convert with store semantics (bool is v !== 0)', () => {
    expect(castTo('bool', Number.NaN)).toBe(1);
    expect(castTo('bool', -0.5)).toBe(1);
    expect(castTo('bool', 0)).toBe(0);
    expect(castTo('int8', 128)).toBe(-128);
    expect(castTo('int8', -1.9)).toBe(-1);
    expect(castTo('uint8', -1)).toBe(255);
    expect(castTo('uint8_clamped', 2.5)).toBe(2);
    expect(castTo('uint8_clamped', 3.5)).toBe(4);
    expect(castTo('uint8_clamped', 300)).toBe(255);
    expect(castTo('int32', Number.NaN)).toBe(0);
    expect(castTo('uint32', -1)).toBe(4294967295);
    expect(castTo('float32', 0.1)).toBe(Math.fround(0.1));
    expect(castTo('float64', 0.1)).toBe(0.1);
  });

  it('build and copy arrays (bool data is a BoolArray)', () => {
    const b = fromValues([0, 2, -1], [3], 'bool');
    expect(b.data).toBeInstanceOf(BoolArray);
    expect(valuesOf(b)).toEqual([0, 1, 1]);
    expect(() => fromValues([1, 2], [3])).toThrow(RangeError);
    expect(valuesOf(zerosOf([2, 2], 'int8'))).toEqual([0, 0, 0, 0]);
    fc.assert(
      fc.property(ndarrayArb(), dtypeArb(), (a, t) => {
        const c = copyOf(a, t);
        expect(c.shape).toEqual(a.shape);
        expect(valuesOf(c)).toEqual(valuesOf(a).map((v) => castTo(t, v)));
      }),
      runs(100),
    );
  });

  it('broadcast like NumPy', () => {
    expect(broadcastShapeOf([[4, 3], [3]])).toEqual([4, 3]);
    expect(broadcastShapeOf([[4, 3], [4]])).toBeNull();
    expect(broadcastShapeOf([[2, 1], [1, 5], []])).toEqual([2, 5]);
    expect(broadcastShapeOf([[0], [1]])).toEqual([0]);
    expect(broadcastShapeOf([])).toEqual([]);
    expect(broadcastIndex([1, 2, 3], [1, 4])).toEqual([0, 3]);
  });
});
