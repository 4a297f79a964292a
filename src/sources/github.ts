import { RequestError } from '@octokit/request-error';
import type { WatchedModel } from '../config/schema.js';
import { mediaTypeForFile } from '../normalize/version.js';
import { encodePath, roleOfFile } from './bundle.js';
import { cappedFetch, DEFAULT_MAX_BYTES } from './http.js';
import type { Client } from './github-client.js';
import { rateLimitedUntil, waitSeconds } from './ratelimit.js';
import type { FetchedDocument, FetchOutcome, KnownState, Source } from './types.js';
import { SourceError } from './errors.js';
import { stringList } from '../store/columns.js';

export interface GitHubOptions {
  apiUrl: string;
  token?: string;
  /** A rate-limit wait longer than this fails the documents ("rate limited until HH:MM") instead of waiting. */
  maxWaitSeconds?: number;
  /** Retries of 5xx and network errors (github-client.ts), and the base of its quadratic backoff. */
  retries?: number;
  retryBaseMs?: number;
  timeoutMs?: number;
}

/** A repository-level failure (head commit unreadable): every document of the repository gets this reason. One class for every source: SourceError. */
export const GitHubError = SourceError;
export type GitHubError = SourceError;

export const STATE_ETAG = 'gh:etag';
export const STATE_HEAD = 'gh:head';
export const STATE_PATHS = 'gh:paths';
export const STATE_LICENSE_ETAG = 'gh:license-etag';
export const STATE_LICENSE_PATH = 'gh:license-path';
const stateCommit = (path: string) => `gh:commit:${path}`;

export function ghLocator(path: string): string {
  return `gh:${path}`;
}

/**
 * Files of a GitHub repository at its branch head. The head is asked for conditionally (ETag kept in source
 * state), so an unchanged repository costs one 304, which GitHub does not count against an authenticated rate
 * limit. When the head moved, each file's last commit is looked up (one small request) and the file is only
 * downloaded, at that exact commit, if that commit is new.
 */
export class GitHubSource implements Source {
  readonly name = 'github';
  private gh?: Promise<Client>;
  private readonly web: string;

  constructor(private readonly opts: GitHubOptions) {
    this.web = opts.apiUrl === 'https://api.github.com' ? 'https://github.com' : opts.apiUrl.replace(/\/api\/v3$/, '');
  }

  /** Octokit, loaded with the first request to GitHub (github-client.ts). */
  private client(): Promise<Client> {
    return (this.gh ??= import('./github-client.js').then((m) => m.createClient(this.opts)));
  }

  applies(model: WatchedModel): boolean {
    return Boolean(model.github);
  }

