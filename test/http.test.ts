import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSafeUrl, guardedAgent, guardedLookup, httpGet, USER_AGENT } from '../src/sources/http.js';
import { FakePages } from './fakes/pages.js';

let pages: FakePages;
beforeAll(async () => {
  pages = await new FakePages().start();
});
afterAll(() => pages.close());

describe('the guarded HTTP client', () => {
  it('names itself and answers a matching ETag with not-modified, without a body', async () => {
    pages.set('/terms', '<p>Terms v1</p>');
    const first = await httpGet(pages.url('/terms'));
    expect(first.kind).toBe('content');
    const etag = first.kind === 'content' ? first.etag : undefined;
    expect(etag).toMatch(/^"/);
    const second = await httpGet(pages.url('/terms'), { etag });
    expect(second.kind).toBe('not-modified');
    const reqs = pages.requests.filter((r) => r.path === '/terms');
    expect(reqs[0]!.headers['user-agent']).toBe(USER_AGENT);
    expect(reqs[1]!.headers['if-none-match']).toBe(etag);
    expect(reqs[1]!.bytes).toBe(0);
  });

  it('classifies error statuses as failures and 404/410 as gone', async () => {
    pages.set('/500', { status: 500, body: '<h1>Internal error</h1>' });
    pages.set('/410', { status: 410, body: 'gone' });
    expect(await httpGet(pages.url('/500'))).toMatchObject({ kind: 'failed', reason: 'HTTP 500 Internal Server Error', retryable: true });
    expect(await httpGet(pages.url('/missing'))).toMatchObject({ kind: 'gone', status: 404 });
    expect(await httpGet(pages.url('/410'))).toMatchObject({ kind: 'gone', status: 410 });
  });

  it('refuses a body cut short, an empty body and a body over the cap', async () => {
    pages.set('/cut', { body: 'x'.repeat(10_000), truncate: true });
    pages.set('/empty', { body: '' });
    pages.set('/big', { body: 'y'.repeat(2048) });
    const cut = await httpGet(pages.url('/cut'));
    expect(cut).toMatchObject({ kind: 'failed', retryable: true });
    expect(cut.kind === 'failed' && cut.reason).toMatch(/cut short/);
    expect(await httpGet(pages.url('/empty'))).toMatchObject({ kind: 'failed', reason: 'empty body' });
    const big = await httpGet(pages.url('/big'), { maxBytes: 1024 });
    expect(big.kind === 'failed' && big.reason).toMatch(/over the 1024-byte cap/);
  });

  it('refuses a bot-challenge interstitial served with 200', async () => {
    pages.set('/challenge', '<html><head><title>Just a moment...</title></head><body>Enable JavaScript and cookies to continue</body></html>');
    const r = await httpGet(pages.url('/challenge'));
    expect(r.kind === 'failed' && r.reason).toMatch(/bot-protection challenge/);
  });

  it('follows at most five redirects', async () => {
    for (let i = 0; i < 7; i++) pages.set(`/r${i}`, { redirectTo: `/r${i + 1}` });
    pages.set('/r7', 'end');
    pages.set('/short', { redirectTo: '/r5' });
    expect(await httpGet(pages.url('/short'))).toMatchObject({ kind: 'content' });
    const far = await httpGet(pages.url('/r0'));
    expect(far).toMatchObject({ kind: 'failed', reason: 'more than 5 redirects' });
  });

  it('gives up on a server that does not answer in time', async () => {
    pages.set('/slow', { body: 'late', delayMs: 2000 });
    const r = await httpGet(pages.url('/slow'), { timeoutMs: 200 });
    expect(r).toMatchObject({ kind: 'failed', reason: 'timed out', retryable: true });
  });

  it('will not follow an untrusted link to a loopback address unless private networks are allowed', async () => {
    pages.set('/aup', 'policy');
    const refused = await httpGet(pages.url('/aup'), { untrusted: true });
    expect(refused.kind === 'failed' && refused.reason).toMatch(/refused: .* is not a public address/);
    expect(await httpGet(pages.url('/aup'), { untrusted: true, allowPrivateNetwork: true })).toMatchObject({ kind: 'content' });
    const creds = await httpGet('http://user:pw@127.0.0.1:1/x', { untrusted: true, allowPrivateNetwork: true });
    expect(creds.kind === 'failed' && creds.reason).toMatch(/credentials/);
  });
});

describe('the connection-time address guard for untrusted links', () => {
  it('refuses to connect when the name resolves to loopback, whatever an earlier lookup said', async () => {
    pages.set('/rebind', 'secret metadata');
    const { fetch: undiciFetch } = await import('undici');
    const port = new URL(pages.url('/')).port;
    const err = await undiciFetch(`http://localhost:${port}/rebind`, { dispatcher: guardedAgent() }).then(
      () => undefined,
      (e: Error & { cause?: { code?: string } }) => e,
    );
    expect(err?.cause?.code).toBe('EUNSAFEADDRESS');
    expect(pages.requests.filter((r) => r.path === '/rebind')).toEqual([]);
  });

  it('lets a public address through', async () => {
    // A regression: an IPv4-mapped IPv6 rule once made every IPv4 address look private, so no policy link was followed.
    await expect(assertSafeUrl('https://93.184.215.14/policy', false)).resolves.toBeInstanceOf(URL);
    const answer = await new Promise<string>((resolve, reject) =>
      guardedLookup('93.184.215.14', {}, (e, address) => (e ? reject(e) : resolve(String(address)))),
    );
    expect(answer).toBe('93.184.215.14');
    const mapped = await new Promise<Error | null>((resolve) => guardedLookup('::ffff:127.0.0.1', {}, (e) => resolve(e)));
    expect(mapped?.message).toMatch(/refused: .* is not a public address/);
  });
});
