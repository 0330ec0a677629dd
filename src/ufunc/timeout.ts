/**
 * The per-call `timeout` option of the `parallel` target. It is taken out of the call's
 * options here, before the method's own option checks, so every method supports it the
 * same way: the options are copied once (each value read once), `timeout` is checked and
 * removed, and the method runs on the copy with the timeout in force for the jobs it posts.
 */

import { isOptionsObject } from '../core/call-args.js';
import { snapshotOptions } from '../core/guard.js';
import { type TargetName, targetFor } from '../targets/registry.js';

/**
 * Runs `run(args)`, where `args[at]` may be the call's options object: with a `timeout`
 * in it, the call runs with that limit (and the options without it).
 */
export function withTimeoutOption<T>(
  name: string,
  target: TargetName,
  args: readonly unknown[],
  at: number,
  run: (args: unknown[]) => T,
): T {
  const o = args[at];
  if (args.length !== at + 1 || !isOptionsObject(o)) return run(args.slice());
  const snap = snapshotOptions(o as object, name);
  if (!('timeout' in snap)) return run([...args.slice(0, at), snap]);
  const t = snap.timeout;
  delete snap.timeout;
  const { withTimeout } = targetFor(target);
  if (!withTimeout) {
    throw new TypeError(
      `${name}: timeout is an option of the 'parallel' target (a ${target} call runs on the calling thread and cannot be stopped)`,
    );
  }
  return withTimeout(t, `${name}: timeout`, () => run([...args.slice(0, at), snap]));
}
