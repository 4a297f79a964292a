/**
 * A document whose bytes cannot be turned into comparable text (nested too deep, a selector that matches
 * nothing, a parser failure). `code` lets the check record it as that document's failure and go on with the
 * next document, instead of losing the rest of the source.
 */
export class NormalizeError extends Error {
  readonly code = 'normalize' as const;
  readonly retryable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NormalizeError';
  }
}
