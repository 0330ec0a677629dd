/**
 * The gpu.js kernels made for one typed kernel, by launch key, least recently used first.
 * gpu.js kernels hold textures and compiled programs, so each typed kernel keeps only a few
 * and destroys the rest.
 */
import type { GpuJs } from './backend.js';

const caches = new WeakMap<object, Map<string, GpuJs>>();

/** The settings every numbats kernel is built with (float32 everywhere, long loops allowed). */
export const KERNEL_SETTINGS = {
  loopMaxIterations: 1 << 20,
  precision: 'single',
  tactic: 'precision',
} as const;

/** The kernel for `key` under `owner`, made by `create` on a miss; keeps at most `limit`. */
export function cachedKernel(
  owner: object,
  key: string,
  limit: number,
  create: () => GpuJs,
): GpuJs {
  let m = caches.get(owner);
  if (!m) {
    m = new Map();
    caches.set(owner, m);
  }
  let k = m.get(key);
  if (k) {
    // Map order is the LRU order: re-insert on use.
    m.delete(key);
    m.set(key, k);
    return k;
  }
  k = create();
  m.set(key, k);
  while (m.size > limit) {
    const oldest = m.keys().next().value as string;
    const old = m.get(oldest);
    m.delete(oldest);
    try {
      old.destroy();
    } catch {
      // A kernel that cannot be destroyed is left to the garbage collector.
    }
  }
  return k;
}
