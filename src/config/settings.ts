import path from 'node:path';

/** Everything the process reads from its environment, in one place, with documented defaults. */
export interface Settings {
  watchlistPath: string;
  dbPath: string;
  /** "host:port" for the worker's HTTP endpoint, or null when TERMDRIFT_HTTP=off. */
  http: { host: string; port: number } | null;
  hfEndpoint: string;
  hfToken?: string;
  githubApiUrl: string;
  githubToken?: string;
  slackApiUrl?: string;
  slackBotToken?: string;
  smtpUrl?: string;
  allowPrivateNetwork: boolean;
  logLevel: string;
  /** Worker: checks running at once (TERMDRIFT_CONCURRENCY). */
  concurrency: number;
  /** Requests in flight at once to one host, all models together (TERMDRIFT_HOST_CONCURRENCY). */
  hostConcurrency: number;
  /**
   * Opt-in limits for hosts the user names, above (or below) hostConcurrency: a self-hosted mirror, HF_ENDPOINT's
   * host (TERMDRIFT_HOST_LIMITS="host[:port]=N,…"). Public hosts keep the polite default.
   */
  hostLimits: Map<string, number>;
  /** Hard deadline of one model's check (TERMDRIFT_CHECK_TIMEOUT, seconds). */
  checkTimeoutMs: number;
  /** How long SIGTERM waits for in-flight checks (TERMDRIFT_SHUTDOWN_GRACE, seconds). */
  shutdownGraceMs: number;
  /** Worker: how long a model's alerts wait for the rest of its check, to go out as one message (TERMDRIFT_ALERT_SETTLE, seconds). */
  alertSettleMs: number;
  /** TERMDRIFT_UI_TOKEN: enables sign-off from the dashboard (unset = the dashboard is strictly read-only). */
  uiToken?: string;
  /**
   * Reads a variable the watchlist names (notify.webhook.secret_env). A function, not a copy of the environment,
   * so printing the settings can never print every secret.
   */
  envVar: (name: string) => string | undefined;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Settings {
  const httpSetting = env.TERMDRIFT_HTTP ?? '127.0.0.1:8787';
  return {
    watchlistPath: path.resolve(cwd, env.TERMDRIFT_WATCHLIST ?? 'watchlist.yaml'),
    dbPath: path.resolve(cwd, env.TERMDRIFT_DB ?? path.join('data', 'termdrift.db')),
    http: parseHostPort(httpSetting),
    hfEndpoint: (env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, ''),
    hfToken: env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined,
    githubApiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    githubToken: env.GITHUB_TOKEN || undefined,
    slackApiUrl: env.SLACK_API_URL || undefined,
    slackBotToken: env.SLACK_BOT_TOKEN || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    allowPrivateNetwork: env.TERMDRIFT_ALLOW_PRIVATE_NETWORK === '1' || env.TERMDRIFT_ALLOW_PRIVATE_NETWORK === 'true',
    logLevel: env.TERMDRIFT_LOG_LEVEL ?? 'info',
    concurrency: positiveNumber(env, 'TERMDRIFT_CONCURRENCY', 4, true),
    hostConcurrency: positiveNumber(env, 'TERMDRIFT_HOST_CONCURRENCY', 2, true),
    hostLimits: parseHostLimits(env.TERMDRIFT_HOST_LIMITS ?? ''),
    checkTimeoutMs: positiveNumber(env, 'TERMDRIFT_CHECK_TIMEOUT', 300, false) * 1000,
    shutdownGraceMs: positiveNumber(env, 'TERMDRIFT_SHUTDOWN_GRACE', 30, false) * 1000,
    alertSettleMs: positiveNumber(env, 'TERMDRIFT_ALERT_SETTLE', 60, false) * 1000,
    uiToken: env.TERMDRIFT_UI_TOKEN || undefined,
    envVar: (name) => env[name] || undefined,
  };
}

/** A setting that must be a positive number; a typo is an error at start, never a silent default. */
function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, integer: boolean): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new SettingsError(`${name}: "${raw}" is not a positive ${integer ? 'whole number' : 'number'} (default ${fallback})`);
  }
  return n;
}

/** "host[:port]=N, …": each entry a host as a URL spells it (no scheme, no path) and a whole number ≥ 1. */
function parseHostLimits(raw: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const m = /^([^\s=/]+)=(\d+)$/.exec(entry);
    const n = m ? Number(m[2]) : NaN;
    if (!m || !Number.isSafeInteger(n) || n < 1 || /^[a-z][a-z0-9+.-]*:\/\//i.test(m[1]!)) {
      throw new SettingsError(`TERMDRIFT_HOST_LIMITS: "${entry}" is not host[:port]=N with N a whole number ≥ 1 (e.g. hf-mirror.internal=8)`);
    }
    out.set(m[1]!.toLowerCase(), n);
  }
  return out;
}

/** An environment variable with a value termdrift cannot use. */
export class SettingsError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

function parseHostPort(value: string): { host: string; port: number } | null {
  if (value === 'off' || value === '') return null;
  const m = /^(?:(.*):)?(\d+)$/.exec(value);
  if (!m) throw new SettingsError(`TERMDRIFT_HTTP: "${value}" is not host:port, a port, or off`);
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
}

/** Values that must never reach a log line, an alert or the database. */
export function secretValues(s: Settings): string[] {
  const out: string[] = [];
  for (const v of [s.hfToken, s.githubToken, s.slackBotToken, s.uiToken]) if (v) out.push(v);
  if (s.smtpUrl) {
    try {
      const u = new URL(s.smtpUrl);
      if (u.password) out.push(u.password, decodeURIComponent(u.password));
    } catch {
      /* an unparsable SMTP_URL is reported where it is used */
    }
  }
  return out.filter((v) => v.length >= 4);
}

/** Replace every secret value in a string by [redacted]. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out;
}
