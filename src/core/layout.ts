/**
 * Iteration layout: given the broadcast shape and every operand's strides, finds the
 * cheapest equivalent loop nest. Size-1 dims are dropped, dims are ordered so the innermost
 * walks the smallest strides (what cwise-compiler does), and adjacent dims that step
 * evenly for every operand are merged. A layout whose single dim has stride 1 for every
 * operand is "contiguous" and runs as one flat loop.
 */

export interface Layout {
  /** Loop extents, outermost first. Empty for a single element. */
  readonly shape: number[];
  /** strides[op][dim] in elements, aligned with `shape`. */
  readonly strides: number[][];
  /** Total element count (0 means nothing to do). */
  readonly size: number;
  /** One dim with stride 1 for every operand. */
  readonly contiguous: boolean;
}

/**
 * Plans the loop nest. `strides[op]` are per broadcast dim (0 for broadcast dims).
 * Dim order only changes which index varies fastest, never the direction of a dim, so
 * order-sensitive loops (non-reorderable reductions, scans) stay correct.
 */
export function planLayout(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): Layout {
  let size = 1;
  for (const d of shape) size *= d;
  const nops = strides.length;
  if (size === 0)
    return { shape: [0], strides: strides.map(() => [0]), size: 0, contiguous: false };
  // Keep dims longer than 1.
  const dims: number[] = [];
  for (let i = 0; i < shape.length; i++) if (shape[i] !== 1) dims.push(i);
  // Order: largest total |stride| outermost; ties keep the array's own order (stable sort).
  const weight = (d: number) => {
    let w = 0;
    for (let o = 0; o < nops; o++) w += Math.abs(strides[o][d]);
    return w;
  };
  const order = dims.map((d, pos) => ({ d, w: weight(d), pos }));
  order.sort((a, b) => b.w - a.w || a.pos - b.pos);
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (const { d } of order) {
    const last = outShape.length - 1;
    if (last >= 0) {
      // Merge dim d (inner) into the previous (outer) one when outer stride == inner stride * inner extent.
      let mergeable = true;
      for (let o = 0; o < nops && mergeable; o++) {
        if (outStrides[o][last] !== strides[o][d] * shape[d]) mergeable = false;
      }
      if (mergeable) {
        outShape[last] *= shape[d];
        for (let o = 0; o < nops; o++) outStrides[o][last] = strides[o][d];
        continue;
      }
    }
    outShape.push(shape[d]);
    for (let o = 0; o < nops; o++) outStrides[o].push(strides[o][d]);
  }
  const contiguous = outShape.length === 1 && outStrides.every((s) => s[0] === 1);
  return { shape: outShape, strides: outStrides, size, contiguous };
}
