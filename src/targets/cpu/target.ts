/**
 * The `cpu` target as the registry sees it: the reference target, running every kind's
 * loops on the calling thread (the loops are built by `./loops.ts` and by each kind's own
 * generator until they share one loop IR).
 */
export const cpuTarget = {
  name: 'cpu',
  kinds: { vectorize: true, guvectorize: true, stencil: true, jitclass: true },
  // The call runs on the calling thread, after the current one.
  runAsync: <T>(call: () => T): Promise<T> => Promise.resolve().then(call),
  boundscheck: true,
  callsFunctions: true,
} as const;
