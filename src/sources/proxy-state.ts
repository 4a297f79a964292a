/** Whether a proxy is installed (proxy.ts sets it): a module of its own, so the fetchers can ask without loading the proxy agent. */
let active = false;

/** Whether a proxy is configured; untrusted links then go through it (their address is checked beforehand). */
export function proxyActive(): boolean {
  return active;
}

export function setProxyActive(on: boolean): void {
  active = on;
}