  async *fetch(model: WatchedModel, known: KnownState, signal: AbortSignal): AsyncIterable<FetchedDocument> {
    const [owner, repo] = model.github!.split('/') as [string, string];
    const ref = model.ref ?? 'HEAD';
    const page = (path: string) => `${this.web}/${owner}/${repo}/blob/${model.ref ?? 'HEAD'}/${encodePath(path)}`;
    const doc = (path: string, outcome: FetchOutcome, extra: Partial<FetchedDocument> = {}): FetchedDocument => ({
      locator: ghLocator(path),
      role: roleOfFile(path),
      url: page(path),
      fetchedAt: new Date(),
      outcome,
      ...extra,
    });
    const stored = [...known.documents.values()].filter((d) => d.locator.startsWith('gh:') && !d.goneAt);
    const timeoutMs = this.opts.timeoutMs ?? 30_000;
    // A fresh timeout per request: a repository with many files must not share one budget.
    const req = {
      get signal() {
        return AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
      },
    };

    let head: string;
    let etag: string | undefined;
    try {
      const prevEtag = known.state.get(STATE_ETAG);
      const res = await this.headCommit(owner, repo, ref, prevEtag, req.signal);
      const lastPaths = known.state.get(STATE_PATHS);
      const expected = model.paths ?? stringList(lastPaths) ?? [];
      const allStored = expected.length > 0 && expected.every((p) => known.documents.get(ghLocator(p))?.hasVersion);
      if (res === 'not-modified' && allStored && (!model.paths || lastPaths === JSON.stringify(model.paths))) {
        for (const p of expected) yield doc(p, { kind: 'not-modified' });
        return;
      }
      if (res === 'not-modified') {
        head = known.state.get(STATE_HEAD) ?? ref;
        etag = prevEtag;
      } else ({ sha: head, etag } = res);
    } catch (err) {
      const f = this.describe(err, `${owner}/${repo}@${ref}`);
      if (stored.length === 0) throw new GitHubError(f.reason, f.retryable, f.status);
      for (const d of stored) yield doc(d.locator.slice(3), { kind: 'failed', ...f });
      return;
    }

    let complete = true;
    let paths: string[];
    try {
      paths = model.paths ?? (await this.defaultPaths(owner, repo, model.ref, known, req.signal));
    } catch (err) {
      const f = this.describe(err, `${owner}/${repo}`);
      if (stored.length === 0) throw new GitHubError(f.reason, f.retryable, f.status);
      for (const d of stored) yield doc(d.locator.slice(3), { kind: 'failed', ...f });
      return;
    }
    for (const path of paths) {
      const prev = known.documents.get(ghLocator(path));
      let out: FetchedDocument;
      try {
        const commits = await (await this.client()).rest.repos.listCommits({ owner, repo, path, sha: head, per_page: 1, request: { signal: req.signal } });
        const last = commits.data[0];
        if (!last) {
          out = doc(path, { kind: 'gone', status: 404 });
          if (!prev?.goneAt) complete = false;
        } else {
          const date = last.commit.committer?.date ?? last.commit.author?.date ?? undefined;
          const provenance = { revision: last.sha, revisionDate: date };
          if (prev?.hasVersion && !prev.goneAt && known.state.get(stateCommit(path)) === last.sha) {
            out = doc(path, { kind: 'not-modified' }, provenance);
          } else {
            const body = await this.fileAt(owner, repo, path, last.sha, req.signal);
            out = doc(path, { kind: 'content', body, mediaType: mediaTypeForFile(path), status: 200 }, provenance);
          }
          known.setState(stateCommit(path), last.sha);
        }
      } catch (err) {
        const f = this.describe(err, `${owner}/${repo}:${path}`);
        out = f.status === 404 ? doc(path, { kind: 'gone', status: 404 }) : doc(path, { kind: 'failed', ...f });
        // A file already recorded as gone stays gone without forcing a full check every time.
        if (!(f.status === 404 && prev?.goneAt)) complete = false;
      }
      yield out;
    }
    known.setState(STATE_PATHS, JSON.stringify(paths));
    known.setState(STATE_HEAD, head);
    // Keep the head's ETag only when every file was read, so a failed file is retried even if the head stays put.
    known.setState(STATE_ETAG, complete ? etag : undefined);
  }

  /** The commit the ref points to, as a bare sha (`application/vnd.github.sha`), asked for conditionally. */
  private async headCommit(owner: string, repo: string, ref: string, etag: string | undefined, signal: AbortSignal) {
    try {
      const res = await (await this.client()).rest.repos.getCommit({
        owner,
        repo,
        ref,
        mediaType: { format: 'sha' },
        headers: etag ? { 'if-none-match': etag } : {},
        request: { signal },
      });
      const sha = textOf(res.data).trim();
      if (!/^[0-9a-f]{40}$/.test(sha)) throw new GitHubError(`GitHub answered "${sha.slice(0, 40)}" for the head of ${owner}/${repo}@${ref}`, true);
      return { sha, etag: res.headers.etag };
    } catch (err) {
      if (err instanceof RequestError && err.status === 304) return 'not-modified' as const;
      throw err;
    }
  }

