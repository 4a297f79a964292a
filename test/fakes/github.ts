import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback.js';

export interface GhCommit {
  sha: string;
  parent?: string;
  date: string;
  message: string;
  files: Map<string, Buffer>;
}

export interface GhRepo {
  fullName: string;
  defaultBranch: string;
  branches: Map<string, string>;
  commits: Map<string, GhCommit>;
}

/** A failure to serve instead of the normal answer, for the next `times` requests whose path starts with `prefix`. */
export interface GhFault {
  prefix: string;
  status: number;
  headers?: Record<string, string>;
  message?: string;
  times: number;
}

/**
 * The part of GitHub's REST API termdrift uses, on 127.0.0.1: commits (`/commits/{ref}` incl. the bare-sha media
 * type, `/commits?path=&sha=`), contents (raw or JSON), `/license` (licensee-like: a root LICENSE* file), with
 * an ETag on every 200 answered with 304 (which, as on GitHub, does not use up the rate limit), rate-limit
 * headers on every answer, and injected 403/429/500. Plain Maps: scales to thousands of repositories.
 */
export class FakeGitHub extends LoopbackServer {
  readonly repos = new Map<string, GhRepo>();
  readonly faults: GhFault[] = [];
  remaining = 5000;
  private counter = 0;

  get url(): string {
    return this.origin;
  }

  /** Commit to a branch (default: the default branch); `null` deletes a file. Returns the commit sha. */
  commit(fullName: string, files: Record<string, string | Buffer | null>, opts: { branch?: string; message?: string } = {}): string {
    let repo = this.repos.get(fullName);
    if (!repo) {
      repo = { fullName, defaultBranch: 'main', branches: new Map(), commits: new Map() };
      this.repos.set(fullName, repo);
    }
    const branch = opts.branch ?? repo.defaultBranch;
    const parentSha = repo.branches.get(branch);
    const tree = new Map(parentSha ? repo.commits.get(parentSha)!.files : []);
    for (const [path, text] of Object.entries(files)) {
      if (text === null) tree.delete(path);
      else tree.set(path, Buffer.from(text));
    }
    const sha = createHash('sha1').update(`${fullName}:${++this.counter}`).digest('hex');
    const date = new Date(Date.UTC(2026, 0, 1) + this.counter * 86_400_000).toISOString();
    repo.commits.set(sha, { sha, parent: parentSha, date, message: opts.message ?? `commit ${this.counter}`, files: tree });
    repo.branches.set(branch, sha);
    return sha;
  }

  fail(fault: Omit<GhFault, 'times'> & { times?: number }): void {
    this.faults.push({ times: 1, ...fault });
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(u.pathname);
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
      const buf = Buffer.from(body);
      const etag = `"${createHash('sha1').update(buf).update(String(req.headers.accept)).digest('hex')}"`;
      const notModified = status === 200 && req.headers['if-none-match'] === etag;
      if (!notModified && status !== 304) this.remaining = Math.max(0, this.remaining - 1);
      const common = { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': String(this.remaining), 'x-ratelimit-reset': reset, ...headers };
      if (notModified) res.writeHead(304, { etag, ...common }).end();
      else res.writeHead(status, { 'content-length': String(buf.length), ...(status === 200 ? { etag } : {}), ...common }).end(buf);
      this.requests.push({ method: req.method ?? 'GET', path: `${path}${u.search}`, headers: req.headers, status: notModified ? 304 : status, bytes: notModified ? 0 : buf.length });
    };
    const json = (status: number, data: unknown, headers: Record<string, string> = {}) =>
      send(status, JSON.stringify(data), { 'content-type': 'application/json; charset=utf-8', ...headers });
    const notFound = () => json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });

    const fault = this.faults.find((f) => f.times > 0 && path.startsWith(f.prefix));
    if (fault) {
      fault.times--;
      return json(fault.status, { message: fault.message ?? `injected ${fault.status}` }, fault.headers);
    }
    const m = /^\/repos\/([^/]+\/[^/]+)\/(commits|contents|license)(?:\/(.*))?$/.exec(path);
    const repo = m && this.repos.get(m[1]!);
    if (!m || !repo) return notFound();
    const resolve = (ref: string | null) => {
      const r = ref === null || ref === 'HEAD' ? repo.defaultBranch : ref;
      return repo.commits.get(repo.branches.get(r) ?? r);
    };
    const commitJson = (c: GhCommit) => ({
      sha: c.sha,
      commit: { message: c.message, author: { name: 'fake', date: c.date }, committer: { name: 'fake', date: c.date } },
    });
    const accept = String(req.headers.accept ?? '');

    if (m[2] === 'commits' && m[3]) {
      const c = resolve(m[3]);
      if (!c) return json(422, { message: `No commit found for SHA: ${m[3]}` });
      if (/\.sha\b|vnd\.github\.sha/.test(accept)) return send(200, c.sha, { 'content-type': 'application/vnd.github.sha' });
      return json(200, commitJson(c));
    }
    if (m[2] === 'commits') {
      const start = resolve(u.searchParams.get('sha'));
      if (!start) return json(422, { message: 'No commit found' });
      const filePath = u.searchParams.get('path');
      const perPage = Number(u.searchParams.get('per_page') ?? 30);
      const out: GhCommit[] = [];
      for (let c: GhCommit | undefined = start; c && out.length < perPage; c = c.parent ? repo.commits.get(c.parent) : undefined) {
        const parent = c.parent ? repo.commits.get(c.parent) : undefined;
        if (!filePath) out.push(c);
        else {
          const now = c.files.get(filePath);
          const before = parent?.files.get(filePath);
          // A commit "touches" a path when the file's bytes differ from its parent's (added, edited or deleted).
          if ((now || before) && !(now && before && now.equals(before))) out.push(c);
        }
      }
      // Like GitHub, a path deleted at the head still lists the commit that deleted it.
      return json(200, out.map(commitJson));
    }
    const c = resolve(u.searchParams.get('ref'));
    if (!c) return notFound();
    if (m[2] === 'license') {
      const file = [...c.files.keys()].find((p) => /^(?:licen[cs]e|copying)(?:\.\w+)?$/i.test(p) || /^licen[cs]e[-_]/i.test(p));
      if (!file) return notFound();
      const body = c.files.get(file)!;
      return json(200, { name: file, path: file, type: 'file', encoding: 'base64', content: body.toString('base64'), license: { key: 'other', name: 'Other', spdx_id: 'NOASSERTION', url: null } });
    }
    const body = c.files.get(m[3] ?? '');
    if (!body) return notFound();
    if (/vnd\.github(?:\.v3)?\.raw/.test(accept)) return send(200, body, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
    return json(200, { type: 'file', path: m[3], encoding: 'base64', size: body.length, content: body.toString('base64') });
  }
}
