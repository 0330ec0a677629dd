/**
 * Refused string evaluation (a page whose Content-Security-Policy lacks 'unsafe-eval';
 * here Node's `--disallow-code-generation-from-strings`, which refuses `new Function` the
 * same way): numbats throws an EvalError naming the directive to change, with the engine's
 * own error as its cause, before any array exists. The browser test of a real policy is
 * test/browser/heap-refused.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVAL_REFUSED, explainEvalError } from '../../src/core/codegen.js';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'index.ts');

/** Runs `body` (an ES module importing numbats as `nb`) in a Node that refuses eval. */
function refusing(body: string): { out: string; err: string; status: number | null } {
  const src = `import * as nb from ${JSON.stringify(entry)};\n${body}`;
  const r = spawnSync(
    process.execPath,
    [
      '--disallow-code-generation-from-strings',
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      src,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return { out: r.stdout, err: r.stderr, status: r.status };
}

describe('refused string evaluation', () => {
  it('creating an array or calling a kernel throws an EvalError naming script-src', () => {
    const r = refusing(`
      const report = (f) => { try { f(); return 'no error'; } catch (e) {
        return { name: e.name, isEval: e instanceof EvalError, message: e.message,
          cause: e.cause instanceof EvalError }; } };
      const twice = nb.vectorize((x) => 2 * x, { signatures: ['float64(float64)'] });
      console.log(JSON.stringify([report(() => nb.zeros([3])), report(() => twice(new Float64Array(4)))]));
    `);
    expect(r.err).toBe('');
    const [zeros, call] = JSON.parse(r.out);
    for (const e of [zeros, call]) {
      expect(e).toMatchObject({ name: 'EvalError', isEval: true, cause: true });
      expect(e.message).toContain(EVAL_REFUSED);
      expect(e.message).toMatch(/'unsafe-eval' to the Content-Security-Policy's script-src/);
    }
  });

  it('explainEvalError leaves other errors, and its own, unchanged', () => {
    const other = new TypeError('x');
    expect(explainEvalError(other)).toBe(other);
    const refused = new EvalError('Code generation from strings disallowed');
    const mine = explainEvalError(refused) as EvalError;
    expect(mine).toBeInstanceOf(EvalError);
    expect(mine.cause).toBe(refused);
    expect(mine.message).toMatch(/^numbats cannot run here: .*The engine said: Code generation/);
    expect(explainEvalError(mine)).toBe(mine);
  });
});
