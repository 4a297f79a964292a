import { validateDetailed } from 'node-cron';
import { z } from 'zod';
import { USE_NAMES, USES, type Use } from '../terms/uses-vocabulary.js';

/**
 * The one description of watchlist.yaml: the validator, the TypeScript types and the README's
 * reference table all come from here.
 */

const cron = z.string().superRefine((value, ctx) => {
  const result = validateDetailed(value);
  if (!result.valid) {
    const why = result.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid cron expression${why ? ` (${why})` : ''}` });
  }
});

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
    select: z.string().min(1).optional().describe('CSS selector keeping only the part of an HTML page that holds the terms.'),
    ignore: z.array(z.string().min(1)).optional().describe('CSS selectors removed before comparing (banners, dates).'),
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

export const usageSchema = z.record(z.string().regex(/^[a-z_]+$/, 'usage keys are metric names such as monthly_active_users'), z.number().nonnegative());

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
    usage: usageSchema.optional().describe('Your declared usage, e.g. { monthly_active_users: 650000000 }.'),
    uses: usesSchema.optional().describe('What you do with the model (default: defaults.uses); see docs/uses.md.'),
    regions: regionsSchema.optional().describe('Where it is offered or used, e.g. [EU, US] (default: defaults.regions).'),
  })
  .strict()
  .superRefine((m, ctx) => {
    // Two entries for one URL would be one document read two ways, a new "version" on every check.
    const urls = new Map<string, number>();
    m.documents?.forEach((d, i) => {
      const first = urls.get(d.url);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['documents', i, 'url'], message: `"${d.url}" is already listed as documents[${first}]` });
      else urls.set(d.url, i);
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
