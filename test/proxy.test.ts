/** HTTP(S)_PROXY and NO_PROXY: every outgoing request goes through a small loopback CONNECT proxy started here. */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../src/sources/http.js';
import { installProxyFromEnv } from '../src/sources/proxy.js';
import { FakeGitHub } from './fakes/github.js';
import { FakePages } from './fakes/pages.js';
import { Workspace } from './helpers/cli.js';

let proxy: Server;
let proxyUrl = '';
const tunnels: string[] = [];
let pages: FakePages;
let gh: FakeGitHub;
let undo: () => void = () => undefined;

beforeAll(async () => {
  proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  pages = await new FakePages().start();
  gh = await new FakeGitHub().start();
});
afterEach(() => {
  undo();
  tunnels.length = 0;
});
afterAll(async () => {
  proxy.closeAllConnections?.();
  await new Promise<void>((r) => proxy.close(() => r()));
  await pages.close();
  await gh.close();
});

describe('outgoing requests behind a proxy', () => {
  it('web pages go through HTTP_PROXY, and not when NO_PROXY names the host', async () => {
    pages.set('/license', { body: 'You may use the Model.\n', type: 'text/plain' });
    const host = new URL(pages.url('/')).host;
    undo = installProxyFromEnv({ HTTP_PROXY: proxyUrl });
    const r = await httpGet(pages.url('/license'));
    expect(r.kind).toBe('content');
    expect(tunnels).toEqual([host]);
    undo();
    tunnels.length = 0;
    undo = installProxyFromEnv({ HTTP_PROXY: proxyUrl, NO_PROXY: host });
    expect((await httpGet(pages.url('/license'))).kind).toBe('content');
    expect(tunnels).toEqual([]);
  });

  it('GitHub (Octokit) requests and file downloads go through the proxy', async () => {
    const ws = new Workspace();
    ws.env = { GITHUB_API_URL: gh.url };
    ws.writeWatchlist('models:\n  - id: p\n    github: org/p\n    paths: [LICENSE]\n');
    gh.commit('org/p', { LICENSE: 'Apache License 2.0\n' });
    undo = installProxyFromEnv({ HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl });
    const r = await ws.run(['check']);
    expect(r.stdout).toMatch(/^new {8}p gh:LICENSE$/m);
    expect(tunnels.length).toBeGreaterThanOrEqual(1);
    expect(new Set(tunnels)).toEqual(new Set([new URL(gh.url).host]));
  });

  it('Slack (WebClient) requests go through the proxy', async () => {
    const { WebClient } = await import('@slack/web-api');
    const slack = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(slack.address() as AddressInfo).port}`;
    undo = installProxyFromEnv({ HTTP_PROXY: proxyUrl });
    const res = await new WebClient('xoxb-test', { slackApiUrl: `${origin}/api/`, retryConfig: { retries: 0 } }).auth.test();
    expect(res.ok).toBe(true);
    expect(tunnels).toEqual([new URL(origin).host]);
    slack.closeAllConnections?.();
    await new Promise<void>((r) => slack.close(() => r()));
  });
});
