/**
 * The record class: instances are sealed objects holding a reference to their columns and
 * their index in them; every field is an accessor on the class prototype that reads or
 * writes `columns[col][index]`. A standalone record (`new Particle({...})`) owns columns
 * of length 1; a view from a record array points into the array's columns, so its writes
 * go through. The user's class prototype sits behind, so its methods, getters and setters
 * run on records unchanged, with `this` being the record.
 */
import type { TypedArray } from '../core/dtypes.js';
import type { ClassModel } from './model.js';
import { COLUMNS, INDEX, MODEL, type RecordSlots } from './slots.js';
import { allocColumns, readRecord, toStored, writeRecord } from './storage.js';

/** Constructor token for views; user code cannot produce it. */
const VIEW: unique symbol = Symbol('numbats.jitclass.view');

export interface RecordClass {
  /** The constructor users call. */
  readonly ctor: new (
    init?: unknown,
  ) => RecordSlots;
  /** A view of record `index` of `columns`. */
  view(columns: TypedArray[], index: number): RecordSlots;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export function makeRecordClass(model: ClassModel): RecordClass {
  const { fields } = model;
  class Rec {
    declare [COLUMNS]: TypedArray[];
    declare [INDEX]: number;
    declare readonly [MODEL]: ClassModel;
    constructor(init?: unknown, columns?: TypedArray[], index?: number) {
      if (init === VIEW) {
        this[COLUMNS] = columns!;
        this[INDEX] = index!;
      } else {
        const cols = allocColumns(fields, 1, false);
        // Checked before anything is stored, so a bad init leaves no half-built record.
        if (init !== undefined) writeRecord(model, cols, 0, init);
        this[COLUMNS] = cols;
        this[INDEX] = 0;
      }
      // Sealed: assigning a name that is not a field throws in strict code instead of
      // silently adding a property that the typed storage would never see.
      Object.seal(this);
    }
  }
  Object.defineProperty(Rec, 'name', { value: model.name });
  const proto = Rec.prototype as object;
  // Lets other code recognise a record and read its fields (they are not own properties).
  Object.defineProperty(proto, MODEL, { value: model });
  for (const f of fields) {
    const { col } = f;
    const isBool = f.dtype === 'bool';
    Object.defineProperty(proto, f.name, {
      enumerable: true,
      configurable: false,
      get: isBool
        ? function (this: RecordSlots) {
            return this[COLUMNS][col][this[INDEX]] !== 0;
          }
        : function (this: RecordSlots) {
            return this[COLUMNS][col][this[INDEX]];
          },
      set(this: RecordSlots, v: unknown) {
        this[COLUMNS][col][this[INDEX]] = toStored(v, f, model.name);
      },
    });
  }
  const user = model.userClass.prototype as object;
  // JSON and Node's console show the fields (they are accessors, not own properties),
  // unless the user's class defines its own conversions.
  if (!('toJSON' in user)) {
    Object.defineProperty(proto, 'toJSON', {
      value(this: RecordSlots) {
        return readRecord(model, this[COLUMNS], this[INDEX]);
      },
    });
  }
  if (!(INSPECT in user)) {
    const Shown = { [model.name]: class {} }[model.name];
    Object.defineProperty(proto, INSPECT, {
      value(this: RecordSlots) {
        return Object.assign(new Shown(), readRecord(model, this[COLUMNS], this[INDEX]));
      },
    });
  }
  Object.setPrototypeOf(proto, user);
  return {
    ctor: Rec as new (init?: unknown) => RecordSlots,
    view: (columns, index) =>
      new (Rec as new (t: symbol, c: TypedArray[], i: number) => RecordSlots)(VIEW, columns, index),
  };
}
