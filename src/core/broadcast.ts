import { BroadcastError } from './errors.js';

/** Formats a shape the way NumPy prints it in messages: `(4,3)`, `(4,)`, `()`. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(',')})`;
}

/**
 * The broadcast shape of several shapes (NumPy rules: align right, 1 stretches).
 * Throws NumPy's message naming every shape when they are incompatible.
 */
export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] {
  let nd = 0;
  for (const s of shapes) if (s.length > nd) nd = s.length;
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    const off = nd - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i];
      const o = out[off + i];
      if (d === o || d === 1) continue;
      if (o === 1) out[off + i] = d;
      else throw incompatible(shapes);
    }
  }
  return out;
}

function incompatible(shapes: readonly (readonly number[])[]): BroadcastError {
  return new BroadcastError(
    `operands could not be broadcast together with shapes ${shapes.map(formatShape).join(' ')} `,
    shapes,
  );
}

/**
 * Strides of an operand viewed with the broadcast shape `shape`: leading missing dims and
 * stretched dims get stride 0.
 */
export function broadcastStrides(
  opShape: readonly number[],
  opStride: readonly number[],
  shape: readonly number[],
): number[] {
  const nd = shape.length;
  const off = nd - opShape.length;
  const st = new Array<number>(nd);
  for (let i = 0; i < nd; i++) {
    if (i < off) st[i] = 0;
    else st[i] = opShape[i - off] === 1 && shape[i] !== 1 ? 0 : opStride[i - off];
  }
  return st;
}
