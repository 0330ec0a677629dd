/**
 * The checked description of one jitclass that every other part works from: its fields
 * (with column numbers), its members, and the constants its compiled methods may read.
 */
import { checkKernelFunctions, type KernelFunctions } from '../compiler/callable.js';
import { type Constants, checkConstants } from '../compiler/infer.js';
import { describe } from '../core/dtypes.js';
import { snapshotOptions } from '../core/guard.js';
import { checkOptionKeys } from '../core/option-keys.js';
import { checkTarget, type TargetOf, targetFor } from '../targets/registry.js';
import { checkClassBody } from './class-source.js';
import { checkSpec, collectMembers, type FieldInfo, type MemberInfo } from './spec.js';

export interface ClassModel {
  /** The class name used in messages (the user's class name, or `JitRecord`). */
  readonly name: string;
  readonly fields: readonly FieldInfo[];
  readonly fieldByName: ReadonlyMap<string, FieldInfo>;
  readonly members: ReadonlyMap<string, MemberInfo>;
  /** Names of the plain methods (what `.call` runs), in declaration order. */
  readonly methodNames: readonly string[];
  readonly constants: Constants;
  /** jit functions and ufuncs compiled methods call by name. */
  readonly functions: KernelFunctions;
  readonly userClass: Function;
  /** Where `.call` runs. */
  readonly target: TargetOf<'jitclass'>;
}

/** Validates everything about a definition; nothing is compiled yet. */
const JITCLASS_OPTION_KEYS: ReadonlySet<string> = new Set(['constants', 'target', 'functions']);

export function buildModel(spec: unknown, cls: unknown, options: unknown): ClassModel {
  const fields = checkSpec(spec);
  if (typeof cls !== 'function' || cls.prototype === null || typeof cls.prototype !== 'object') {
    throw new TypeError(`jitclass expects a class as its second argument; got ${describe(cls)}`);
  }
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(`jitclass options must be an object; got ${describe(options)}`);
  }
  // Each option is read once, from a copy: a getter cannot pass a check and then change.
  if (options !== undefined) {
    options = snapshotOptions(options as object, 'jitclass');
    checkOptionKeys(options as object, JITCLASS_OPTION_KEYS, 'jitclass');
  }
  const name = cls.name && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(cls.name) ? cls.name : 'JitRecord';
  checkClassBody(cls, name);
  const members = collectMembers(cls, fields);
  const constants = checkConstants((options as { constants?: unknown } | undefined)?.constants);
  const target = checkTarget((options as { target?: unknown } | undefined)?.target, 'jitclass');
  const functions = checkKernelFunctions(
    (options as { functions?: unknown } | undefined)?.functions,
    targetFor(target),
    name,
  );
  return {
    name,
    fields,
    fieldByName: new Map(fields.map((f) => [f.name, f])),
    members: new Map(members.map((m) => [m.name, m])),
    methodNames: members.filter((m) => m.method).map((m) => m.name),
    constants,
    functions,
    userClass: cls,
    target,
  };
}

/** "x, y, vx" — for messages that list what exists. */
export function fieldList(model: ClassModel): string {
  return model.fields.map((f) => f.name).join(', ');
}
