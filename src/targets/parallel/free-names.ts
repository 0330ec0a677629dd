/** The `parallel` target's check of a ufunc kernel, made when the ufunc is built. */
import type { TypedKernel } from '../../compiler/ir.js';
import { CompileError } from '../../core/errors.js';

/** Workers compile loops from source: a kernel reading free variables cannot go there. */
export function requireNoFreeNames(typed: TypedKernel, name: string): void {
  const { freeNames } = typed;
  if (freeNames.length === 0) return;
  throw new CompileError(
    `${name}: the kernel reads ${freeNames.map((n) => `'${n}'`).join(', ')} from the enclosing scope, ` +
      `which the 'parallel' target's workers cannot see; pass ${freeNames.length > 1 ? 'them' : 'it'} as constants: { ${freeNames.map((n) => `${n}: …`).join(', ')} }`,
    undefined,
    [...freeNames],
  );
}
