/**
 * One base for termdrift's own errors: a `code` a policy can read and whether trying again can help. Failures of a
 * document carry one of the FailureCodes below; the alert policy reads `retryable` (permanent failures alert at once).
 */
export type FailureCode =
  | 'gated'
  | 'not-found'
  | 'rate-limited'
  | 'unsafe-url'
  | 'timeout'
  | 'http-5xx'
  | 'network'
  | 'too-large'
  | 'normalize'
  | 'other';

export class TermdriftError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** What a failed fetch says, classified: the source's own code when it gave one, else read from status and reason. */
export function failureCode(f: { reason: string; status?: number | null; code?: FailureCode }): FailureCode {
  if (f.code) return f.code;
  const { reason, status } = f;
  if (/^gated\b/i.test(reason) || status === 401 || status === 403) return 'gated';
  if (status === 429 || /rate.limit/i.test(reason)) return 'rate-limited';
  if (status === 404 || status === 410 || /not found/i.test(reason)) return 'not-found';
  if (status !== undefined && status !== null && status >= 500) return 'http-5xx';
  if (/timed out|deadline/i.test(reason)) return 'timeout';
  if (/byte cap|too large|over the .*cap/i.test(reason)) return 'too-large';
  if (/private, loopback|not a public address|only http\(s\)|with credentials|not a URL/i.test(reason)) return 'unsafe-url';
  if (/ENOTFOUND|ECONNREFUSED|ECONNRESET|EAI_AGAIN|fetch failed|cut short|socket|network|cannot reach/i.test(reason)) return 'network';
  return 'other';
}
