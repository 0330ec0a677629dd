/**
 * What the stencil kind hands a target: the neighborhood of a kernel, its `rel` reads, and
 * the compiled loop's source. Targets import these types; the kind produces them.
 */

/** `[lo, hi]`: the smallest and largest offset a kernel reads along one axis. */
export type Extent = readonly [number, number];

/** What a `rel` node carries: the parameter read and one offset per axis (null: computed). */
export interface RelData {
  readonly param: number;
  readonly offsets: readonly (number | null)[];
}

/** A compiled stencil as a target runs it: the body of its `cpu` loop for a layout key. */
export interface StencilLoopSource {
  loopSource(key: string): string;
}
