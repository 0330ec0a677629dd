export { stencil } from './stencil.js';
export type {
  Boundary,
  Extent,
  Rel,
  Stencil,
  StencilCallOptions,
  StencilInputs,
  StencilOptions,
} from './types.js';
