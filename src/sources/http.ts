import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import { storedMediaType } from '../normalize/decode.js';
import { addressProblem } from './address.js';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { Agent, getGlobalDispatcher, request as undiciRequest } from './undici.js';
import { withHostSlot } from './politeness.js';
import { proxyActive } from './proxy-state.js';
import { rateLimitedUntil, sleep, waitSeconds } from './ratelimit.js';
import type { FetchOutcome, HttpResult, ResponseHeaders } from './types.js';

export const USER_AGENT = 'termdrift/0.1 (+https://github.com/termdrift/termdrift; license-change monitor)';

export interface HttpOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Links found inside documents are untrusted: http(s) only, no credentials, no private addresses. */
  untrusted?: boolean;
  allowPrivateNetwork?: boolean;
  etag?: string | null;
  lastModified?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * Honour a 429's Retry-After (or RateLimit / x-ratelimit-reset): a wait up to this many seconds is waited out
   * once (outside the host slot, within the caller's signal), a longer one fails as "rate limited until HH:MM UTC".
   * Off by default: the Hugging Face source applies the same rule itself.
   */
  rateLimitWaitSeconds?: number;
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;

export type { HttpResult } from './types.js';

export class UnsafeUrlError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

/** net.connect's `lookup`, refusing every answer that is not a public address at connection time. */
export function guardedLookup(
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const problem = addresses.length === 0 ? `refused: ${hostname} has no address` : addresses.map((a) => addressProblem(a.address)).find(Boolean);
    if (problem) {
      const e: NodeJS.ErrnoException = new UnsafeUrlError(`${problem} (${hostname})`);
      e.code = 'EUNSAFEADDRESS';
      return callback(e, []);
    }
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

let agent: Agent | undefined;
export function guardedAgent(): Agent {
  agent ??= new Agent({ connect: { lookup: guardedLookup as never } });
  return agent;
}

/** Check an untrusted URL: scheme, credentials, and every address its host resolves to. */
export async function assertSafeUrl(raw: string, allowPrivateNetwork: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError(`not a URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UnsafeUrlError(`only http(s) links are followed: ${raw}`);
  if (url.username || url.password) throw new UnsafeUrlError(`links with credentials are not followed: ${url.host}`);
  if (allowPrivateNetwork) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  for (const a of addresses) {
    const problem = addressProblem(a.address);
    if (problem) throw new UnsafeUrlError(`${problem} (${url.host}); set TERMDRIFT_ALLOW_PRIVATE_NETWORK=1 to allow`);
  }
  return url;
}

// Markers of bot-protection interstitials that some CDNs serve with a 200.
const CHALLENGE_MARKERS = [
  /<title>\s*just a moment\.\.\.\s*<\/title>/i,
  /checking your browser before accessing/i,
  /enable javascript and cookies to continue/i,
  /cf-browser-verification|cf_chl_opt|challenge-platform/i,
  /<title>\s*attention required!?\s*\|\s*cloudflare/i,
  /please verify you are a human/i,
];

export function looksLikeChallenge(body: Uint8Array, mediaType: string): boolean {
  if (body.length > 200_000) return false; // interstitials are small; a real license page that quotes these words is not
  if (!/html/i.test(mediaType)) return false;
  const text = Buffer.from(body).toString('utf8');
  return CHALLENGE_MARKERS.some((re) => re.test(text));
}

/**
 * The one guarded HTTP GET: timeouts, a redirect limit (each hop re-checked when untrusted),
 * a body size cap, conditional requests, and classification of what must never become a version.
 */
export async function httpGet(rawUrl: string, options: HttpOptions = {}): Promise<HttpResult> {
  const opts = { ...options, headers: options.headers && { ...options.headers } };
  const maxRedirects = opts.maxRedirects ?? 5;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  // The document's timeout runs only while one of its requests holds a host slot: time spent queued behind other
  // documents of the same host (slow pages, a hung one) is not its own. The caller's signal (the check deadline)
  // bounds the whole, queue included.
  let budgetMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let url = rawUrl;
  let waited = false;
  for (let hop = 0; ; hop++) {
    try {
      if (opts.untrusted) await assertSafeUrl(url, opts.allowPrivateNetwork ?? false);
    } catch (err) {
      return { kind: 'failed', reason: (err as Error).message, retryable: !(err instanceof UnsafeUrlError) };
    }
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'text/html,text/plain,text/markdown;q=0.9,*/*;q=0.5', ...opts.headers };
    if (opts.etag) headers['if-none-match'] = opts.etag;
    if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
    let step: HttpResult | { redirect: string; status: number };
    try {
      step = await withHostSlot(url, opts.signal, async () => {
        if (budgetMs <= 0) return { kind: 'failed', reason: 'timed out', retryable: true } as const;
        const started = Date.now();
        // Started once the slot is held, so a hung or dripping response gives its slot back at its own timeout.
        const request = requestSignal(budgetMs, opts.signal);
        try {
          return await getOnce(url, headers, request.signal, request.timeout, maxBytes, Boolean(opts.untrusted && !opts.allowPrivateNetwork));
        } finally {
          request.done();
          budgetMs -= Date.now() - started;
        }
      });
    } catch (err) {
      // Waiting for a host slot throws when the check is aborted before its request was sent.
      return { kind: 'failed', reason: describeNetworkError(err, undefined, opts.signal), retryable: true };
    }
    if (!('redirect' in step)) {
      if (step.kind !== 'failed' || step.status !== 429 || opts.rateLimitWaitSeconds === undefined) return step;
      const limited = rateLimited(step, opts.rateLimitWaitSeconds, waited);
      if (limited) return limited;
      const wait = waitSeconds((n) => step.headers?.get(n))!;
      waited = true;
      try {
        await sleep(wait * 1000, opts.signal);
      } catch (err) {
        return { ...step, reason: `${describeNetworkError(err, undefined, opts.signal)} while waiting out a rate limit`, code: 'rate-limited' };
      }
      hop--; // the same URL again, not a redirect
      continue;
    }
    if (hop >= maxRedirects) return { kind: 'failed', reason: `more than ${maxRedirects} redirects`, retryable: false, status: step.status };
    const next = new URL(step.redirect, url);
    // Like browsers: credentials meant for one origin (the hub's token) never follow a redirect to another (a CDN).
    if (next.origin !== new URL(url).origin && opts.headers) {
      for (const k of Object.keys(opts.headers)) if (k.toLowerCase() === 'authorization') delete opts.headers[k];
    }
    url = next.toString();
  }
}

/**
 * One request's signal: aborted by its own timeout (`timeout` tells that apart) or by the caller's signal. Two
 * controllers and one timer, cleared by done(): AbortSignal.timeout with AbortSignal.any made a timer, a weak
 * reference and a finalization record per request, which the worker's unchanged cycles paid for thousands of times.
 */
function requestSignal(ms: number, caller: AbortSignal | undefined): { signal: AbortSignal; timeout: AbortSignal; done: () => void } {
  const timeout = new AbortController();
  const both = new AbortController();
  const timer = setTimeout(() => {
    timeout.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    both.abort(timeout.signal.reason);
  }, ms);
  const onAbort = () => both.abort(caller!.reason);
  if (caller?.aborted) onAbort();
  else caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: both.signal,
    timeout: timeout.signal,
    done: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * A 429 as the failure to report, or undefined when its wait is short enough to wait out (and was not yet waited
 * out once). Without a usable hint the answer stays "HTTP 429 …", still classified as rate-limited.
 */
function rateLimited(res: Extract<HttpResult, { kind: 'failed' }>, maxWait: number, waited: boolean): HttpResult | undefined {
  const wait = waitSeconds((n) => res.headers?.get(n));
  if (wait === undefined) return { ...res, code: 'rate-limited' };
  if (!waited && wait <= maxWait) return undefined;
  return { ...res, reason: rateLimitedUntil(wait), retryable: true, code: 'rate-limited' };
}

/** One request without following redirects, run while holding a slot of the host. */
async function getOnce(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  timeout: AbortSignal,
  maxBytes: number,
  guarded: boolean,
): Promise<HttpResult | { redirect: string; status: number }> {
  let res: RawResponse;
  try {
    // An untrusted link is connected through an agent that re-checks the address it actually connects to: a
    // name that resolved to a public address for assertSafeUrl cannot rebind to 169.254.169.254 for the request.
    // undici's request() rather than fetch(): fetch decodes gzip/brotli leniently, so a stream cut short ended
    // without an error and half a license became a version. Here the body is decoded strictly (readCapped).
    const r = await undiciRequest(url, {
      method: 'GET',
      headers: { 'accept-encoding': 'gzip, deflate, br', ...headers },
      signal,
      // Behind a proxy the proxy connects, so the address is checked (assertSafeUrl) before the request only.
      dispatcher: guarded && !proxyActive() ? guardedAgent() : getGlobalDispatcher(),
    });
    res = { status: r.statusCode, statusText: STATUS_CODES[r.statusCode] ?? '', headers: new RawHeaders(r.headers), body: r.body };
  } catch (err) {
    return { kind: 'failed', reason: describeNetworkError(err, timeout, signal), retryable: true };
  }
  if (res.status >= 300 && res.status < 400 && res.status !== 304) {
    await discard(res);
    const location = res.headers.get('location');
    if (!location) return { kind: 'failed', reason: `HTTP ${res.status} redirect without a Location`, retryable: false, status: res.status };
    return { redirect: location, status: res.status };
  }
  if (res.status === 304) {
    await finishEmpty(res);
    return { kind: 'not-modified', finalUrl: url, headers: res.headers };
  }
  if (res.status === 404 || res.status === 410) {
    await discard(res);
    return { kind: 'gone', status: res.status, finalUrl: url, headers: res.headers };
  }
  if (res.status !== 200) {
    await discard(res);
    const retryable = res.status === 429 || res.status >= 500 || res.status === 408;
    return { kind: 'failed', reason: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, retryable, status: res.status, headers: res.headers };
  }
  const read = await readCapped(res, maxBytes, timeout, signal);
  if ('failure' in read) return { kind: 'failed', reason: read.failure, retryable: read.retryable, status: res.status };
  const body = read.body;
  // The charset stays with the type when it decides how the bytes read, so a stored version reads the same again.
  const mediaType = storedMediaType(res.headers.get('content-type'), body);
  if (body.length === 0) return { kind: 'failed', reason: 'empty body', retryable: true, status: res.status };
  if (looksLikeChallenge(body, mediaType)) {
    return { kind: 'failed', reason: 'bot-protection challenge page served instead of the document', retryable: true, status: res.status };
  }
  return {
    kind: 'content',
    status: res.status,
    body,
    mediaType,
    etag: res.headers.get('etag') ?? undefined,
    lastModified: res.headers.get('last-modified') ?? undefined,
    finalUrl: url,
    headers: res.headers,
  };
}

interface RawResponse {
  status: number;
  statusText: string;
  headers: ResponseHeaders;
  body: Readable;
}

/**
 * undici's parsed headers (names lower-cased, a repeated header as an array) read as fetch's Headers reads them.
 * Not a Headers: building one validates every name and value again, and its first use loads Node's own undici.
 */
class RawHeaders implements ResponseHeaders {
  constructor(private readonly raw: Record<string, string | string[] | undefined>) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
}

/**
 * A 304 (or 204) has no body (the parser ends it at once, whatever the server sends): read it to that end. Destroying it, as
 * discard() does, made undici build an abort error with its stack trace for every unchanged document (~40 µs each).
 */
async function finishEmpty(res: RawResponse): Promise<void> {
  res.body.on('error', () => undefined);
  const body = res.body as RawResponse['body'] & { dump?: (opts: { limit: number }) => Promise<unknown> };
  if (body.dump) await body.dump({ limit: 1024 }).catch(() => undefined);
  else body.destroy();
}

async function discard(res: RawResponse): Promise<void> {
  res.body.on('error', () => undefined);
  res.body.destroy();
}

class OverCap extends Error {}

function decoderFor(coding: string): Transform | undefined {
  // Default finishFlush (Z_FINISH): an incomplete stream is an error ("unexpected end of file"), never a short body.
  if (coding === 'gzip' || coding === 'x-gzip') return zlib.createGunzip();
  if (coding === 'br') return zlib.createBrotliDecompress();
  if (coding === 'deflate') return zlib.createInflate();
  return undefined;
}

/** Read the body, decoding its Content-Encoding strictly, with the byte cap on both the wire and the decoded bytes. */
async function readCapped(
  res: RawResponse,
  maxBytes: number,
  timeout: AbortSignal,
  signal: AbortSignal,
): Promise<{ body: Uint8Array } | { failure: string; retryable: boolean }> {
  const declared = res.headers.get('content-length');
  if (declared && Number(declared) > maxBytes) {
    await discard(res);
    return { failure: `body of ${declared} bytes is over the ${maxBytes}-byte cap`, retryable: false };
  }
  const codings = (res.headers.get('content-encoding') ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  const decoders: Transform[] = [];
  // Codings are listed in the order they were applied: undo them last to first.
  for (const c of [...codings].reverse()) {
    const d = decoderFor(c);
    if (!d) {
      await discard(res);
      return { failure: `unsupported Content-Encoding "${c}"`, retryable: false };
    }
    decoders.push(d);
  }
  const chunks: Buffer[] = [];
  let wire = 0;
  if (decoders.length === 0) {
    // No Content-Encoding (most documents): read as the bytes come, without a stream pipeline (which cost more than
    // the rest of a small document's read), under the same cap and with the same failures.
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        wire += chunk.length;
        // Leaving the loop destroys the body, as the pipeline did on its error.
        if (wire > maxBytes) return { failure: `body over the ${maxBytes}-byte cap`, retryable: false };
        chunks.push(chunk);
      }
    } catch (err) {
      if (timeout.aborted) return { failure: 'timed out while reading the body', retryable: true };
      return { failure: `body cut short (${wire} bytes read): ${describeNetworkError(err, timeout, signal)}`, retryable: true };
    }
    if (declared && wire !== Number(declared)) return { failure: `body cut short: ${wire} of ${declared} bytes`, retryable: true };
    return { body: Buffer.concat(chunks) };
  }
  let decoderFailed = false;
  for (const d of decoders) d.once('error', () => (decoderFailed = true));
  let decoded = 0;
  const onWire = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      wire += chunk.length;
      cb(wire > maxBytes ? new OverCap() : null, chunk);
    },
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      decoded += chunk.length;
      if (decoded > maxBytes) return cb(new OverCap());
      chunks.push(chunk);
      cb();
    },
  });
  try {
    await pipeline([res.body, onWire, ...decoders, sink]);
  } catch (err) {
    if (err instanceof OverCap) return { failure: `body over the ${maxBytes}-byte cap${decoded > maxBytes ? ` once decompressed (${codings.join(', ')})` : ''}`, retryable: false };
    if (timeout.aborted) return { failure: 'timed out while reading the body', retryable: true };
    if (decoderFailed) {
      return { failure: `compressed body (${codings.join(', ')}) is incomplete or corrupt after ${wire} bytes: ${(err as Error).message}`, retryable: true };
    }
    return { failure: `body cut short (${wire} bytes read): ${describeNetworkError(err, timeout, signal)}`, retryable: true };
  }
  // Content-Length counts the bytes on the wire, compressed or not.
  if (declared && wire !== Number(declared)) return { failure: `body cut short: ${wire} of ${declared} bytes`, retryable: true };
  return { body: Buffer.concat(chunks) };
}

function describeNetworkError(err: unknown, timeout: AbortSignal | undefined, signal?: AbortSignal): string {
  if (timeout?.aborted) return 'timed out';
  // The caller's reason (e.g. "check deadline of 300 s reached") says more than a bare "aborted".
  if (signal?.aborted && signal.reason instanceof Error && signal.reason.name !== 'AbortError') return signal.reason.message;
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'AbortError') return 'aborted';
  const cause = e?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  // undici says only "fetch failed"; the reason is in the cause (e.g. "bad port", a DNS failure).
  if (cause?.message) return `${e?.message ?? 'fetch failed'}: ${cause.message}`;
  return e?.message ?? String(err);
}

/** Drop the transport details a stored observation does not need. */
export function toOutcome(res: HttpResult): FetchOutcome {
  switch (res.kind) {
    case 'content':
      return { kind: 'content', body: res.body, mediaType: res.mediaType, etag: res.etag, lastModified: res.lastModified, status: res.status };
    case 'not-modified':
      return { kind: 'not-modified' };
    case 'gone':
      return { kind: 'gone', status: res.status };
    case 'failed':
      return { kind: 'failed', reason: res.reason, retryable: res.retryable, status: res.status, ...(res.code ? { code: res.code } : {}) };
  }
}

/**
 * A `fetch` for clients that read whole bodies themselves (Octokit): the body is read here, strictly decoded and
 * capped while streaming, and handed on as exact bytes (`application/octet-stream`, so no client re-decodes it as
 * text). An oversized body answers a synthetic 413, an incomplete one a 502, each with a JSON `message`.
 */
export function cappedFetch(maxBytes: number): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const signal = init?.signal ?? AbortSignal.timeout(DEFAULT_TIMEOUT_MS);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const r = await undiciRequest(url, { method: (init?.method ?? 'GET') as 'GET', headers: { 'accept-encoding': 'gzip, deflate, br', ...headers }, signal, dispatcher: getGlobalDispatcher() });
    const h = new Headers();
    for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
    const res: RawResponse = { status: r.statusCode, statusText: STATUS_CODES[r.statusCode] ?? '', headers: h, body: r.body };
    const synthetic = (status: number, message: string) => new Response(JSON.stringify({ message }), { status, headers: { 'content-type': 'application/json' } });
    if (r.statusCode === 204 || r.statusCode === 304) {
      await finishEmpty(res);
      return new Response(null, { status: r.statusCode, headers: h });
    }
    const declared = h.get('content-length');
    if (declared && Number(declared) > maxBytes) {
      await discard(res);
      return synthetic(413, `${declared} bytes, over the ${maxBytes}-byte cap`);
    }
    const read = await readCapped(res, maxBytes, AbortSignal.timeout(DEFAULT_TIMEOUT_MS), signal);
    if ('failure' in read) return synthetic(read.retryable ? 502 : 413, read.failure);
    const out = new Headers(h);
    out.delete('content-encoding');
    out.delete('content-length');
    if (r.statusCode === 200) out.set('content-type', 'application/octet-stream');
    return new Response(new Uint8Array(read.body).buffer, { status: r.statusCode, headers: out });
  };
}
