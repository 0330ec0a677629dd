/** `jitclass`: typed record classes whose methods run over struct-of-arrays storage in one compiled loop. */
export { Fields, jitclass } from './jitclass.js';
export type {
  AnyClass,
  ArrayInit,
  CallResult,
  FieldInit,
  FieldSpec,
  FieldValue,
  FieldValues,
  Instance,
  JitClass,
  JitclassOptions,
  MethodArgs,
  MethodNames,
  PlainRecord,
  RecordArray,
} from './types.js';
