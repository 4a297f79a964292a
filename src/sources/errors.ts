import { failureCode, TermdriftError, type FailureCode } from '../errors.js';

/**
 * A failure reading from an upstream (the Hugging Face hub, GitHub, a web page), for the repository or model as a
 * whole: every document it concerns gets this reason. Its code is the source's own, or read from status and reason.
 */
export class SourceError extends TermdriftError {
  declare readonly code: FailureCode;
  constructor(
    message: string,
    retryable: boolean,
    readonly status?: number,
    code?: FailureCode,
  ) {
    super(message, failureCode({ reason: message, status, code }), retryable);
  }
}
