import * as z from 'zod/mini';

/**
 * Every environment variable termdrift reads, as one zod schema: its type (what a value must look like), its
 * default and its meaning live on the variable itself. loadSettings (settings.ts) parses the environment with it,
 * and docs/settings.md is generated from it (settings-reference.ts; a test fails when the page is stale).
 *
 * Loaded only by commands that read settings: `termdrift --help` never loads zod (src/cli/main.ts). zod/mini, not the
 * classic API the watchlist schema uses: every command that reads settings loads this, and mini's functional API lets
 * the bundle keep only the few schema types used here (31 KB instead of 194 KB, ~10 ms less at every start).
 */
export interface VariableSpec {
  /** What a value must be, as the error and the docs say it ("a positive whole number"). */
  expected: string;
  /** The value used when the variable is unset or empty, as a user would write it; absent = unset. */
  default?: string;
  /** Markdown for the docs: what the variable does. */
  description: string;
  /** Never echoed back in an error (tokens, URLs that may carry a password). */
  secret?: boolean;
  /** Read where it is used rather than by loadSettings (the proxy set-up reads the proxy variables). */
  readBy?: string;
  /** What an explicitly empty value means, when not the default (`TERMDRIFT_HTTP=` is off). */
  empty?: string;
}

/** A value that is not what the variable expects: `detail` replaces the standard sentence when given. */
class Unusable extends Error {
  constructor(readonly detail?: string) {
    super(detail ?? 'unusable');
  }
}

/** One variable: a string or nothing in, `T` out; an empty value is the same as unset (as `VAR= termdrift …`). */
const specs = new WeakMap<object, VariableSpec>();

function variable<T>(spec: VariableSpec, parse: (value: string | undefined) => T) {
  const schema = z.pipe(
    z.optional(z.string()),
    z.transform((raw: string | undefined, ctx): T => {
      const value = raw === undefined ? spec.default : raw === '' ? (spec.empty ?? spec.default) : raw;
      try {
        return parse(value);
      } catch (err) {
        if (!(err instanceof Unusable)) throw err;
        const shown = spec.secret ? 'its value' : `"${raw}"`;
        const fallback = spec.default !== undefined ? ` (default ${spec.default})` : '';
        ctx.issues.push({ code: 'custom', message: err.detail ?? `${shown} is not ${spec.expected}${fallback}`, input: raw });
        return z.NEVER;
      }
    }),
  );
  specs.set(schema, { ...spec });
  return schema;
}

const text = (spec: VariableSpec) => variable(spec, (v) => v);

function positive(integer: boolean) {
  return (v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Unusable();
    return n;
  };
}

function httpUrl(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Unusable();
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Unusable();
  return v.replace(/\/+$/, '');
}

function flag(v: string | undefined): boolean {
  const s = (v ?? '').toLowerCase();
  if (s === '1' || s === 'true') return true;
  if (s === '' || s === '0' || s === 'false') return false;
  throw new Unusable();
}

function hostPort(v: string | undefined): { host: string; port: number } | null {
  if (v === undefined || v === 'off') return null;
  const m = /^(?:(.*):)?(\d+)$/.exec(v);
  if (!m || Number(m[2]) > 65_535) throw new Unusable();
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
}

