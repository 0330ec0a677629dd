/**
 * Struct-of-arrays records: one TypedArray column per field, record views that read and
 * write through to them, zero-copy ndarray columns, and `.call` running a compiled method
 * over every record in one loop.
 */
import { type NdArray, wrap, zeros } from '../core/array.js';
import { describe, type TypedArray } from '../core/dtypes.js';
import { IndexError } from '../core/errors.js';
import { SpecCache } from '../core/spec-cache.js';
import { targetFor } from '../targets/registry.js';
import type { ClassCompiler, CompiledCall, RecordLoop } from './compiler.js';
import { type ClassModel, fieldList } from './model.js';
import type { RecordClass } from './record.js';
import { readRecord, writeRecord } from './storage.js';

/** What every record array of one class shares. */
export interface ClassRuntime {
  readonly model: ClassModel;
  readonly records: RecordClass;
  readonly compiler: ClassCompiler;
}

export class RecordArrayImpl {
  readonly length: number;
  readonly #rt: ClassRuntime;
  readonly #cols: TypedArray[];
  /** Loops instantiated over this array's columns, per compiled call. */
  readonly #loops = new SpecCache<CompiledCall, RecordLoop>();

  constructor(rt: ClassRuntime, columns: TypedArray[], length: number) {
    this.#rt = rt;
    this.#cols = columns;
    this.length = length;
    Object.freeze(this);
  }

  #index(index: unknown): number {
    if (typeof index !== 'number' || !Number.isInteger(index)) {
      throw new TypeError(`record index must be an integer; got ${describe(index)}`);
    }
    const i = index < 0 ? index + this.length : index;
    if (i < 0 || i >= this.length) {
      throw new IndexError(`index ${index} is out of bounds for axis 0 with size ${this.length}`);
    }
    return i;
  }

  get(index: number): object {
    return this.#rt.records.view(this.#cols, this.#index(index));
  }

  set(index: number, values: unknown): void {
    writeRecord(this.#rt.model, this.#cols, this.#index(index), values);
  }

  *[Symbol.iterator](): IterableIterator<object> {
    for (let i = 0; i < this.length; i++) yield this.#rt.records.view(this.#cols, i);
  }

  field(name: unknown): NdArray {
    const model = this.#rt.model;
    const f = typeof name === 'string' ? model.fieldByName.get(name) : undefined;
    if (!f) {
      throw new TypeError(
        `${model.name} has no field ${describe(name)} (fields: ${fieldList(model)})`,
      );
    }
    return wrap(this.#cols[f.col], [this.length]);
  }

  call(method: unknown, ...args: unknown[]): NdArray | undefined {
    const { call, values } = this.#rt.compiler.prepare(method, args);
    const { model } = this.#rt;
    const target = targetFor(model.target);
    if (target.workersFor?.(model, model.name, this.length)) {
      const out =
        call.outType === undefined
          ? undefined
          : zeros([this.length], call.outType, { shared: true });
      const R = out?.data as TypedArray | undefined;
      if (target.runRecords?.(call, this.#cols, this.length, values, R)) return out;
    }
    const loop = this.#loops.get(call, () => call.instantiate(this.#cols));
    if (call.outType === undefined) {
      loop(this.length, ...values);
      return undefined;
    }
    const out = zeros([this.length], call.outType);
    loop(this.length, ...values, out.data as TypedArray);
    return out;
  }

  toObjects(): Record<string, number | boolean>[] {
    const out = new Array<Record<string, number | boolean>>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = readRecord(this.#rt.model, this.#cols, i);
    return out;
  }

  get [Symbol.toStringTag](): string {
    return `${this.#rt.model.name}Array`;
  }
}
