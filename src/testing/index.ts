/**
 * `numbats/testing`: the tools numbats tests itself with, for property-testing your own
 * kernels. fast-check arbitraries for dtypes, shapes and ndarrays with random views,
 * naive reference implementations of every ufunc method (NumPy semantics, one element at a
 * time), and array comparison with readable diffs. Requires `fast-check` (v4) to be installed.
 *
 * @example
 * import fc from 'fast-check';
 * import { vectorize } from 'numbats';
 * import { assertArraysEqual, broadcastArraysArb, refCall } from 'numbats/testing';
 *
 * const add = vectorize((a: number, b: number) => a + b);
 * fc.assert(
 *   fc.property(broadcastArraysArb(2, { dtype: 'int16' }), ([a, b]) => {
 *     assertArraysEqual(add(a, b), refCall((x, y) => x + y, [a, b], { outDtype: 'int16' }));
 *   }),
 * );
 */
export {
  type AxisOptions,
  axesArb,
  axisArb,
  type BroadcastArraysOptions,
  broadcastArraysArb,
  broadcastShapesArb,
  type DTypeOptions,
  describeArray,
  dtypeArb,
  type NdarrayOptions,
  ndarrayArb,
  reduceatIndicesArb,
  type ShapeOptions,
  shapeArb,
  type ValueOptions,
  type ViewOptions,
  valueArb,
} from './arbitraries.js';
export {
  assertArraysClose,
  assertArraysEqual,
  type CloseOptions,
  type Comparable,
  compareArrays,
} from './assert.js';
export {
  allIndices,
  broadcastIndex,
  broadcastShapeOf,
  castTo,
  copyOf,
  dtypeOfArray,
  elementOffset,
  forEachIndex,
  fromValues,
  getAt,
  setAt,
  shapeSize,
  toNestedValues,
  valuesOf,
  zerosOf,
} from './nd.js';
export {
  type RefAtIndices,
  type RefAtOptions,
  type RefAxisOptions,
  type RefCallOptions,
  type RefFn,
  type RefInput,
  type RefOuterOptions,
  type RefReduceOptions,
  refAccumulate,
  refAstype,
  refAt,
  refCall,
  refOuter,
  refReduce,
  refReduceat,
} from './reference.js';
