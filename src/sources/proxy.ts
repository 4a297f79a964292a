/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY for every outgoing request: the hub, GitHub (Octokit uses the global
 * fetch), web pages and Slack (its WebClient uses the global fetch too; SMTP is not HTTP and is not proxied).
 * Node's global fetch and undici's request() both follow the global dispatcher installed here.
 */
import { EnvHttpProxyAgent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';

let active = false;

/** Whether a proxy is configured; untrusted links then go through it (their address is checked beforehand). */
export function proxyActive(): boolean {
  return active;
}

/** Install the proxy named by `env` (lower-case names win, as curl does); returns how to undo it. */
export function installProxyFromEnv(env: NodeJS.ProcessEnv): () => void {
  const pick = (name: string) => env[name.toLowerCase()] ?? env[name];
  const httpProxy = pick('HTTP_PROXY') || undefined;
  const httpsProxy = pick('HTTPS_PROXY') || httpProxy;
  if (!httpProxy && !httpsProxy) return () => undefined;
  const previous: Dispatcher = getGlobalDispatcher();
  setGlobalDispatcher(new EnvHttpProxyAgent({ httpProxy, httpsProxy, noProxy: pick('NO_PROXY') ?? '' }));
  active = true;
  return () => {
    setGlobalDispatcher(previous);
    active = false;
  };
}
