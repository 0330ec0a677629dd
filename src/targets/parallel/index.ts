/** The `parallel` target's public controls. */
import { dropScratch } from './map.js';
import { stopWorkers } from './pool.js';

export {
  type ParallelCallReport,
  type ParallelReport,
  parallelStatus,
} from './last-call.js';
export { type ParallelOptions, type ParallelStatus, setParallelOptions } from './pool.js';

/** Stops the pool's workers and frees its scratch memory; the next parallel call restarts it. */
export function closePool(): void {
  stopWorkers('closePool() closed the pool while this call was running');
  dropScratch();
}
