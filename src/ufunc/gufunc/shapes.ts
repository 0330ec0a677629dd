/**
 * Per-call shape resolution of a gufunc, step for step as NumPy's
 * `PyUFunc_GeneralizedFunctionInternal` and its iterator do it, so that every error has
 * NumPy's text and is raised in NumPy's order:
 *
 * 1. operands with fewer dims than core dims drop optional (`?`) dims, else "does not have
 *    enough dimensions";
 * 2. core dims match from the end of each shape and must agree exactly ("has a mismatch in
 *    its core dimension");
 * 3. every output core dim gets a size (output-only dims from `out`), else "unspecified";
 * 4. loop dims (what precedes the core dims) broadcast together, outputs included, and a
 *    given output must have the full loop shape (it is never broadcast).
 */
import { BroadcastError, ValueError } from '../../core/errors.js';
import type { GufuncLayout, ShapePlan } from '../../plan/gufunc.js';
import { operandName } from './layout.js';

/** NumPy's `convert_shape_to_string`: leading -1 (newaxis) dropped, later ones named. */
export function shapeString(vals: readonly number[]): string {
  let i = 0;
  while (i < vals.length && vals[i] < 0) i++;
  if (i === vals.length) return '()';
  const parts = vals.slice(i).map((v) => (v < 0 ? 'newaxis' : String(v)));
  return vals.length === 1 ? `(${parts[0]},)` : `(${parts.join(',')})`;
}

/**
 * Resolves core and loop dims for operand shapes (inputs, then outputs; `null` for outputs
 * that were not given). `name` prefixes NumPy's messages.
 */
export function planShapes(
  name: string,
  layout: GufuncLayout,
  shapes: readonly (readonly number[] | null)[],
): ShapePlan {
  const { operands, dims, nin } = layout;
  const sig = layout.source;
  const nop = operands.length;
  const missing = dims.map(() => false);
  const canIgnore = dims.map((d) => d.optional);
  const coreNum = operands.map((o) => o.length);

  // 1. Enough dims, dropping optional dims where an operand lacks them (_validate_num_dims).
  for (let i = 0; i < nop; i++) {
    const sh = shapes[i];
    if (!sh || sh.length >= coreNum[i]) continue;
    for (const label of operands[i]) {
      if (!canIgnore[label]) continue;
      missing[label] = true;
      canIgnore[label] = false;
      operands.forEach((o, k) => {
        for (const l of o) if (l === label) coreNum[k]--;
      });
      if (sh.length === coreNum[i]) break;
    }
    if (sh.length < coreNum[i]) {
      throw new ValueError(
        `${name}: ${operandName(layout, i)} does not have enough dimensions (has ${sh.length}, gufunc core with signature ${sig} requires ${coreNum[i]})`,
      );
    }
  }

  // 2. Core dim sizes, matched from the end of each shape (_get_coredim_sizes).
  const sizes = dims.map((d) => d.fixed ?? -1);
  for (let i = 0; i < nop; i++) {
    const sh = shapes[i];
    if (!sh) continue;
    const start = sh.length - coreNum[i];
    let delta = 0;
    operands[i].forEach((label, k) => {
      let size: number;
      if (missing[label]) {
        size = 1;
        delta++;
      } else size = sh[start + k - delta];
      if (sizes[label] < 0) sizes[label] = size;
      else if (size !== sizes[label]) {
        throw new ValueError(
          `${name}: ${operandName(layout, i)} has a mismatch in its core dimension ${k - delta}, with gufunc signature ${sig} (size ${size} is different from ${sizes[label]})`,
        );
      }
    });
  }

  // 3. Output core dims not given by any operand.
  for (let i = nin; i < nop; i++) {
    operands[i].forEach((label, k) => {
      if (sizes[label] < 0) {
        throw new ValueError(
          `${name}: Output operand ${i - nin} has core dimension ${k} unspecified, with gufunc signature ${sig}`,
        );
      }
    });
  }

  // 4. Loop dims, checked like NumPy's iterator.
  const loopShape = iterate(layout, shapes, coreNum, sizes, missing);
  return { loopShape, sizes, missing, coreNum };
}

