/**
 * Validation of a jitclass definition, before anything is compiled: field names and
 * dtypes from the spec, member names from the class. Every name must be a plain
 * identifier and must not clash with another name or with the API of the class and its
 * record arrays. Generated code never contains these names (columns are `c0, c1, …`),
 * but validating them keeps records predictable (no field called `__proto__` or `get`).
 */
import { checkDType, type DType, describe } from '../core/dtypes.js';

/** A field of the spec and the column that stores it. */
export interface FieldInfo {
  readonly name: string;
  readonly dtype: DType;
  /** Index of the field's column (spec order); generated code calls it `c<col>`. */
  readonly col: number;
}

/** A member of the user's class: a method, or a getter and/or setter. */
export interface MemberInfo {
  readonly name: string;
  readonly method?: Function;
  readonly get?: Function;
  readonly set?: Function;
  /** The class whose prototype declares the member (its source locates errors). */
  readonly owner: Function;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Names used by the jitclass API (statics and record-array methods) or by JS itself. */
const API_NAMES: ReadonlySet<string> = new Set([
  'array',
  'fromObjects',
  'inspect',
  'spec',
  'fields',
  'methods',
  'get',
  'set',
  'field',
  'call',
  'length',
  'toObjects',
  'constructor',
  'prototype',
  '__proto__',
]);

/**
 * Names a field may not take on top of the API names: a numeric `toString`, `valueOf` or
 * `toJSON` would break how JS converts and serialises records. Methods may override them.
 */
const OBJECT_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'toJSON',
]);

function checkName(name: string, what: string): void {
  if (!IDENTIFIER.test(name)) {
    throw new TypeError(`jitclass ${what} name ${describe(name)} is not a plain identifier`);
  }
  if (API_NAMES.has(name)) {
    throw new TypeError(
      `jitclass ${what} name '${name}' clashes with the jitclass API (${[...API_NAMES].join(', ')})`,
    );
  }
}

/** Checks a spec and returns its fields in order; throws TypeError on any problem. */
export function checkSpec(spec: unknown): FieldInfo[] {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new TypeError(
      `jitclass spec must be an object mapping field names to dtypes; got ${describe(spec)}`,
    );
  }
  if (Object.getOwnPropertySymbols(spec).length > 0) {
    throw new TypeError('jitclass field names must be strings, not symbols');
  }
  const names = Object.keys(spec);
  if (names.length === 0) throw new TypeError('jitclass spec must declare at least one field');
  return names.map((name, col) => {
    checkName(name, 'field');
    if (OBJECT_NAMES.has(name)) {
      throw new TypeError(`jitclass field name '${name}' would shadow Object.prototype.${name}`);
    }
    const dtype = checkDType((spec as Record<string, unknown>)[name], `dtype of field '${name}'`);
    return { name, dtype, col };
  });
}

/**
 * The methods and accessors of a class, walking its prototype chain up to (not including)
 * Object.prototype; a subclass's member hides its parent's. Symbol-keyed members are kept
 * on the prototype but are not compiled or checked.
 */
export function collectMembers(cls: Function, fields: readonly FieldInfo[]): MemberInfo[] {
  const fieldNames = new Set(fields.map((f) => f.name));
  const seen = new Set<string>();
  const members: MemberInfo[] = [];
  for (
    let proto = cls.prototype as object | null;
    proto !== null && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || seen.has(name)) continue;
      seen.add(name);
      checkName(name, 'method');
      if (fieldNames.has(name)) {
        throw new TypeError(`jitclass name '${name}' is both a field and a class member`);
      }
      const d = Object.getOwnPropertyDescriptor(proto, name)!;
      const owner = Object.hasOwn(proto, 'constructor')
        ? ((proto as { constructor: Function }).constructor ?? cls)
        : cls;
      if (typeof d.value === 'function') members.push({ name, method: d.value, owner });
      else if (d.get || d.set) members.push({ name, get: d.get, set: d.set, owner });
      else {
        throw new TypeError(
          `jitclass prototype property '${name}' is not a method or accessor (put data in the spec)`,
        );
      }
    }
  }
  return members;
}
