/**
 * Where the wasm engine cannot run at all, heapStatus() and inspect() say why, and large
 * calls give the JS loops' results: a V8 without WebAssembly (`--jitless`, as Chromium's
 * `--js-flags=--jitless`; the page test is test/browser/heap-refused.test.ts), and the heap
 * turned off by NUMBATS_HEAP=off. Each runs in a child Node (engine-off.child.ts).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./engine-off.child.ts', import.meta.url));

function run(flags: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [...flags, '--import', 'tsx', child], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NUMBATS_HEAP: '', ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('without the wasm engine', () => {
  it('--jitless (no WebAssembly): the heap is off, inspect() says why, results are right', () => {
    const r = run(['--jitless', '--no-warnings']);
    expect(r.webAssembly).toBe(false);
    expect(r.heap.enabled).toBe(false);
    expect(r.heap.reason).toMatch(
      /^no WebAssembly here \(.*--jitless\), so arrays live on ordinary/,
    );
    expect(r.wave).toMatch(
      /last call on 2048\+ elements: js: no WebAssembly here .*every call runs the JS loops/,
    );
    expect(r.blur).toMatch(/last call on 2048\+ elements: js: no WebAssembly here/);
    expect(r.waveOk).toBe(true);
    expect(r.blurOk).toBe(true);
  });

  it('NUMBATS_HEAP=off: inspect() names the switch', () => {
    const r = run([], { NUMBATS_HEAP: 'off' });
    expect(r.webAssembly).toBe(true);
    expect(r.heap).toMatchObject({ enabled: false, reason: 'turned off by NUMBATS_HEAP=off' });
    expect(r.wave).toMatch(
      /js: the numbats heap is off \(turned off by NUMBATS_HEAP=off\); wasm loops run only on heap arrays/,
    );
    expect(r.blur).toMatch(/js: the numbats heap is off/);
    expect(r.waveOk && r.blurOk).toBe(true);
  });
});
