import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback.js';

/** One commit of a fake hub repository: the whole file tree at that commit, and its card data. */
export interface HubCommit {
  sha: string;
  date: string;
  files: Map<string, Buffer>;
  cardData: Record<string, unknown>;
}

export interface HubRepo {
  id: string;
  gated: false | 'auto' | 'manual';
  /** Tokens granted access when gated. */
  grants: Set<string>;
  commits: Map<string, HubCommit>;
  refs: Map<string, string>;
}

/** A failure to serve instead of the normal answer, for the next `times` requests whose path starts with `prefix`. */
export interface HubFault {
  prefix: string;
  status: number;
  headers?: Record<string, string>;
  times: number;
}

const gitBlobSha = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

/**
 * A Hugging Face hub on 127.0.0.1: `/api/models/{id}[/revision/{rev}]` and `/{id}/resolve/{rev}/{path}`, with
 * switchable revisions, ETags answered with 304, gated repos (401/403 + X-Error-Code GatedRepo), RepoNotFound /
 * RevisionNotFound / EntryNotFound, and injected 429 (RateLimit + Retry-After) or 500. Plain Maps, so the
 * benchmark can load thousands of repositories.
 */
export class FakeHub extends LoopbackServer {
  readonly repos = new Map<string, HubRepo>();
  readonly faults: HubFault[] = [];
  /** When set, file downloads answer 302 to this base URL + the file path (a CDN on another origin). */
  cdn?: string;
  private counter = 0;

  get url(): string {
    return this.origin;
  }

  /** Commit a new tree to `main` (files given as text; `null` deletes). Returns the new commit sha. */
  commit(id: string, files: Record<string, string | null>, opts: { cardData?: Record<string, unknown>; gated?: HubRepo['gated'] } = {}): string {
    let repo = this.repos.get(id);
    if (!repo) {
      repo = { id, gated: false, grants: new Set(), commits: new Map(), refs: new Map() };
      this.repos.set(id, repo);
    }
    if (opts.gated !== undefined) repo.gated = opts.gated;
    const parent = repo.refs.get('main') ? repo.commits.get(repo.refs.get('main')!) : undefined;
    const tree = new Map(parent?.files ?? []);
    for (const [path, text] of Object.entries(files)) {
      if (text === null) tree.delete(path);
      else tree.set(path, Buffer.from(text));
    }
    const sha = createHash('sha1').update(`${id}:${++this.counter}`).digest('hex');
    const date = new Date(Date.UTC(2026, 0, 1) + this.counter * 86_400_000).toISOString();
    repo.commits.set(sha, { sha, date, files: tree, cardData: opts.cardData ?? parent?.cardData ?? {} });
    repo.refs.set('main', sha);
    return sha;
  }

  head(id: string): string {
    return this.repos.get(id)!.refs.get('main')!;
  }

  fail(fault: Omit<HubFault, 'times'> & { times?: number }): void {
    this.faults.push({ times: 1, ...fault });
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
      const buf = Buffer.from(body);
      res.writeHead(status, { 'content-length': String(buf.length), ...headers }).end(buf);
      this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, status, bytes: buf.length });
    };
    const error = (status: number, code: string, message: string) =>
      send(status, JSON.stringify({ error: message }), { 'content-type': 'application/json', 'x-error-code': code, 'x-error-message': message });

    const fault = this.faults.find((f) => f.times > 0 && path.startsWith(f.prefix));
    if (fault) {
      fault.times--;
      return send(fault.status, JSON.stringify({ error: `injected ${fault.status}` }), { 'content-type': 'application/json', ...fault.headers });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];

    const api = /^\/api\/models\/([^/]+\/[^/]+)(?:\/revision\/(.+))?$/.exec(path);
    if (api) {
      const repo = this.repos.get(api[1]!);
      if (!repo) return token ? error(404, 'RepoNotFound', 'Repository not found') : error(401, 'RepoNotFound', 'Repository not found');
      const commit = this.lookup(repo, api[2] ?? 'main');
      if (!commit) return error(404, 'RevisionNotFound', `Invalid rev id: ${api[2]}`);
      const info = {
        id: repo.id,
        sha: commit.sha,
        lastModified: commit.date,
        gated: repo.gated,
        cardData: commit.cardData,
        siblings: [...commit.files.keys()].map((rfilename) => ({ rfilename })),
      };
      return send(200, JSON.stringify(info), { 'content-type': 'application/json' });
    }

    const file = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (file) {
      const repo = this.repos.get(file[1]!);
      if (!repo) return token ? error(404, 'RepoNotFound', 'Repository not found') : error(401, 'RepoNotFound', 'Repository not found');
      if (repo.gated) {
        if (!token) return error(401, 'GatedRepo', `Access to model ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`);
        if (!repo.grants.has(token)) return error(403, 'GatedRepo', `Access to model ${repo.id} is restricted and you are not in the authorized list.`);
      }
      const commit = this.lookup(repo, file[2]!);
      if (!commit) return error(404, 'RevisionNotFound', `Invalid rev id: ${file[2]}`);
      const body = commit.files.get(file[3]!);
      if (!body) return error(404, 'EntryNotFound', `${file[3]} does not exist on "${file[2]}"`);
      if (this.cdn) {
        res.writeHead(302, { location: `${this.cdn}/${file[3]}` }).end();
        this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, status: 302, bytes: 0 });
        return;
      }
      const etag = `"${gitBlobSha(body)}"`;
      const headers = { etag, 'x-repo-commit': commit.sha, 'content-type': 'text/plain; charset=utf-8' };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers).end();
        this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, status: 304, bytes: 0 });
        return;
      }
      return send(200, body, headers);
    }
    send(404, 'Not Found', { 'content-type': 'text/plain' });
  }

  private lookup(repo: HubRepo, rev: string): HubCommit | undefined {
    return repo.commits.get(repo.refs.get(rev) ?? rev);
  }
}
