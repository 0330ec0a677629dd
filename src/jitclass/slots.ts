/**
 * The hidden slots of a record, keyed by symbols so they never collide with a field or a
 * method: its columns, its index in them, and (on the prototype) its class model.
 */
import type { TypedArray } from '../core/dtypes.js';
import type { ClassModel } from './model.js';

export const COLUMNS: unique symbol = Symbol('numbats.jitclass.columns');
export const INDEX: unique symbol = Symbol('numbats.jitclass.index');
export const MODEL: unique symbol = Symbol('numbats.jitclass.model');

export interface RecordSlots {
  [COLUMNS]: TypedArray[];
  [INDEX]: number;
  readonly [MODEL]: ClassModel;
}

/** True for a record (standalone or view) of any jitclass. */
export function isRecord(x: unknown): x is RecordSlots {
  return x !== null && typeof x === 'object' && COLUMNS in x;
}
