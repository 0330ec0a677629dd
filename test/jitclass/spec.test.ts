/** Definition-time checks: the spec and the class are validated before anything compiles. */
import { describe, expect, it } from 'vitest';
import { DTYPES, Fields, jitclass } from '../../src/index.js';
import { expectError } from '../support.js';

const define = (spec: unknown, cls: unknown = class {}, options?: unknown) =>
  jitclass(spec as never, cls as never, options as never);

describe('jitclass spec validation', () => {
  it('rejects a spec that is not an object of fields', () => {
    expectError(() => define(null), TypeError, /spec must be an object mapping field names/);
    expectError(() => define([1]), TypeError, /spec must be an object/);
    expectError(() => define({}), TypeError, /at least one field/);
    expectError(() => define({ [Symbol('s')]: 'int8', a: 'int8' }), TypeError, /not symbols/);
  });

  it('rejects unknown dtypes, listing the valid ones', () => {
    const e = expectError(() => define({ x: 'float16' }), TypeError, /field 'x'/);
    for (const d of DTYPES) expect(e.message).toContain(d);
    expectError(() => define({ x: 7 }), TypeError, /dtype of field 'x' must be one of/);
  });

  it.each([
    ['a-b'],
    ['1x'],
    [''],
    ['x y'],
    ['x]=1;//'],
    ['é'],
  ])('rejects the field name %j (not an identifier)', (name) => {
    expectError(() => define({ [name]: 'float64' }), TypeError, /not a plain identifier/);
  });

  it.each([
    'array',
    'get',
    'set',
    'field',
    'call',
    'length',
    'constructor',
    'prototype',
    'toObjects',
    'fromObjects',
    'inspect',
    '__proto__',
  ])('rejects the API name %s as a field and as a method', (name) => {
    // JSON.parse makes an own "__proto__" key, which an object literal cannot.
    const spec = JSON.parse(`{"${name}": "int32"}`);
    expectError(() => define(spec), TypeError, /clashes with the jitclass API/);
    if (name === 'constructor') return; // a class's constructor is not a method
    const cls = class {};
    Object.defineProperty(cls.prototype, name, { value() {} });
    expectError(() => define({ x: 'int8' }, cls), TypeError, /clashes with the jitclass API/);
  });

  it('keeps fields clear of Object.prototype names, but lets methods override them', () => {
    expectError(() => define({ toString: 'int8' }), TypeError, /shadow Object.prototype.toString/);
    expectError(() => define({ toJSON: 'int8' }), TypeError, /shadow/);
    const P = define(
      { x: 'int8' },
      class {
        toString() {
          return 'P';
        }
      },
    );
    expect(String(new P())).toBe('P');
  });

  it('rejects a field and a member with the same name', () => {
    const cls = class {
      x() {
        return 1;
      }
    };
    expectError(() => define({ x: 'float64' }, cls), TypeError, /'x' is both a field and/);
    const acc = class {
      get y() {
        return 1;
      }
    };
    expectError(() => define({ y: 'float64' }, acc), TypeError, /'y' is both a field/);
  });

  it('rejects member names that are not identifiers', () => {
    const cls = class {
      'a b'() {
        return 1;
      }
    };
    expectError(() => define({ x: 'float64' }, cls), TypeError, /"a b" is not a plain identifier/);
  });

  it('rejects classes with a constructor or instance fields', () => {
    class WithCtor {
      declare x: number;
      constructor() {
        this.x = 1;
      }
    }
    expectError(() => define({ y: 'float64' }, WithCtor), TypeError, /remove the constructor/);
    const withField = new Function('return class { cache = 1; m() { return 1; } }')();
    expectError(() => define({ y: 'float64' }, withField), TypeError, /instance field 'cache'/);
    const privateField = new Function('return class { #p = 1; }')();
    expectError(() => define({ y: 'float64' }, privateField), TypeError, /instance field '#p'/);
    // Static members are fine: they stay on the user's class.
    const withStatic = new Function('return class { static g = 9.81; }')();
    expect(() => define({ y: 'float64' }, withStatic)).not.toThrow();
  });

  it('rejects a second argument that is not a class, and bad options', () => {
    expectError(() => define({ x: 'int8' }, 42), TypeError, /expects a class/);
    expectError(() => define({ x: 'int8' }, () => 1), TypeError, /expects a class/);
    expectError(() => define({ x: 'int8' }, class {}, 3), TypeError, /options must be an object/);
    expectError(
      () => define({ x: 'int8' }, class {}, { constants: { g: 'x' } }),
      TypeError,
      /constants.g must be a number or boolean/,
    );
  });

  it('validates the spec before looking at the class', () => {
    // The class is not even a function: the spec error comes first.
    expectError(() => define({ 'bad name': 'int8' }, 42), TypeError, /not a plain identifier/);
  });

  it('Fields(spec) validates its spec too', () => {
    expectError(() => Fields({ x: 'int64' } as never), TypeError, /must be one of/);
  });

  it('exposes the spec, fields and methods', () => {
    const spec = { a: 'int8', b: 'bool' } as const;
    const R = jitclass(
      spec,
      class extends Fields(spec) {
        m() {
          return this.a;
        }
        get g() {
          return 1;
        }
      },
    );
    expect(R.spec).toEqual({ a: 'int8', b: 'bool' });
    expect(Object.isFrozen(R.spec)).toBe(true);
    expect(R.fields).toEqual(['a', 'b']);
    expect(R.methods).toEqual(['m']);
  });
});
