/**
 * Every ```ts snippet in the README runs: each is written to a temporary module with
 * `'numbats'` pointing at the sources, then imported. A snippet that throws fails the test.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const dir = join(root, 'test', '.readme-snippets');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README snippets', () => {
  it('has snippets', () => {
    expect(blocks.length).toBeGreaterThan(5);
  });
  blocks.forEach((code, i) => {
    const title = code.split('\n').find((l) => l.trim() && !l.startsWith('import')) ?? '';
    it(`snippet ${i + 1}: ${title.slice(0, 60)}`, async () => {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `snippet-${i + 1}.ts`);
      const src = relative(dir, join(root, 'src')).replaceAll('\\', '/');
      const patched = code
        .replaceAll(/from 'numbats\/testing'/g, `from '${src}/testing/index.js'`)
        .replaceAll(/from 'numbats'/g, `from '${src}/index.js'`);
      writeFileSync(file, `${patched}\nexport {};\n`);
      const log = console.log;
      console.log = () => {};
      try {
        await import(pathToFileURL(file).href);
      } finally {
        console.log = log;
      }
    });
  });
});
