/**
 * The published package as a user gets it: `npm pack`, the tarball installed (offline, from
 * npm's cache) into a fresh TypeScript project with `skipLibCheck: false`, then every README
 * snippet plus a file asserting the call result types compiled with `strict` against the
 * shipped `.d.ts` — no casts anywhere — and run with node.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'numbats-consumer-'));
const project = join(work, 'app');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Result-type assertions over the calls the README makes (a wrong type fails to compile). */
const TYPES = `
import { arange, asarray, guvectorize, linspace, type NdArray, normal, random, reshape, stencil, type Rel, vectorize, type View, where, zeros } from 'numbats';
type Eq<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function check<T extends true>(): void {}
const hypot = vectorize((x: number, y: number) => Math.sqrt(x * x + y * y));
const a = hypot(asarray([3, 5]), 4);
check<Eq<typeof a, NdArray>>();
const s = hypot(3, 4);
check<Eq<typeof s, number>>();
const o = hypot(3, 4, { out: zeros([]) });
check<Eq<typeof o, NdArray>>();
const sd = vectorize((x: number, y: number): [number, number] => [x + y, x - y]);
const [p, q] = sd(asarray([1, 2]), 1);
check<Eq<typeof p | typeof q, NdArray>>();
const rowDot = guvectorize((x: View, y: View) => x.get(0) * y.get(0), '(n),(n)->()');
const d = rowDot(asarray([[1, 2]]), asarray([1, 1]));
check<Eq<typeof d, NdArray>>();
const lap = stencil((u: Rel) => u(-1) + u(1));
const l = lap(linspace(0, 1, 5));
check<Eq<typeof l, NdArray>>();
const w = where(random(3, { seed: 1 }), arange(3), normal(3, { seed: 2 }));
check<Eq<typeof w, NdArray>>();
if (reshape(w, [3, 1]).shape[1] !== 1 || typeof s !== 'number' || a.shape[0] !== 2) throw new Error('bad result');
console.log('types ok', s);
`;

beforeAll(() => {
  const pack = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root));
  const tarball = join(work, pack[0].filename);
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  // Offline: npm's cache holds the dependency tarballs `npm ci` fetched but not the registry
  // metadata a fresh resolution needs, so numbats' dependencies (and theirs) are copied in
  // from this repository's node_modules first; npm then installs the tarball over them. The
  // optional gpu.js is left out (its native build is not what this test is about).
  const deps = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies;
  const copyDep = (name: string) => {
    const to = join(project, 'node_modules', name);
    if (existsSync(to)) return;
    const from = join(root, 'node_modules', name);
    cpSync(from, to, { recursive: true, dereference: true });
    const own = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')).dependencies ?? {};
    for (const d of Object.keys(own)) copyDep(d);
  };
  for (const d of Object.keys(deps)) copyDep(d);
  run(
    'npm',
    [
      'install',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--omit=optional',
      '--ignore-scripts',
      tarball,
    ],
    project,
  );
  // Snippets that use numbats/testing need its peer fast-check; the gpu one needs gpu.js.
  for (const dep of ['fast-check', 'gpu.js']) {
    const from = join(root, 'node_modules', dep);
    const to = join(project, 'node_modules', dep);
    if (existsSync(from) && !existsSync(to)) symlinkSync(from, to, 'dir');
  }
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022'],
        types: [],
        strict: true,
        skipLibCheck: false,
        outDir: 'out',
      },
      include: ['src'],
    }),
  );
  mkdirSync(join(project, 'src'));
  snippets.forEach((code, i) => {
    writeFileSync(join(project, 'src', `snippet${i + 1}.ts`), `${code}\nexport {};\n`);
  });
  writeFileSync(join(project, 'src', 'types.ts'), TYPES);
  // A consumer has console from @types/node or the DOM lib; this project has neither.
  writeFileSync(
    join(project, 'src', 'globals.d.ts'),
    'declare const console: { log(...values: unknown[]): void };\n',
  );
  // One node process imports every compiled snippet in turn (as test/readme.test.ts does).
  writeFileSync(
    join(project, 'src', 'all.ts'),
    `${snippets.map((_, i) => `await import('./snippet${i + 1}.js');`).join('\n')}\nconsole.log('snippets ok');\nexport {};\n`,
  );
}, 240_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package in a fresh TypeScript project', () => {
  it('ships self-contained types: README snippets compile with skipLibCheck false, no casts', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    let out = '';
    try {
      out = run(process.execPath, [tsc, '-p', project], project);
    } catch (e) {
      out = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`;
    }
    expect(out).toBe('');
    expect(readme).not.toMatch(/ as (never|NdArray)\b/);
  });

  it('runs every compiled snippet and the type checks with node', () => {
    expect(run(process.execPath, [join(project, 'out', 'all.js')], project)).toContain(
      'snippets ok',
    );
    expect(run(process.execPath, [join(project, 'out', 'types.js')], project)).toContain(
      'types ok 5',
    );
  });
});
