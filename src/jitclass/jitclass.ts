/**
 * `jitclass(spec, class { … })`: typed record classes whose methods also run over
 * struct-of-arrays storage in one compiled loop (`Particle.array(n).call('step', dt)`).
 */
import type { AllocOptions } from '../core/array.js';
import { describe } from '../core/dtypes.js';
import { ClassCompiler } from './compiler.js';
import { buildModel } from './model.js';
import { makeRecordClass } from './record.js';
import { type ClassRuntime, RecordArrayImpl } from './record-array.js';
import { checkSpec } from './spec.js';
import { allocColumns, checkInit, writeRecord } from './storage.js';
import type { AnyClass, FieldSpec, FieldValues, JitClass, JitclassOptions } from './types.js';

function checkLength(n: unknown): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new TypeError(`record count must be a non-negative integer; got ${describe(n)}`);
  }
  return n;
}

function checkAlloc(options: unknown): boolean {
  if (options === undefined) return false;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(
      `allocation options must be an object like { shared: true }; got ${describe(options)}`,
    );
  }
  return (options as AllocOptions).shared === true;
}

/**
 * Defines a record class from a field spec and a class of methods.
 *
 * Instances (`new Particle({ x: 1 })`) are sealed objects over typed storage: each field
 * is an accessor whose writes convert like a TypedArray of the field's dtype (int32
 * wraps, float32 rounds, `bool` stores 0/1 and reads back as `true`/`false`); a
 * non-numeric value is a TypeError, and so is assigning a name that is not a field (in
 * strict-mode code, which every module and class is). The class's methods, getters and
 * setters run on instances as written.
 *
 * `Particle.array(n)` stores `n` records as one column per field; `.call('step', dt)` runs
 * a method over all of them in one compiled loop, `this.x` becoming a column access.
 * A method the compiler cannot lower is a CompileError naming the construct and its line
 * in the class source, thrown by the first `.call` (or `inspect`) of that method.
 *
 * @param spec field names mapped to dtypes; names must be identifiers and must not clash
 *   with the class's members or the jitclass API (`array`, `get`, `call`, `length`, …).
 * @param cls the methods, as a class without constructor or instance fields. For typed
 *   `this` in TypeScript, extend {@link Fields}: `class extends Fields(spec) { … }`.
 * @param options `constants` compiled methods may read by name.
 *
 * @example
 * const spec = { x: 'float64', vx: 'float64' } as const;
 * const P = jitclass(spec, class extends Fields(spec) {
 *   step(dt: number) { this.x += this.vx * dt; }
 * });
 * const ps = P.array(1000, { vx: 1 });
 * ps.call('step', 0.5);   // every x is now 0.5
 */
export function jitclass<const S extends FieldSpec, C extends AnyClass>(
  spec: S,
  cls: C,
  options?: JitclassOptions,
): JitClass<S, C> {
  const model = buildModel(spec, cls, options);
  const records = makeRecordClass(model);
  const rt: ClassRuntime = { model, records, compiler: new ClassCompiler(model) };
  const statics = {
    spec: Object.freeze(Object.fromEntries(model.fields.map((f) => [f.name, f.dtype]))),
    fields: Object.freeze(model.fields.map((f) => f.name)),
    methods: Object.freeze(model.methodNames.slice()),
    array(n: unknown, init?: unknown, opts?: unknown) {
      const len = checkLength(n);
      const cols = allocColumns(model.fields, len, checkAlloc(opts));
      if (typeof init === 'function') {
        for (let i = 0; i < len; i++) writeRecord(model, cols, i, init(i));
      } else if (init !== undefined) {
        // The same values for every record: checked once, then each column filled.
        for (const [f, v] of checkInit(model, init)) cols[f.col].fill(v);
      }
      return new RecordArrayImpl(rt, cols, len);
    },
    fromObjects(objects: unknown, opts?: unknown) {
      if (objects === null || typeof objects !== 'object' || !(Symbol.iterator in objects)) {
        throw new TypeError(`fromObjects expects an iterable of objects; got ${describe(objects)}`);
      }
      const list = Array.from(objects as Iterable<unknown>);
      const cols = allocColumns(model.fields, list.length, checkAlloc(opts));
      for (let i = 0; i < list.length; i++) writeRecord(model, cols, i, list[i]);
      return new RecordArrayImpl(rt, cols, list.length);
    },
    inspect(method: unknown, ...args: unknown[]) {
      const call = rt.compiler.prepare(method, args).call;
      return rt.compiler.describe(call);
    },
  };
  for (const [k, v] of Object.entries(statics)) {
    Object.defineProperty(records.ctor, k, { value: v, enumerable: false, writable: false });
  }
  return records.ctor as unknown as JitClass<S, C>;
}

/** The base all `Fields(spec)` classes share: empty, it only gives `this` its field types. */
class FieldsBase {}

/**
 * A base class that types `this` in a jitclass body: `class extends Fields(spec) { … }`
 * sees `this.x` as a number (a boolean for `bool` fields). It adds nothing at run time.
 */
export function Fields<const S extends FieldSpec>(spec: S): new () => FieldValues<S> {
  checkSpec(spec);
  return FieldsBase as new () => FieldValues<S>;
}
