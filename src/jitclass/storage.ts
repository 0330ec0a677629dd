/**
 * Struct-of-arrays storage: one TypedArray column per field, and the checked writes that
 * every path outside compiled code goes through (accessors, initial values, `set`).
 * A write stores like a TypedArray of the field's dtype (int32 wraps, uint8_clamped
 * clamps, float32 rounds); `bool` stores 0/1 with NumPy's truth (any non-zero number,
 * NaN included, is true). Anything but a number or boolean is a TypeError.
 */
import { allocData } from '../core/array.js';
import { describe, type TypedArray } from '../core/dtypes.js';
import { type ClassModel, fieldList } from './model.js';
import { COLUMNS, INDEX, isRecord, MODEL } from './slots.js';
import type { FieldInfo } from './spec.js';

/** Allocates zero-filled columns for `n` records. */
export function allocColumns(
  fields: readonly FieldInfo[],
  n: number,
  shared: boolean,
): TypedArray[] {
  return fields.map((f) => allocData(f.dtype, n, shared));
}

/** The number to store for `v` in field `f`; throws TypeError for non-numeric values. */
export function toStored(v: unknown, f: FieldInfo, className: string): number {
  if (typeof v === 'number') return f.dtype === 'bool' ? (v !== 0 ? 1 : 0) : v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new TypeError(`${className}.${f.name} must be a number or boolean; got ${describe(v)}`);
}

/**
 * The fields an init object gives, checked: it must be a plain object whose own keys are
 * fields (or a record, of this class or one with the same field names), each with a
 * numeric or boolean value. Returns [field, stored value] pairs.
 */
export function checkInit(model: ClassModel, init: unknown): [FieldInfo, number][] {
  // A record's fields are accessors on its prototype, not own keys: read them out first.
  if (isRecord(init)) init = readRecord(init[MODEL], init[COLUMNS], init[INDEX]);
  if (init === null || typeof init !== 'object' || Array.isArray(init)) {
    throw new TypeError(
      `${model.name} initial values must be an object of field values; got ${describe(init)}`,
    );
  }
  const out: [FieldInfo, number][] = [];
  for (const key of Object.keys(init)) {
    const f = model.fieldByName.get(key);
    if (!f) {
      throw new TypeError(
        `${model.name} has no field ${describe(key)} (fields: ${fieldList(model)})`,
      );
    }
    out.push([f, toStored((init as Record<string, unknown>)[key], f, model.name)]);
  }
  return out;
}

/** Writes an init object into record `i` of `cols`. */
export function writeRecord(
  model: ClassModel,
  cols: readonly TypedArray[],
  i: number,
  init: unknown,
): void {
  for (const [f, v] of checkInit(model, init)) cols[f.col][i] = v;
}

/** Record `i` as a plain object (bool fields as booleans). */
export function readRecord(
  model: ClassModel,
  cols: readonly TypedArray[],
  i: number,
): Record<string, number | boolean> {
  const o: Record<string, number | boolean> = {};
  for (const f of model.fields) {
    const v = cols[f.col][i];
    o[f.name] = f.dtype === 'bool' ? v !== 0 : v;
  }
  return o;
}
