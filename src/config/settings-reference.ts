import { replaceGeneratedBlock } from './generated-block.js';

/**
 * Every environment variable termdrift reads, with its default and meaning: the source of docs/settings.md
 * (`npm run docs` rewrites it; a test fails when it is stale, and when settings.ts reads a variable not listed here).
 */
export const settingsReference: { names: string[]; default: string; meaning: string }[] = [
  { names: ['TERMDRIFT_WATCHLIST'], default: '`./watchlist.yaml`', meaning: 'the watchlist' },
  { names: ['TERMDRIFT_DB'], default: '`./data/termdrift.db`', meaning: 'the SQLite database (created on first run)' },
  { names: ['TERMDRIFT_HTTP'], default: '`127.0.0.1:8787`', meaning: "the worker's `/healthz`, `/metrics` and the dashboard (`host:port`, a port, port `0` for any free one, or `off`)" },
  { names: ['TERMDRIFT_ALLOW_PRIVATE_NETWORK'], default: 'unset', meaning: '`1` lets links found inside documents point to private/loopback addresses (tests, intranets)' },
  { names: ['TERMDRIFT_LOG_LEVEL'], default: '`info`', meaning: 'worker log level' },
  {
    names: ['HF_ENDPOINT', 'HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'],
    default: '`https://huggingface.co`, unset',
    meaning: 'Hugging Face hub; the token is needed for gated models and is sent as `Authorization: Bearer` to `HF_ENDPOINT` only, never along a redirect to another host',
  },
  {
    names: ['GITHUB_API_URL', 'GITHUB_TOKEN'],
    default: '`https://api.github.com`, unset',
    meaning: 'GitHub REST API (`https://HOST/api/v3` for GitHub Enterprise); a token raises the rate limit from 60 to 5,000 requests an hour and makes 304 answers free',
  },
  { names: ['TERMDRIFT_CONCURRENCY'], default: '`4`', meaning: 'models checked at the same time, by the worker and by `termdrift check`' },
  { names: ['TERMDRIFT_HOST_CONCURRENCY'], default: '`2`', meaning: 'requests in flight at once to one host, all models together' },
  { names: ['TERMDRIFT_HOST_LIMITS'], default: 'unset', meaning: 'a higher per-host limit for hosts you name, e.g. `hf-mirror.internal=8` (comma-separated `host[:port]=N`)' },
  { names: ['TERMDRIFT_CHECK_TIMEOUT'], default: '`300`', meaning: "worker: hard deadline of one model's check, in seconds" },
  { names: ['TERMDRIFT_SHUTDOWN_GRACE'], default: '`30`', meaning: 'worker: seconds SIGTERM waits for in-flight checks' },
  { names: ['SLACK_API_URL', 'SLACK_BOT_TOKEN'], default: '`https://slack.com/api/`, unset', meaning: 'Slack alerts (Web API base URL, bot token `xoxb-…`)' },
  { names: ['SMTP_URL'], default: 'unset', meaning: 'email alerts, e.g. `smtps://user:pass@mail.example.com:465`' },
  { names: ['TERMDRIFT_ALERT_SETTLE'], default: '`60`', meaning: "worker: seconds a model's alerts wait for the rest of its check, so they go out as one message" },
  { names: ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'], default: 'unset', meaning: 'a proxy for every outgoing HTTP request (lower-case names too, and they win, as in curl); see docs/security.md' },
  { names: ['TERMDRIFT_UI_TOKEN'], default: 'unset', meaning: 'enables sign-off from the dashboard (asked for once in the browser); unset, the dashboard is strictly read-only' },
];

export const SETTINGS_START = '<!-- settings-reference:start (generated from src/config/settings-reference.ts by `npm run docs`) -->';
export const SETTINGS_END = '<!-- settings-reference:end -->';

export function settingsTable(): string {
  const rows = settingsReference.map((s) => `| ${s.names.map((n) => `\`${n}\``).join(', ')} | ${s.default} | ${s.meaning.replace(/\|/g, '\\|')} |`);
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** Rewrite the generated table of docs/settings.md; returns whether it changed. */
export function writeSettingsReference(file: string): boolean {
  return replaceGeneratedBlock(file, SETTINGS_START, SETTINGS_END, settingsTable());
}
