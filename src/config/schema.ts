import { createRequire } from 'node:module';
import { validateDetailed } from 'node-cron';
import * as z from 'zod';
import { editDistanceAtMost } from '../terms/edit-distance.js';
import { isMetric, METRICS } from '../terms/metrics.js';
import { USE_NAMES, USES, type Use } from '../terms/uses-vocabulary.js';

/**
 * The one description of watchlist.yaml: the validator, the TypeScript types and the README's
 * reference table all come from here.
 */

const cron = z.string().superRefine((value, ctx) => {
  const result = validateDetailed(value);
  const why = result.valid ? cronRangeProblem(value) : result.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  if (!result.valid || why) ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid cron expression${why ? ` (${why})` : ''}` });
});

/** The fields of a 5- or 6-field cron expression, with the values each may take. */
const CRON_FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];

/**
 * What node-cron accepts but never means what was written: a step larger than the field ("*\/61" runs hourly), a
 * range running backwards ("1-0" runs every minute). Names (jan, mon) and other forms are left to node-cron.
 */
function cronRangeProblem(value: string): string | undefined {
  const parts = value.trim().split(/\s+/);
  const fields = parts.length === 6 ? CRON_FIELDS : CRON_FIELDS.slice(1);
  for (const [i, part] of parts.entries()) {
    const f = fields[i];
    if (!f) return undefined;
    for (const item of part.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
      if (!m) continue;
      const [, , from, to, step] = m;
      if (from !== undefined && (Number(from) < f.min || Number(from) > f.max)) return `${f.name}: ${from} is outside ${f.min}-${f.max}`;
      if (to !== undefined && (Number(to) < f.min || Number(to) > f.max)) return `${f.name}: ${to} is outside ${f.min}-${f.max}`;
      if (to !== undefined && Number(to) < Number(from)) return `${f.name}: the range ${from}-${to} runs backwards`;
      if (step !== undefined && (Number(step) < 1 || Number(step) > f.max - f.min + 1)) return `${f.name}: a step of ${step} is larger than the field (${f.min}-${f.max})`;
    }
  }
  return undefined;
}

const httpUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a URL` });
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    ctx.addIssue({ code: 'custom', message: `"${value}" must be an http(s) URL` });
  }
  if (url.username || url.password) {
    ctx.addIssue({ code: 'custom', message: `"${value}" must not carry credentials; use environment variables for secrets` });
  }
});

/**
 * A selector the normaliser's engine (css-select, under linkedom) can run: one it cannot would fail every check of
 * the page. Loaded on the first selector met, so a watchlist without any does not pay for it.
 */
const cssSelector = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    try {
      cssSelect().compile(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a CSS selector termdrift can use: ${(err as Error).message}` });
    }
  });

let cssSelectModule: { compile(selector: string): unknown } | undefined;
function cssSelect(): { compile(selector: string): unknown } {
  // require() of an ES module (Node 20.19+, 22.12+): synchronous, as a zod refinement must be.
  return (cssSelectModule ??= createRequire(import.meta.url)('css-select') as { compile(selector: string): unknown });
}

/** A URL as the server sees it: WHATWG-normalised (host case, default port), without its fragment. */
function samePage(value: string): string {
  try {
    const url = new URL(value);
    url.hash = '';
    return url.href;
  } catch {
    return value; // reported as not a URL
  }
}

const repoId = (what: string) =>
  z.string().regex(/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/, { message: `is not a ${what} repository id (expected owner/name)` });

const timezone = z.string().superRefine((value, ctx) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an IANA time zone (e.g. UTC, Europe/Paris)` });
  }
});

export const documentRoles = ['license', 'model-card', 'acceptable-use', 'referenced', 'other'] as const;
export const severities = ['cosmetic', 'wording', 'material'] as const;

export const documentSchema = z
  .object({
    url: httpUrl.describe('Page or file to watch (trusted: written by you).'),
    role: z.enum(documentRoles).default('other').describe('license | model-card | acceptable-use | referenced | other'),
    select: cssSelector.optional().describe('CSS selector keeping only the part of an HTML page that holds the terms.'),
    ignore: z.array(cssSelector).optional().describe('CSS selectors removed before comparing (banners, dates).'),
  })
  .strict();

export const notifySchema = z
  .object({
    slack: z
      .object({ channel: z.string().min(1).describe('Channel name or id; token from SLACK_BOT_TOKEN.') })
      .strict()
      .optional()
      .describe('Post alerts to Slack.'),
    email: z
      .object({
        to: z.array(z.string().email()).min(1).describe('Recipients.'),
        from: z.string().email().describe('Sender; transport from SMTP_URL.'),
      })
      .strict()
      .optional()
      .describe('Send alerts by email.'),
    webhook: z
      .object({
        url: httpUrl.describe('Receiver that gets each alert as a JSON POST.'),
        secret_env: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'is the NAME of an environment variable (e.g. TERMDRIFT_WEBHOOK_SECRET), not the secret' })
          .describe('Name of the environment variable holding the HMAC signing secret.'),
      })
      .strict()
      .optional()
      .describe('POST alerts as signed JSON to your own endpoint.'),
    on: z.enum(severities).optional().describe('Lowest severity that alerts (default wording).'),
    usage_warning: z.number().gt(0).lte(1).optional().describe('Fraction of a threshold at which declared usage warns (default 0.8).'),
    failures_before_alert: z.number().int().min(1).optional().describe('Consecutive failed checks before "cannot verify" (default 3).'),
  })
  .strict();

