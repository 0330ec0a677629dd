/**
 * Zeroing a reused 128 MiB heap block, as `zeros` does when a freed array's block comes
 * back: `memory.fill` (the default), the 8-byte fallback (`BigInt64Array.fill`), and the
 * byte fill the heap used before (`Uint8Array.fill(0)` over the shared buffer), interleaved.
 * Run: `npx tsx bench/heap-zero.ts [rounds]`.
 */
import { Heap } from '../src/core/heap.js';
import { sideBySide } from './harness.js';

const rounds = Number(process.argv[2] ?? 15);
const BYTES = 128 * 1024 * 1024;
const heaps = [new Heap(BYTES * 2, BYTES * 4), new Heap(BYTES * 2, BYTES * 4)];
heaps[1].zeroer.useFallback();
/** A block kept off the top (so it goes to a free list), freed and handed out again. */
const reuse = (h: Heap) => {
  let a = h.alloc('float64', BYTES / 8);
  h.alloc('uint8', 1);
  return () => {
    h.free(a);
    a = h.alloc('float64', BYTES / 8);
  };
};
const bytes = new Uint8Array(heaps[0].alloc('uint8', BYTES).buffer, 0, BYTES);
const t = sideBySide(
  [
    { name: 'zeros (memory.fill)', run: reuse(heaps[0]) },
    { name: 'zeros (BigInt64Array)', run: reuse(heaps[1]) },
    { name: 'Uint8Array.fill(0) (before)', run: () => bytes.fill(0) },
    { name: 'memory.fill alone', run: () => heaps[0].zeroer.zero(bytes.buffer, 0, BYTES) },
  ],
  rounds,
);
console.log('128 MiB heap block zeroed for reuse');
for (const x of t) console.log(`  ${x.name.padEnd(28)} ${x.medianMs.toFixed(2)} ms`);
