/** Re-exports for the ufunc tests: the public API plus a few internals they check against. */
export { INFO as INFO_FOR_TESTS } from '../../src/core/dtypes.js';
export * from '../../src/index.js';