const useName = z.enum(USE_NAMES as [Use, ...Use[]]);
export const usesSchema = z
  .array(useName)
  .describe(`What you do with the model: ${USE_NAMES.map((u) => `\`${u}\` (${USES[u].replace(/\.$/, '')})`).join('; ')}.`);
export const regionsSchema = z
  .array(z.string().regex(/^(?:[A-Z]{2,3}|EU|EEA)$/, 'regions are ISO-like codes such as US, DE, or EU'))
  .describe('Where it is offered or used: ISO-like codes (US, DE, JP…) and EU.');

export const usageSchema = z.record(z.string(), z.number().nonnegative()).superRefine((usage, ctx) => {
  // A misspelt metric would silently never meet its threshold: no warning, no "exceeded", "no usage declared".
  for (const key of Object.keys(usage)) {
    if (!isMetric(key)) ctx.addIssue({ code: 'custom', path: [key], message: `unknown usage metric "${key}"${nearestMetric(key)}; the metrics are ${METRICS.join(', ')}` });
  }
});

/** " (did you mean monthly_active_users?)" for a near miss (a typo, a singular), else nothing. */
function nearestMetric(key: string): string {
  const folded = key.toLowerCase().replace(/[\s-]+/g, '_');
  const near = METRICS.find((m) => editDistanceAtMost(m, folded, 2));
  return near ? ` (did you mean ${near}?)` : '';
}

export const modelSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, { message: 'is not a model id (letters, digits, ".", "_", "-")' }).describe('Your stable name for the model.'),
    name: z.string().min(1).optional().describe('Display name (default: id).'),
    schedule: cron.optional().describe('Cron for this model (default: defaults.schedule).'),
    huggingface: repoId('Hugging Face').optional().describe('Hub model id, e.g. meta-llama/Llama-3.1-8B-Instruct.'),
    revision: z.string().min(1).optional().describe('Hub revision (default main).'),
    github: repoId('GitHub').optional().describe('owner/name of a GitHub repository.'),
    ref: z.string().min(1).optional().describe('Branch or tag (default: the default branch).'),
    paths: z.array(z.string().min(1)).min(1).optional().describe('Files in the GitHub repository (default: its license file and README.md).'),
    documents: z.array(documentSchema).optional().describe('Plain URLs of license and policy pages.'),
    follow_references: z.boolean().default(true).describe('Follow links to use policies found in the license (one level).'),
    notify: notifySchema.optional().describe('Per-model override of notify.'),
    usage: usageSchema.optional().describe(`Your declared usage, e.g. { monthly_active_users: 650000000 }; keys: ${METRICS.join(', ')}.`),
    uses: usesSchema.optional().describe('What you do with the model (default: defaults.uses); see docs/uses.md.'),
    regions: regionsSchema.optional().describe('Where it is offered or used, e.g. [EU, US] (default: defaults.regions).'),
  })
  .strict()
  .superRefine((m, ctx) => {
    // Two entries for one URL would be one document read two ways, a new "version" on every check.
    const urls = new Map<string, number>();
    m.documents?.forEach((d, i) => {
      // The same page however it is spelled: host case, a default port and a #fragment do not make another request.
      const key = samePage(d.url);
      const first = urls.get(key);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['documents', i, 'url'], message: `"${d.url}" is already listed as documents[${first}]` });
      else urls.set(key, i);
    });
    if (!m.huggingface && !m.github && !(m.documents && m.documents.length > 0)) {
      ctx.addIssue({ code: 'custom', message: 'needs at least one of huggingface, github or documents' });
    }
    if (m.revision && !m.huggingface) ctx.addIssue({ code: 'custom', path: ['revision'], message: 'revision applies only with huggingface' });
    if ((m.ref || m.paths) && !m.github) ctx.addIssue({ code: 'custom', path: [m.ref ? 'ref' : 'paths'], message: 'ref and paths apply only with github' });
  });

export const watchlistSchema = z
  .object({
    defaults: z
      .object({
        schedule: cron.default('0 6 * * *').describe('Cron used by models without their own schedule.'),
        timezone: timezone.default('UTC').describe('Time zone of the schedules.'),
        uses: usesSchema.optional().describe('Uses of models that declare none; see docs/uses.md.'),
        regions: regionsSchema.optional().describe('Regions of models that declare none.'),
      })
      .strict()
      .default({ schedule: '0 6 * * *', timezone: 'UTC' })
      .describe('Settings every model inherits.'),
    notify: notifySchema.optional().describe('Where alerts go; without it they are printed (CLI) or logged (worker).'),
    models: z.array(modelSchema).default([]).describe('The models you rely on.'),
  })
  .strict()
  .superRefine((w, ctx) => {
    const seen = new Map<string, number>();
    w.models.forEach((m, i) => {
      const first = seen.get(m.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['models', i, 'id'], message: `duplicate model id "${m.id}" (first used by models[${first}])` });
      } else seen.set(m.id, i);
    });
  });

export type Watchlist = z.output<typeof watchlistSchema>;
export type WatchedModel = z.output<typeof modelSchema>;
export type WatchedDocument = z.output<typeof documentSchema>;
export type NotifyConfig = z.output<typeof notifySchema>;
export type DocumentRole = (typeof documentRoles)[number];
export type Severity = (typeof severities)[number];
