// Run by heap.test.ts in its own process (node --expose-gc --import tsx): GC release and a
// full heap, which need a fresh heap and a way to collect garbage.
import { onHeap } from '../../../src/core/heap.js';
import { configureHeap, heapStatus, type TypedArray, zeros } from '../../../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc!;
const tick = () => new Promise((r) => setTimeout(r, 0));

async function main() {
  const s = heapStatus();
  if (!s.enabled) {
    console.log(JSON.stringify({ enabled: false, reason: s.reason }));
    return;
  }
  configureHeap({ maxBytes: 64 << 20 });
  let a: unknown = zeros(1_000_000);
  const usedWhileAlive = heapStatus().used;
  a = undefined;
  let usedAfterGc = usedWhileAlive;
  for (let i = 0; i < 20 && usedAfterGc >= usedWhileAlive; i++) {
    gc();
    await tick();
    usedAfterGc = heapStatus().used;
  }
  const fb = zeros(10_000_000); // 80 MB: over the 64 MiB limit
  const fallbackOnHeap = onHeap(fb.data as TypedArray);
  configureHeap({ whenFull: 'throw' });
  let thrown = '';
  let thrownIsRangeError = false;
  try {
    zeros(10_000_000);
  } catch (e) {
    thrown = (e as Error).name;
    thrownIsRangeError = e instanceof RangeError;
  }
  console.log(
    JSON.stringify({
      enabled: true,
      usedWhileAlive,
      usedAfterGc,
      fallbackOnHeap,
      fallbacks: heapStatus().fallbacks,
      thrown,
      thrownIsRangeError,
      unused: a,
    }),
  );
}
void main();
