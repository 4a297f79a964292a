/**
 * Why an evidence operation could not be done. The CLI maps `kind` to its exit code:
 * not-found / before-observation / mismatch → 1, bad-input / refused → 2.
 */
export type EvidenceErrorKind = 'not-found' | 'before-observation' | 'bad-input' | 'refused' | 'mismatch';

export class EvidenceError extends Error {
  constructor(
    readonly kind: EvidenceErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'EvidenceError';
  }
}
