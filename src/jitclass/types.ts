/**
 * Public types of `jitclass`: how a spec (field name → dtype) and the user's class become
 * the typed record class, its instances and its struct-of-arrays containers.
 */
import type { AllocOptions, NdArray } from '../core/array.js';
import type { DType } from '../core/dtypes.js';
import type { TargetOf } from '../targets/registry.js';

/** Field names mapped to dtypes, e.g. `{ x: 'float64', alive: 'bool' }`. */
export type FieldSpec = Readonly<Record<string, DType>>;

/** The JS type a field reads as: `boolean` for `bool` fields, `number` otherwise. */
export type FieldValue<D extends DType> = D extends 'bool' ? boolean : number;

/** The fields of a record, typed from its spec (what `this` holds inside methods). */
export type FieldValues<S extends FieldSpec> = { -readonly [K in keyof S]: FieldValue<S[K]> };

/** Initial values for some fields (others start at 0 / `false`); any field takes a number or boolean. */
export type FieldInit<S extends FieldSpec> = { readonly [K in keyof S]?: number | boolean };

/** The plain-object form of a record (`toObjects()`): every field, bools as booleans. */
export type PlainRecord<S extends FieldSpec> = FieldValues<S>;

/** Any class (the methods, getters and setters of a jitclass come from its prototype). */
export type AnyClass = abstract new (...args: any[]) => object;

/** An instance of a jitclass: the spec's fields plus the class's methods and accessors. */
export type Instance<S extends FieldSpec, C extends AnyClass> = FieldValues<S> & InstanceType<C>;

/** Names of the methods of `C` (members whose value is a function). */
export type MethodNames<C extends AnyClass> = {
  [K in keyof InstanceType<C>]: InstanceType<C>[K] extends (...args: any[]) => any ? K : never;
}[keyof InstanceType<C>] &
  string;

type MethodOf<C extends AnyClass, K extends MethodNames<C>> = InstanceType<C>[K] extends (
  ...args: infer A
) => infer R
  ? (...args: A) => R
  : never;

/** Arguments of method `K` as `.call` takes them. */
export type MethodArgs<C extends AnyClass, K extends MethodNames<C>> = Parameters<MethodOf<C, K>>;

/** `void`, spelled so that it only appears as a return type (what a void method returns). */
type Nothing = ReturnType<() => void>;

/**
 * What `.call(K, …)` returns: `undefined` for a method that returns nothing, otherwise an
 * ndarray holding each record's result.
 */
export type CallResult<C extends AnyClass, K extends MethodNames<C>> = [
  ReturnType<MethodOf<C, K>>,
] extends [Nothing]
  ? undefined
  : NdArray;

/** How `Particle.array(n, init)` fills its records: the same values for all, or per index. */
export type ArrayInit<S extends FieldSpec> = FieldInit<S> | ((index: number) => FieldInit<S>);

/** Options of the jitclass constructor function. */
export interface JitclassOptions {
  /**
   * Values compiled methods may read by name from the enclosing scope (numbers and
   * booleans), like vectorize's `constants`. A compiled method cannot see closures otherwise.
   */
  constants?: Readonly<Record<string, number | boolean>>;
  /**
   * Where `.call` runs (default 'cpu'). 'parallel' splits the records over the worker pool
   * (arrays made with `{ shared: true }` are used in place, others are copied).
   */
  target?: TargetOf<'jitclass'>;
  /**
   * jit functions and vectorize ufuncs the kernel calls by name (on numbers), compiled into
   * its loop (no temporary arrays). `cpu` target only.
   */
  functions?: Readonly<Record<string, Function>>;
}

/**
 * A struct-of-arrays container of records: one TypedArray per field. Made by
 * `Particle.array(n)` or `Particle.fromObjects([...])`.
 */
export interface RecordArray<S extends FieldSpec, C extends AnyClass>
  extends Iterable<Instance<S, C>> {
  /** Number of records. */
  readonly length: number;
  /**
   * A record view: reads and writes go through to the columns. Negative indices count
   * from the end, as in NumPy; out-of-range indices are an `IndexError`.
   */
  get(index: number): Instance<S, C>;
  /** Writes some fields of one record (unknown fields and non-numeric values are TypeErrors). */
  set(index: number, values: FieldInit<S>): void;
  /** A zero-copy 1-D ndarray over one field's column (what vectorize and friends accept). */
  field(name: keyof S & string): NdArray;
  /**
   * Runs a method on every record in one compiled loop. Arguments are numbers or booleans
   * (numbers are typed float64, booleans bool). Returns `undefined` for a method that
   * returns nothing, otherwise a new 1-D ndarray of the results (dtype inferred from the
   * method body: a method returning a bool gives a bool array).
   */
  call<K extends MethodNames<C>>(method: K, ...args: MethodArgs<C, K>): CallResult<C, K>;
  /** Every record as a plain object (bool fields as booleans). */
  toObjects(): PlainRecord<S>[];
}

/** The class `jitclass` returns. */
export interface JitClass<S extends FieldSpec, C extends AnyClass> {
  /** A standalone record; fields missing from `init` start at 0 (`false` for bool). */
  new (init?: FieldInit<S>): Instance<S, C>;
  readonly prototype: Instance<S, C>;
  /** The class name (the user's class name, or `JitRecord` for an anonymous class). */
  readonly name: string;
  /** The field specification (a frozen copy). */
  readonly spec: Readonly<S>;
  /** Field names in spec order. */
  readonly fields: readonly (keyof S & string)[];
  /** Names of the methods `.call` can run (getters and setters are not listed). */
  readonly methods: readonly string[];
  /** `n` records, zero-filled, then filled from `init`. `{ shared: true }`: SharedArrayBuffer columns. */
  array(n: number, init?: ArrayInit<S>, options?: AllocOptions): RecordArray<S, C>;
  /** Records built from plain objects (each may give any subset of the fields). */
  fromObjects(objects: Iterable<FieldInit<S>>, options?: AllocOptions): RecordArray<S, C>;
  /**
   * The JS source `.call(method, ...args)` runs (compiling it if needed): the loop over
   * records with `this.<field>` lowered to column accesses `c<k>[i]`, preceded by a
   * comment mapping columns to fields. Argument values only select types.
   */
  inspect<K extends MethodNames<C>>(method: K, ...args: MethodArgs<C, K>): string;
}
