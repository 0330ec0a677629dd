// Minimal types for gifenc (the package ships none): the calls the showcase uses.
declare module 'gifenc' {
  export interface GifEncoder {
    writeFrame(
      index: Uint8Array,
      width: number,
      height: number,
      opts?: { palette?: number[][]; delay?: number; repeat?: number },
    ): void;
    finish(): void;
    bytes(): Uint8Array;
  }
  export function GIFEncoder(): GifEncoder;
  const gifenc: { GIFEncoder: typeof GIFEncoder };
  export default gifenc;
}
