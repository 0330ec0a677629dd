/** Methods the compiler cannot lower: CompileErrors naming the construct, member and line. */
import { describe, expect, it } from 'vitest';
import { CompileError, jitclass } from '../../src/index.js';
import { expectError } from '../support.js';

const outside = 3;

class Methods {
  declare x: number;
  ok() {
    this.x = 1;
  }
  label() {
    const s = 'text';
    return s;
  }
  self() {
    return this === undefined ? 0 : 1;
  }
  unknownRead() {
    return (this as any).z;
  }
  unknownWrite() {
    (this as any).z = 1;
  }
  uncalled() {
    return this.ok;
  }
  fact(k: number): number {
    return k <= 1 ? 1 : k * this.fact(k - 1);
  }
  ping(k: number): number {
    return k > 0 ? this.pong(k - 1) : 0;
  }
  pong(k: number): number {
    return this.ping(k);
  }
  free() {
    return outside * 2;
  }
  voidValue() {
    const r = this.ok();
    return r;
  }
  fallsOff(k: number) {
    if (k > 0) return 1;
  }
  pair() {
    return [1, 2];
  }
  arity() {
    (this as any).fact();
  }
  setGetter() {
    (this as any).g = 2;
  }
  readSetter() {
    return (this as any).s;
  }
  callField() {
    return (this as any).x();
  }
  computed() {
    return this['x'];
  }
  defaults(a = 1) {
    return a;
  }
  get g() {
    return this.x;
  }
  set s(v: number) {
    this.x = v;
  }
}
// `(this as any)` lets the invalid members compile as TypeScript; the cast is erased.
const Bad = jitclass({ x: 'float64' }, Methods);
const classSource = Function.prototype.toString.call(Methods).split('\n');
/** 1-based line of the class source containing `text`. */
const lineOf = (text: string) => classSource.findIndex((l) => l.includes(text)) + 1;

/** Methods taking an argument, and the one `.call` gives them. */
const ARGS: Record<string, number[]> = { fact: [3], ping: [3], pong: [3], fallsOff: [1] };

const compileError = (method: string, message: RegExp) => {
  const args = ARGS[method] ?? [];
  const rs = Bad.array(2) as unknown as { call(m: string, ...a: number[]): unknown };
  const e = expectError(() => rs.call(method, ...args), CompileError, message);
  return e as CompileError;
};

describe('jitclass compile errors', () => {
  it('names the construct, the method and its line in the class source', () => {
    const e = compileError('label', /^Methods\.label: unsupported literal string/);
    expect(e.line).toBe(lineOf("const s = 'text'") || lineOf('const s = "text"'));
    expect(e.line).toBeGreaterThan(1);
    expect(e.message).toContain(`(line ${e.line}, column `);
  });

  it('compiles lazily, per method: other methods still run', () => {
    const rs = Bad.array(2);
    rs.call('ok');
    expect(rs.get(0).x).toBe(1);
    // The broken method fails again on every call (nothing half-cached).
    compileError('label', /unsupported literal/);
    compileError('label', /unsupported literal/);
  });

  it.each([
    ['self', /'this' can only be used as this.<field>/],
    ['unknownRead', /'z' is not a field, getter or method of Methods \(fields: x\)/],
    ['unknownWrite', /cannot assign to 'this.z': Methods has no field 'z'/],
    ['uncalled', /method 'ok' must be called: this.ok\(…\)/],
    ['fact', /Methods.fact calls itself: recursion is not supported/],
    ['ping', /Methods.ping calls itself/],
    ['free', /'outside' is not defined in the method.*'constants' option/],
    ['voidValue', /'this.ok\(…\)' returns nothing: its value cannot be used/],
    ['fallsOff', /can reach its end without one; end it with a return/],
    ['pair', /returns one number, not an array/],
    ['arity', /Methods.fact takes 1 argument\(s\), got 0/],
    ['setGetter', /cannot assign to 'this.g': it is a getter/],
    ['readSetter', /'s' has a setter but no getter/],
    ['callField', /'this.x' is a field, not a method/],
    ['computed', /computed or private member access on 'this'/],
    ['defaults', /unsupported parameter/],
    ['pong', /Methods.pong calls itself/],
  ])('%s', (method, message) => {
    const e = compileError(method, message);
    expect(e.message.startsWith('Methods.')).toBe(true);
  });

  it('locates errors inside called members at their own line', () => {
    const e = compileError('ping', /calls itself/);
    expect(e.line).toBe(lineOf('return this.ping(k)'));
    const free = compileError('free', /outside/);
    expect(free.line).toBe(lineOf('return outside * 2'));
    // Errors found while parsing the member (here its parameter list) are moved too.
    const params = compileError('defaults', /unsupported parameter/);
    expect(params.line).toBe(lineOf('defaults(a = 1)'));
  });
});
