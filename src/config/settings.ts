import path from 'node:path';
import { parseEnvironment } from './settings-schema.js';

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

/**
 * The settings of this process, parsed from `env` with the zod schema of every variable (settings-schema.ts).
 * A value termdrift cannot use is a SettingsError naming the variable, the value (never a secret's) and what is
 * expected: an error at start, never a silent default.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Settings {
  const parsed = parseEnvironment(env);
  if (!parsed.ok) throw new SettingsError(parsed.problems.join('\n'));
  const v = parsed.values;
  return {
    watchlistPath: path.resolve(cwd, v.TERMDRIFT_WATCHLIST!),
    dbPath: path.resolve(cwd, v.TERMDRIFT_DB!),
    http: v.TERMDRIFT_HTTP,
    hfEndpoint: v.HF_ENDPOINT,
    hfToken: v.HF_TOKEN ?? v.HUGGING_FACE_HUB_TOKEN,
    githubApiUrl: v.GITHUB_API_URL,
    githubToken: v.GITHUB_TOKEN,
    slackApiUrl: v.SLACK_API_URL,
    slackBotToken: v.SLACK_BOT_TOKEN,
    smtpUrl: v.SMTP_URL,
    allowPrivateNetwork: v.TERMDRIFT_ALLOW_PRIVATE_NETWORK,
    logLevel: v.TERMDRIFT_LOG_LEVEL,
    concurrency: v.TERMDRIFT_CONCURRENCY,
    hostConcurrency: v.TERMDRIFT_HOST_CONCURRENCY,
    hostLimits: v.TERMDRIFT_HOST_LIMITS,
    checkTimeoutMs: v.TERMDRIFT_CHECK_TIMEOUT * 1000,
    shutdownGraceMs: v.TERMDRIFT_SHUTDOWN_GRACE * 1000,
    alertSettleMs: v.TERMDRIFT_ALERT_SETTLE * 1000,
    uiToken: v.TERMDRIFT_UI_TOKEN,
    envVar: (name) => env[name] || undefined,
  };
}

/** An environment variable with a value termdrift cannot use. */
export class SettingsError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
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
