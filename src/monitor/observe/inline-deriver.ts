import type { Deriver } from './derive-needs.js';

/**
 * Derivation on the calling thread (tests importing src/ directly), the normaliser and analyser loaded on first use.
 * A file of its own so that derive-needs.ts, which derive.ts imports, never imports derive.ts back.
 */
export const inlineDeriver: Deriver = { derive: async (input) => (await import('./derive.js')).derive(input) };
