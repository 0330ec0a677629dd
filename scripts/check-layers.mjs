#!/usr/bin/env node
// Checks the layering ARCHITECTURE.md describes, by reading the import statements of src/:
//  - no file under src/targets/ imports from a kind folder (ufunc, stencil, jitclass, jit):
//    targets run plans whose types live in neutral modules, so a kind can be added or
//    rewritten without touching a target;
//  - no import cycle between folders ("units" below), so each layer can be read, tested and
//    replaced with only the layers under it in mind;
//  - no kind compares a target name (`target === 'gpu'`): it asks the target registry, so a
//    new target needs no edit in the kinds;
//  - a kind imports from src/targets/ only the registry and the loop IR's JS lowering
//    (targets/cpu/lower-loops.ts, loops.ts): engines and workers are reached through the
//    registry's hooks, so a kind never chooses one itself.
// Run by `npm run lint` and CI. `--graph` prints the unit-level import graph.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

const KIND_FOLDERS = ['ufunc', 'stencil', 'jitclass', 'jit'];
/** The modules under src/targets/ a kind may import. */
const KIND_TARGET_IMPORTS = new Set(['registry.ts', 'cpu/lower-loops.ts', 'cpu/loops.ts']);

// `target === 'x'`, `target !== 'x'`, `'x' === target` (any expression ending in `target`).
const TARGET_COMPARISON = /\btarget\s*[!=]==?\s*['"]|['"]\s*[!=]==?\s*[\w.]*\btarget\b/;

/** Every .ts file under `dir`. */
function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

// Static imports and re-exports (`import … from`, `export … from`, bare `import '…'`) and
// dynamic `import('…')`; comments are stripped first so a quoted example does not count.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;

function importsOf(file) {
  const targets = [];
  for (const match of codeOf(file).matchAll(IMPORT)) {
    const spec = match[2].replace(/\.js$/, '.ts');
    targets.push(resolve(dirname(file), spec));
  }
  return targets;
}

/**
 * The unit a file belongs to: its top folder under src/, except that each target
 * (src/targets/<name>) is a unit of its own, and files directly in src/ (index.ts,
 * browser.ts) form the `index` unit at the top.
 */
function unitOf(file) {
  const parts = relative(src, file).split(sep);
  if (parts.length === 1) return 'index';
  if (parts[0] === 'targets' && parts.length > 2) return `targets/${parts[1]}`;
  return parts[0];
}

const problems = [];
const graph = new Map(); // unit -> Map(unit -> first "file -> file" seen)

/** The source of `file` without its comments (so a quoted example does not count). */
function codeOf(file) {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

for (const file of sourceFiles(src)) {
  const from = unitOf(file);
  const name = relative(root, file).split(sep).join('/');
  if (KIND_FOLDERS.includes(from)) {
    codeOf(file)
      .split('\n')
      .forEach((line, i) => {
        if (TARGET_COMPARISON.test(line)) {
          problems.push(`kind compares a target name: ${name}:${i + 1}: ${line.trim()}`);
        }
      });
  }
  for (const target of importsOf(file)) {
    if (!target.startsWith(src + sep)) continue;
    const to = unitOf(target);
    const edge = `${relative(root, file)} -> ${relative(root, target)}`;
    if (from.startsWith('targets') && KIND_FOLDERS.includes(to)) {
      problems.push(`target imports a kind: ${edge}`);
    }
    const inTargets = relative(join(src, 'targets'), target).split(sep).join('/');
    if (
      KIND_FOLDERS.includes(from) &&
      to.startsWith('targets') &&
      !KIND_TARGET_IMPORTS.has(inTargets)
    ) {
      problems.push(`kind imports a target module other than the registry: ${edge}`);
    }
    if (from === to) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    if (!graph.get(from).has(to)) graph.get(from).set(to, edge);
  }
}

// Strongly connected components (Tarjan): any with more than one unit is a cycle.
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function visit(unit) {
  index.set(unit, counter);
  low.set(unit, counter++);
  stack.push(unit);
  onStack.add(unit);
  for (const next of graph.get(unit)?.keys() ?? []) {
    if (!index.has(next)) {
      visit(next);
      low.set(unit, Math.min(low.get(unit), low.get(next)));
    } else if (onStack.has(next)) {
      low.set(unit, Math.min(low.get(unit), index.get(next)));
    }
  }
  if (low.get(unit) !== index.get(unit)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    component.push(member);
  } while (member !== unit);
  if (component.length < 2) return;
  const inside = new Set(component);
  const edges = component.flatMap((u) =>
    [...(graph.get(u) ?? [])].filter(([to]) => inside.has(to)).map(([, edge]) => `    ${edge}`),
  );
  problems.push(`folder import cycle between ${component.sort().join(', ')}:\n${edges.join('\n')}`);
}
for (const unit of graph.keys()) if (!index.has(unit)) visit(unit);

if (process.argv.includes('--graph')) {
  for (const [from, tos] of [...graph].sort()) {
    console.log(`${from} -> ${[...tos.keys()].sort().join(', ')}`);
  }
}
if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(
  `check-layers: ok (${graph.size} folders, no cycles, targets import no kind, ` +
    `kinds compare no target name and import only the registry and the loop lowering)`,
);