/** "host[:port]=N, …": each entry a host as a URL spells it (no scheme, no path) and a whole number ≥ 1. */
function hostLimits(v: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of (v ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const m = /^([^\s=/]+)=(\d+)$/.exec(entry);
    const n = m ? Number(m[2]) : NaN;
    if (!m || !Number.isSafeInteger(n) || n < 1 || /^[a-z][a-z0-9+.-]*:\/\//i.test(m[1]!)) {
      throw new Unusable(`"${entry}" is not host[:port]=N with N a whole number ≥ 1 (e.g. hf-mirror.internal=8)`);
    }
    out.set(m[1]!.toLowerCase(), n);
  }
  return out;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const settingsSchema = z.object({
  TERMDRIFT_WATCHLIST: text({ expected: 'a file path', default: 'watchlist.yaml', description: 'the watchlist (relative to the working directory)' }),
  TERMDRIFT_DB: text({ expected: 'a file path', default: 'data/termdrift.db', description: 'the SQLite database (created on first run)' }),
  TERMDRIFT_HTTP: variable(
    {
      expected: 'host:port, a port, or off',
      default: '127.0.0.1:8787',
      description: "the worker's `/healthz`, `/metrics` and the dashboard (`host:port`, a port, port `0` for any free one, or `off`)",
      empty: 'off',
    },
    hostPort,
  ),
  TERMDRIFT_ALLOW_PRIVATE_NETWORK: variable(
    { expected: '1, true, 0 or false', description: '`1` lets links found inside documents point to private/loopback addresses (tests, intranets)' },
    flag,
  ),
  TERMDRIFT_LOG_LEVEL: variable({ expected: LOG_LEVELS.join(', '), default: 'info', description: 'worker log level' }, (v) => {
    if (!(LOG_LEVELS as readonly string[]).includes(v!)) throw new Unusable();
    return v!;
  }),
  HF_ENDPOINT: variable({ expected: 'an http(s) URL', default: 'https://huggingface.co', description: 'Hugging Face hub' }, (v) => httpUrl(v)!),
  HF_TOKEN: text({
    expected: 'a token',
    secret: true,
    description: 'Hugging Face token, needed for gated models; sent as `Authorization: Bearer` to `HF_ENDPOINT` only, never along a redirect to another host',
  }),
  HUGGING_FACE_HUB_TOKEN: text({ expected: 'a token', secret: true, description: 'the same, under the name the `huggingface_hub` tools use (`HF_TOKEN` wins)' }),
  GITHUB_API_URL: variable(
    { expected: 'an http(s) URL', default: 'https://api.github.com', description: 'GitHub REST API (`https://HOST/api/v3` for GitHub Enterprise)' },
    (v) => httpUrl(v)!,
  ),
  GITHUB_TOKEN: text({ expected: 'a token', secret: true, description: 'raises the GitHub rate limit from 60 to 5,000 requests an hour and makes 304 answers free' }),
  TERMDRIFT_CONCURRENCY: variable(
    { expected: 'a positive whole number', default: '4', description: 'models checked at the same time, by the worker and by `termdrift check`' },
    positive(true),
  ),
  TERMDRIFT_HOST_CONCURRENCY: variable({ expected: 'a positive whole number', default: '2', description: 'requests in flight at once to one host, all models together' }, positive(true)),
  TERMDRIFT_HOST_LIMITS: variable(
    { expected: 'host[:port]=N, …', description: 'a higher per-host limit for hosts you name, e.g. `hf-mirror.internal=8` (comma-separated `host[:port]=N`)' },
    hostLimits,
  ),
  TERMDRIFT_CHECK_TIMEOUT: variable({ expected: 'a positive number', default: '300', description: "worker: hard deadline of one model's check, in seconds" }, positive(false)),
  TERMDRIFT_SHUTDOWN_GRACE: variable({ expected: 'a positive number', default: '30', description: 'worker: seconds SIGTERM waits for in-flight checks' }, positive(false)),
  TERMDRIFT_ALERT_SETTLE: variable(
    { expected: 'a positive number', default: '60', description: "worker: seconds a model's alerts wait for the rest of its check, so they go out as one message" },
    positive(false),
  ),
  SLACK_API_URL: variable({ expected: 'an http(s) URL', description: 'Slack Web API base URL (unset: `https://slack.com/api/`)' }, httpUrl),
  SLACK_BOT_TOKEN: text({ expected: 'a token', secret: true, description: 'Slack alerts: the bot token (`xoxb-…`)' }),
  SMTP_URL: variable(
    { expected: 'an smtp:// or smtps:// URL', secret: true, description: 'email alerts, e.g. `smtps://user:pass@mail.example.com:465`' },
    (v) => {
      if (v === undefined) return undefined;
      if (!/^smtps?:$/.test(URL.parse(v)?.protocol ?? '')) throw new Unusable();
      return v;
    },
  ),
  TERMDRIFT_UI_TOKEN: text({
    expected: 'a token',
    secret: true,
    description: 'enables sign-off from the dashboard (asked for once in the browser); unset, the dashboard is strictly read-only',
  }),
  HTTPS_PROXY: text({ expected: 'a proxy URL', readBy: 'src/sources/proxy.ts', description: 'a proxy for every outgoing HTTPS request (lower-case `https_proxy` too, and it wins, as in curl); see docs/security.md' }),
  HTTP_PROXY: text({ expected: 'a proxy URL', readBy: 'src/sources/proxy.ts', description: 'the same for plain HTTP, and for HTTPS when `HTTPS_PROXY` is unset' }),
  NO_PROXY: text({ expected: 'hosts, comma-separated', readBy: 'src/sources/proxy.ts', description: 'hosts reached without the proxy' }),
});

export type ParsedEnvironment = z.output<typeof settingsSchema>;
export type VariableName = keyof typeof settingsSchema.shape;

/** The variables with their specs, in the order of the docs. */
export function variables(): [VariableName, VariableSpec][] {
  return Object.entries(settingsSchema.shape).map(([name, schema]) => [name as VariableName, specs.get(schema)!]);
}

/** Parse the environment: the typed values, or one sentence per unusable variable ("NAME: … is not …"). */
export function parseEnvironment(env: NodeJS.ProcessEnv): { ok: true; values: ParsedEnvironment } | { ok: false; problems: string[] } {
  const r = settingsSchema.safeParse(env);
  if (r.success) return { ok: true, values: r.data };
  return { ok: false, problems: r.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`) };
}