  /**
   * Default paths: the license file GitHub detects on the ref, and README.md. The answer embeds the whole
   * license, so it is asked for conditionally: usually a 304 and the path remembered from last time.
   */
  private async defaultPaths(owner: string, repo: string, ref: string | undefined, known: KnownState, signal: AbortSignal): Promise<string[]> {
    const withReadme = (p: string | undefined) => (p && p !== 'README.md' ? [p, 'README.md'] : ['README.md']);
    const etag = known.state.get(STATE_LICENSE_ETAG);
    try {
      const res = await (await this.client()).rest.licenses.getForRepo({
        owner,
        repo,
        ...(ref ? { ref } : {}),
        headers: etag ? { 'if-none-match': etag } : {},
        request: { signal },
      });
      known.setState(STATE_LICENSE_ETAG, res.headers.etag);
      known.setState(STATE_LICENSE_PATH, res.data.path);
      return withReadme(res.data.path);
    } catch (err) {
      if (err instanceof RequestError && err.status === 304) return withReadme(known.state.get(STATE_LICENSE_PATH));
      if (err instanceof RequestError && err.status === 404) {
        known.setState(STATE_LICENSE_ETAG, undefined);
        known.setState(STATE_LICENSE_PATH, undefined);
        return ['README.md'];
      }
      throw err;
    }
  }

  private async fileAt(owner: string, repo: string, path: string, sha: string, signal: AbortSignal): Promise<Uint8Array> {
    // Read through cappedFetch: capped while streaming (GitHub's Content-Length is checked before the body is
    // read; a gzip bomb stops at the cap), decoded strictly, and handed back as the exact upstream bytes.
    const res = await (await this.client()).rest.repos.getContent({ owner, repo, path, ref: sha, mediaType: { format: 'raw' }, request: { signal, fetch: cappedFetch(DEFAULT_MAX_BYTES) } });
    const data: unknown = res.data;
    const body = data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(textOf(data));
    if (body.length === 0) throw new GitHubError(`${path} is empty at ${sha.slice(0, 12)}`, true);
    return body;
  }

  private describe(err: unknown, what: string): { reason: string; retryable: boolean; status?: number } {
    if (err instanceof GitHubError) return { reason: err.message, retryable: err.retryable, status: err.status };
    if (!(err instanceof RequestError)) return { reason: `GitHub API: ${(err as Error).message}`, retryable: true };
    const h = err.response?.headers ?? {};
    const get = (n: string) => {
      const v = (h as Record<string, unknown>)[n];
      return v === undefined ? undefined : String(v);
    };
    if ((err.status === 403 || err.status === 429) && (get('x-ratelimit-remaining') === '0' || get('retry-after') || /rate limit/i.test(err.message))) {
      return { reason: rateLimitedUntil(waitSeconds(get) ?? 60), retryable: true, status: err.status };
    }
    if (err.status === 413) return { reason: `${what}: ${err.message}`, retryable: false, status: 413 };
    const c = err.cause as { name?: string; cause?: { code?: string; message?: string }; message?: string } | undefined;
    if (err.status === 500 && c && c.name !== 'AbortError' && c.name !== 'TimeoutError' && !err.response) {
      // Octokit reports a connection failure (DNS, refused, reset) as HTTP 500 with the fetch error as its cause.
      const host = hostOf(err.request?.url ?? this.opts.apiUrl);
      const why = c.cause?.message ?? c.message ?? 'connection failed';
      return { reason: `cannot reach ${host}: ${why}; no network, or set HTTPS_PROXY`, retryable: true };
    }
    if (err.status === 401) return { reason: `GitHub rejected GITHUB_TOKEN (HTTP 401)`, retryable: false, status: 401 };
    if (err.status === 404 || err.status === 422) {
      const hint = this.opts.token ? '' : ' (if it is private, set GITHUB_TOKEN)';
      return { reason: `${what} not found on GitHub${hint}`, retryable: false, status: 404 };
    }
    return { reason: `GitHub API: HTTP ${err.status}`, retryable: err.status >= 500 || err.status === 408, status: err.status };
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Octokit hands back custom media types as text or as an ArrayBuffer, depending on the Content-Type. */
function textOf(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return JSON.stringify(data);
}