/** Marks an iterator axis that is another output's core dim (NumPy's REDUCTION_AXIS(-1)). */
const FOREIGN = -2;

/**
 * NumPy's iterator over loop dims + every output's core dims: builds each operand's axis
 * map, broadcasts, then refuses to broadcast outputs. Returns the loop shape.
 */
function iterate(
  layout: GufuncLayout,
  shapes: readonly (readonly number[] | null)[],
  coreNum: readonly number[],
  sizes: readonly number[],
  missing: readonly boolean[],
): number[] {
  const { operands, nin } = layout;
  let nloop = 0;
  shapes.forEach((sh, i) => {
    if (sh) nloop = Math.max(nloop, sh.length - coreNum[i]);
  });
  const iterShape: number[] = new Array(nloop).fill(-1);
  const owner: number[] = new Array(nloop).fill(-1);
  for (let i = nin; i < operands.length; i++) {
    for (const label of operands[i]) {
      if (missing[label]) continue;
      iterShape.push(sizes[label]);
      owner.push(i);
    }
  }
  const nd = iterShape.length;
  // axes[i][d]: operand i's own axis at iterator dim d, -1 for newaxis, FOREIGN otherwise.
  const axes = shapes.map((sh, i) => {
    if (!sh) return null;
    const n = sh.length - coreNum[i];
    const a: number[] = [];
    for (let d = 0; d < nloop; d++) a.push(d >= nloop - n ? d - (nloop - n) : -1);
    let own = n;
    for (let d = nloop; d < nd; d++) a.push(owner[d] === i ? own++ : FOREIGN);
    return a;
  });
  const b = iterShape.map((v) => (v < 0 ? 1 : v));
  shapes.forEach((sh, i) => {
    const a = axes[i];
    if (!sh || !a) return;
    for (let d = 0; d < nd; d++) {
      if (a[d] < 0) continue;
      const v = sh[a[d]];
      if (b[d] === 1) b[d] = v;
      else if (v !== b[d] && v !== 1) throw broadcastError(shapes, axes, iterShape);
    }
  });
  // Outputs must not broadcast (innermost iterator dim first, as NumPy checks them).
  for (let d = nd - 1; d >= 0; d--) {
    if (b[d] === 1) continue;
    for (let i = nin; i < shapes.length; i++) {
      const sh = shapes[i];
      const a = axes[i];
      if (!sh || !a || a[d] === FOREIGN) continue;
      if (a[d] < 0) {
        throw new ValueError(
          'output operand requires a reduction along dimension -1, but the reduction is not enabled. The dimension size of 1 does not match the expected output shape.',
        );
      }
      if (sh[a[d]] === 1) {
        const remapped = a.map((_, k) => {
          const ax = a[nd - k - 1];
          return ax >= 0 ? sh[ax] : -1;
        });
        throw new ValueError(
          `non-broadcastable output operand with shape ${shapeString(sh)} [remapped to ${shapeString(remapped)}] doesn't match the broadcast shape ${shapeString(b)}`,
        );
      }
    }
  }
  return b.slice(0, nloop);
}

function broadcastError(
  shapes: readonly (readonly number[] | null)[],
  axes: readonly (number[] | null)[],
  iterShape: readonly number[],
): BroadcastError {
  let text = '';
  const given: (readonly number[])[] = [];
  shapes.forEach((sh, i) => {
    const a = axes[i];
    if (!sh || !a) return;
    given.push(sh);
    text += `${shapeString(sh)}->${shapeString(a.map((ax) => (ax >= 0 ? sh[ax] : -1)))} `;
  });
  return new BroadcastError(
    `operands could not be broadcast together with remapped shapes [original->remapped]: ${text} and requested shape ${shapeString(iterShape)}`,
    given,
  );
}
