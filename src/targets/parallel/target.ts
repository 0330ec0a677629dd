/**
 * The `parallel` target as the registry sees it: the `cpu` loops, split into chunks over
 * the worker pool (`./pool.ts`), for every kind.
 */
export const parallelTarget = {
  name: 'parallel',
  kinds: { vectorize: true, guvectorize: true, stencil: true, jitclass: true },
} as const;
