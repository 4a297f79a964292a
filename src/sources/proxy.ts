/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY for every outgoing request: the hub, GitHub (Octokit uses the global
 * fetch), web pages and Slack (its WebClient uses the global fetch too; SMTP is not HTTP and is not proxied).
 * Node's global fetch and undici's request() both follow the global dispatcher installed here.
 */
// The whole of undici here: its proxy agents tunnel with the connect() its index adds to every dispatcher. This module
// is loaded only when a proxy is configured; the fetchers otherwise use the parts in undici.ts.
import { EnvHttpProxyAgent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import { setProxyActive } from './proxy-state.js';

export { proxyActive } from './proxy-state.js';

/** Install the proxy named by `env` (lower-case names win, as curl does); returns how to undo it. */
export function installProxyFromEnv(env: NodeJS.ProcessEnv): () => void {
  const pick = (name: string) => env[name.toLowerCase()] ?? env[name];
  const httpProxy = pick('HTTP_PROXY') || undefined;
  const httpsProxy = pick('HTTPS_PROXY') || httpProxy;
  if (!httpProxy && !httpsProxy) return () => undefined;
  const previous: Dispatcher = getGlobalDispatcher();
  setGlobalDispatcher(new EnvHttpProxyAgent({ httpProxy, httpsProxy, noProxy: pick('NO_PROXY') ?? '' }));
  setProxyActive(true);
  return () => {
    setGlobalDispatcher(previous);
    setProxyActive(false);
  };
}
