/**
 * What the jitclass kind hands a target for `.call`: a compiled method as the body of a loop
 * factory over the class's columns. Targets import this type; the kind produces it.
 */

/** The body of a factory `(H, C) => loop(n, ...args[, R])` over columns `C` (jitclass/emit.ts). */
export interface RecordLoopSource {
  readonly source: string;
}
