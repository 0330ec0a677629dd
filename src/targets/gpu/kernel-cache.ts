/**
 * The gpu.js kernels made for one typed kernel, by launch key, least recently used first.
 * gpu.js kernels hold textures and compiled programs, so each typed kernel keeps only a few
 * and destroys the rest.
 */
import { OwnedCaches } from '../../core/spec-cache.js';
import type { GpuJs } from './backend.js';

const caches = new OwnedCaches<object, string, GpuJs>(undefined, (old) => {
  try {
    old.destroy();
  } catch {
    // A kernel that cannot be destroyed is left to the garbage collector.
  }
});

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
  return caches.of(owner, limit).get(key, create);
}
