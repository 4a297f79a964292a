/**
 * The parts of undici the fetchers use, each imported from its own module. undici's index also loads fetch,
 * WebSocket, EventSource, cookies, caches, the mock agent and, through its cookies, Node's own bundled copy of
 * undici: ~25 ms of every `check`'s start-up (bench/startup.ts), for nothing a check uses. The paths are the layout
 * of undici 7 (package.json pins it); the HTTP tests run these very modules against real servers. The proxy agent comes
 * with the whole of undici in proxy.ts, which is loaded only when a proxy is configured.
 */
import type { Agent as AgentType, Dispatcher } from 'undici';
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import requestImpl from 'undici/lib/api/api-request.js';
import globals from 'undici/lib/global.js';

export type { Dispatcher };
export const Agent: typeof AgentType = AgentImpl;
export type Agent = AgentType;
export const getGlobalDispatcher: () => Dispatcher = globals.getGlobalDispatcher;
export const setGlobalDispatcher: (d: Dispatcher) => void = globals.setGlobalDispatcher;

/**
 * undici's request(url, options) without its index: the URL split into origin and path as undici's own wrapper
 * does, then the request dispatched on `dispatcher` (the guarded agent, or the global one a proxy may replace).
 */
export function request(url: string, opts: Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher }): Promise<Dispatcher.ResponseData> {
  const u = new URL(url);
  const { dispatcher, ...rest } = opts;
  return requestImpl.call(dispatcher, { ...rest, origin: u.origin, path: u.search ? `${u.pathname}${u.search}` : u.pathname });
}
