// Run by heap.test.ts in its own process (no --expose-gc: V8 collects on its own schedule):
// a loop that drops an 8 MB result per iteration and yields to the event loop, as an app's
// frame or request loop does, with the heap limited to 256 MiB. Prints how many results
// landed on the heap, with the heap's GC pressure on and (argv[2] === 'nopressure') off.
import { currentHeap, onHeap } from '../../../src/core/heap.js';
import {
  configureHeap,
  heapStatus,
  type TypedArray,
  vectorize,
  zeros,
} from '../../../src/index.js';

async function main() {
  if (!heapStatus().enabled) {
    console.log(JSON.stringify({ enabled: false }));
    return;
  }
  configureHeap({ maxBytes: 256 << 20, minBytes: 4096 });
  const heap = currentHeap()!;
  if (process.argv[2] === 'nopressure') heap.pressure.enabled = false;
  const add = vectorize((x: number, y: number) => x + y);
  const a = zeros(1_000_000);
  const b = zeros(1_000_000);
  const iterations = 100; // 800 MB of results: three times the limit
  let onHeapCount = 0;
  for (let i = 0; i < iterations; i++) {
    const r = add(a, b) as { data: TypedArray };
    if (onHeap(r.data)) onHeapCount++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const s = heapStatus();
  console.log(
    JSON.stringify({
      enabled: true,
      iterations,
      onHeapCount,
      fallbacks: s.fallbacks,
      nudges: heap.pressure.nudges,
      size: s.size,
    }),
  );
}
void main();
