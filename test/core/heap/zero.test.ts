/**
 * Zeroing reused heap memory (src/core/zero.ts): `memory.fill` and the 8-byte fallback
 * zero exactly the range asked, at any byte address and length, and blocks the heap hands
 * out again are zero either way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap } from '../../../src/core/heap.js';
import { Zeroer } from '../../../src/core/zero.js';
import { runs } from '../../support.js';

const PAGE = 65536;

describe('Zeroer', () => {
  for (const method of ['memory.fill', 'BigInt64Array'] as const) {
    it(`${method}: zeroes exactly [addr, addr + bytes), any alignment and length`, () => {
      const memory = new WebAssembly.Memory({ initial: 2, maximum: 4, shared: true });
      const z = new Zeroer(memory);
      if (method === 'BigInt64Array') z.useFallback();
      const all = new Uint8Array(memory.buffer);
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 40000 }), fc.nat(20000), (addr, bytes) => {
          all.fill(0xab);
          z.zero(memory.buffer, addr, bytes);
          for (let i = addr - 64; i < addr + bytes + 64; i++) {
            if (i < 0 || i >= 2 * PAGE) continue;
            const want = i >= addr && i < addr + bytes ? 0 : 0xab;
            if (all[i] !== want) throw new Error(`byte ${i} is ${all[i]}, want ${want}`);
          }
        }),
        runs(60),
      );
      expect(z.method).toBe(method);
    });
  }

  it('a memory the module cannot import takes the fallback', () => {
    const plain = new WebAssembly.Memory({ initial: 1 }); // not shared: the import refuses it
    const z = new Zeroer(plain);
    const b = new Uint8Array(plain.buffer);
    b.fill(9);
    z.zero(plain.buffer, 3, 10000);
    expect(z.method).toBe('BigInt64Array');
    expect([b[2], b[3], b[10002], b[10003]]).toEqual([9, 0, 0, 9]);
  });
});

describe('the heap zeroes reused blocks', () => {
  for (const fallback of [false, true]) {
    it(`large and small blocks, ${fallback ? '8-byte fallback' : 'memory.fill'}`, () => {
      const h = new Heap(PAGE, 1 << 26);
      if (fallback) h.zeroer.useFallback();
      for (const n of [100, 5000, 300001]) {
        const a = h.alloc('uint8', n);
        h.alloc('uint8', 1); // keeps `a` off the top: its block goes to a free list
        a.fill(255);
        const addr = a.byteOffset;
        h.free(a);
        const b = h.alloc('uint8', n - 3);
        expect(b.byteOffset).toBe(addr);
        expect(b.every((v) => v === 0)).toBe(true);
      }
      expect(h.zeroer.method).toBe(fallback ? 'BigInt64Array' : 'memory.fill');
    });
  }
});
