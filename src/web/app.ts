import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { deliveryJson } from '../cli/alerts.js';
import { CliError, parseWhen, pickDocument, pickVersion } from '../cli/context.js';
import { historyJson } from '../cli/history.js';
import { statusView } from '../cli/status.js';
import { termsInForce, termsJson } from '../cli/terms.js';
import type { Watchlist } from '../config/schema.js';
import { EvidenceError } from '../evidence/errors.js';
import { buildBundle, type Selection } from '../evidence/export.js';
import { END_OF_TIME } from '../evidence/asof.js';
import { recordSignoff } from '../evidence/signoff.js';
import type { ModelStatus } from '../evidence/status.js';
import { declaredOf, documentFacts, verdictsAt } from '../evidence/verdicts.js';
import { setSignoffVerdicts } from '../store/signoffs.js';
import { verdicts as judge } from '../terms/uses.js';
import { bundleZip } from '../evidence/zip.js';
import { getBlob, sha256 } from '../store/blobs.js';
import { getChange } from '../store/changes.js';
import type { DB } from '../store/db.js';
import { listDeliveries, type DeliveryStatus } from '../store/deliveries.js';
import { listDocuments } from '../store/documents.js';
import { getModel, listModels } from '../store/models.js';
import { listVersions } from '../store/versions.js';
import { alertsPage } from './alerts.js';
import { STYLE, TABLE_JS } from './assets.js';
import { diffPage } from './diff.js';
import { atomFeed } from './feed.js';
import { page } from './layout.js';
import { modelPage } from './model.js';
import { overviewPage, overviewRows } from './overview.js';
import { SESSION_COOKIE, SignoffGuard, sameOrigin } from './signoff.js';
import { StatusCache } from './status-cache.js';
import { termsPage } from './terms.js';
import type { Verdict, VerdictSource } from './verdicts.js';

export interface DashboardOptions {
  db: DB;
  /** The watchlist in force (the worker's last good one). */
  watchlist: () => Watchlist;
  /** TERMDRIFT_UI_TOKEN: enables sign-off from the browser. Undefined = strictly read-only. */
  uiToken: string | undefined;
  /** Verdicts per declared use, once a module provides them (see verdicts.ts). */
  verdicts?: VerdictSource;
  now?: () => Date;
  /** An unexpected error answered with 500 (the worker logs it; the page only says "see the worker log"). */
  onError?: (err: Error, path: string) => void;
  /** Compute every model's status in the background at start (default true; the bench turns it off to time a cold start). */
  warm?: boolean;
}

export interface Dashboard {
  app: Hono;
  /** Resolves once the background warm-up has cached every model's status. */
  ready: Promise<void>;
  /** A Node request listener for everything the HTTP server does not answer itself. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

const CSP = "default-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

/** The read-only dashboard, the JSON API and the Atom feeds; one write: sign-off, behind TERMDRIFT_UI_TOKEN. */
export function createDashboard(o: DashboardOptions): Dashboard {
  const { db } = o;
  const now = o.now ?? (() => new Date());
  const cache = new StatusCache(db);
  const watchedModel = (id: string) => o.watchlist().models.find((m) => m.id === id);
  const verdicts = o.verdicts ?? storedVerdicts();
  const overview = (q: { q?: string; sort?: string; dir?: string }) =>
    overviewPage(overviewRows(db, cache, o.watchlist(), verdicts), q, { verdicts: o.watchlist().models.some((m) => (m.uses ?? []).length > 0) });
  // Warm-up: every model's status in the background, then the overview's rows rendered once.
  const ready =
    o.warm === false
      ? Promise.resolve()
      : cache.warm().then(() => {
          if (db.open) String(overview({}));
        })
        // A failure here shows again on the request that needs the page; it must never take the worker down.
        .catch((err: Error) => o.onError?.(err, 'warm-up'));

  const guard = new SignoffGuard(o.uiToken);
  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    // The page carrying the sign-off form lets the browser name this origin on its own POST (Origin check); every
    // other page sends no referrer at all. Links to upstream carry rel=noreferrer either way.
    if (!c.res.headers.has('Referrer-Policy')) c.header('Referrer-Policy', 'no-referrer');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });

  app.onError((err, c) => {
    const { status, message } = classify(err);
    if (status === 500) o.onError?.(err, c.req.path);
    if (c.req.path.startsWith('/api/')) return c.json({ error: message }, status);
    return c.html(page('Error', html`<h1>${status === 404 ? 'Not found' : status === 400 ? 'Bad request' : 'Error'}</h1><p class="notice error">${message}</p><p><a href="/">Back to the models</a></p>`), status);
  });
  app.notFound((c) => (c.req.path.startsWith('/api/') ? c.json({ error: `not found: ${c.req.path}` }, 404) : c.html(page('Not found', html`<h1>Not found</h1><p>Nothing at this address. <a href="/">Models</a> · <a href="/healthz">/healthz</a> · <a href="/metrics">/metrics</a></p>`), 404)));

  app.get('/assets/style.css', (c) => c.body(STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=300' }));
  app.get('/assets/table.js', (c) => c.body(TABLE_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300' }));

  app.get('/', (c) => c.html(overview({ q: c.req.query('q'), sort: c.req.query('sort'), dir: c.req.query('dir') })));

  const statusOf = (id: string) => {
    const found = cache.all().find((e) => e.row.id === id);
    if (!found) throw new CliError(`unknown model "${id}"`, 1);
    return found.status;
  };

  const renderModel = (c: Context, id: string, notice?: { ok: boolean; text: string }, code: 200 | 400 | 403 = 200) => {
    const status = statusOf(id);
    const watched = watchedModel(id);
    const form = { enabled: guard.enabled, hasSession: guard.hasSession(getCookie(c, SESSION_COOKIE)), csrf: guard.formToken(id), notice };
    if (guard.enabled) c.header('Referrer-Policy', 'same-origin');
    return c.html(modelPage(db, status, form, (watched?.uses ?? []).length ? verdicts(db, watched, status) : undefined), code);
  };

  app.get('/models/:id', (c) => {
    const signed = c.req.query('signed');
    return renderModel(c, c.req.param('id'), signed && /^\d+$/.test(signed) ? { ok: true, text: `Recorded sign-off ${signed}. \`termdrift status\` shows it from now on.` } : undefined);
  });

  app.get('/models/:id/diff', (c) => {
    const id = c.req.param('id');
    const status = statusOf(id);
    const change = c.req.query('change');
    const changeRow = change && /^\d+$/.test(change) ? getChange(db, Number(change)) : undefined;
    const docs = listDocuments(db, id);
    const doc = changeRow?.model_id === id && changeRow.document_id !== null ? docs.find((d) => d.id === changeRow.document_id)! : pickDocument(db, id, c.req.query('doc') || undefined);
    const versions = listVersions(db, doc.id);
    if (versions.length === 0) throw new CliError(`${doc.locator} has never been observed successfully`, 1);
    let to = c.req.query('to') ? pickVersion(versions, c.req.query('to')!, 'to') : versions.at(-1)!;
    let from = c.req.query('from') ? pickVersion(versions, c.req.query('from')!, 'from') : versions[Math.max(0, versions.indexOf(to) - 1)]!;
    if (changeRow?.model_id === id && changeRow.from_version !== null && changeRow.to_version !== null) {
      from = versions.find((v) => v.id === changeRow.from_version) ?? from;
      to = versions.find((v) => v.id === changeRow.to_version) ?? to;
    }
    if (c.req.query('since') === 'signoff') {
      const signed = status.drift.documents.find((d) => d.locator === doc.locator)?.signed;
      if (!signed) throw new CliError(`${doc.locator} is not covered by a sign-off of ${id}`, 1);
      from = versions[signed.number - 1]!;
      to = versions.at(-1)!;
    }
    return c.html(diffPage(db, status, doc, versions, from, to));
  });

  app.get('/models/:id/terms', (c) => {
    const id = c.req.param('id');
    const model = getModel(db, id);
    if (!model) throw new CliError(`unknown model "${id}"`, 1);
    const doc = pickDocument(db, id, c.req.query('doc') || undefined);
    const asOfInput = (c.req.query('as_of') ?? '').trim();
    let found: ReturnType<typeof termsInForce> | { error: string; code: number };
    try {
      found = termsInForce(db, id, doc, asOfInput ? parseWhen(asOfInput, 'as_of') : now().toISOString());
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      if (c.req.query('raw')) throw err;
      found = { error: err.message, code: err.exitCode };
    }
    if (c.req.query('raw') && !('error' in found)) {
      // The bytes as fetched, as a download: never rendered, whatever they contain.
      const name = `${id}-${doc.role}-v${found.provenance.version}.txt`.replace(/[^\w.-]+/g, '_');
      return c.body(new Uint8Array(getBlob(db, found.version.raw_sha256)), 200, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
        'Content-Security-Policy': "sandbox; default-src 'none'",
      });
    }
    return c.html(termsPage(db, model, listDocuments(db, id), doc, found, asOfInput), 'error' in found ? (found.code === 2 ? 400 : 404) : 200);
  });

  app.get('/models/:id/export', (c) => {
    const id = c.req.param('id');
    const signoff = c.req.query('signoff');
    const asOf = c.req.query('as_of');
    if (signoff && asOf) throw new CliError('choose either as_of or signoff, not both', 2);
    if (signoff && !/^[1-9]\d{0,9}$/.test(signoff)) throw new CliError(`signoff: "${signoff}" is not a sign-off id (a positive number)`, 2);
    const sel: Selection = signoff ? { signoffId: Number(signoff) } : asOf ? { asOf: parseWhen(asOf, 'as_of') } : {};
    // The declared uses go into the bundle's brief, exactly as `termdrift export` reads them from the watchlist.
    const bundle = buildBundle(db, id, sel, declaredOf(watchedModel(id)));
    const zip = bundleZip(bundle);
    const label = signoff ? `signoff-${signoff}` : asOf ? `as-of-${sel && 'asOf' in sel ? sel.asOf.slice(0, 10) : ''}` : 'current';
    return c.body(new Uint8Array(zip), 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${`${id}-evidence-${label}.zip`.replace(/[^\w.-]+/g, '_')}"`,
      'X-Termdrift-Manifest-Sha256': sha256(bundle.files.find((f) => f.path === 'manifest.json')!.bytes),
    });
  });

  app.post('/models/:id/signoff', async (c) => {
    const id = c.req.param('id');
    const refuse = (text: string) => renderModel(c, id, { ok: false, text }, 403);
    if (!guard.enabled) return refuse('Sign-off from the browser is off: set TERMDRIFT_UI_TOKEN in the worker environment to enable it.');
    const origin = sameOrigin({ origin: c.req.header('origin'), referer: c.req.header('referer'), host: c.req.header('host'), forwardedHost: c.req.header('x-forwarded-host') });
    if (!origin) return refuse('Refused: this request does not come from a page of this dashboard (Origin/Referer check).');
    const form = await c.req.parseBody();
    const field = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : undefined);
    if (!guard.formTokenValid(id, field('csrf'))) return refuse('Refused: the form has expired or was not issued by this dashboard; reload the page and try again.');
    const hadSession = guard.hasSession(getCookie(c, SESSION_COOKIE));
    if (!hadSession && !guard.tokenMatches(field('token'))) return refuse('Refused: the dashboard token is wrong.');
    let r;
    try {
      r = recordSignoff(db, id, { by: field('by') ?? '', note: field('note'), now: now() });
      // As `termdrift rely` does: the verdicts of the declared uses are signed off with the versions.
      const declared = declaredOf(watchedModel(id));
      if (declared.uses.length) setSignoffVerdicts(db, r.id, JSON.stringify(judge(documentFacts(db, r.documents), declared)));
    } catch (err) {
      if (err instanceof EvidenceError && err.kind === 'bad-input') return renderModel(c, id, { ok: false, text: err.message.replace(/^--/, '') }, 400);
      throw err;
    }
    if (!hadSession) setCookie(c, SESSION_COOKIE, guard.sessionValue(), { httpOnly: true, sameSite: 'Strict', path: '/', secure: c.req.header('x-forwarded-proto') === 'https' });
    return c.redirect(`/models/${encodeURIComponent(id)}?signed=${r.id}`, 303);
  });

  app.get('/alerts', (c) => {
    const s = c.req.query('status');
    const status = (['pending', 'sending', 'sent', 'failed'] as const).find((x) => x === s);
    const rows = listDeliveries(db, { status, limit: 200 }).map(deliveryJson);
    const system = listDeliveries(db, { status, system: true, limit: 100 }).map(deliveryJson);
    return c.html(alertsPage(rows.filter((r) => r.model !== null), system, { status }));
  });

  const originOf = (c: Context) => {
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() || 'http';
    const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() || c.req.header('host') || '127.0.0.1';
    return `${proto === 'https' ? 'https' : 'http'}://${host}`;
  };
  const atom = (c: Context, body: string) => c.body(body, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  app.get('/feed.atom', (c) => atom(c, atomFeed(db, originOf(c), listModels(db), {})));
  app.get('/models/:id/feed.atom', (c) => {
    const model = getModel(db, c.req.param('id'));
    if (!model) throw new CliError(`unknown model "${c.req.param('id')}"`, 1);
    return atom(c, atomFeed(db, originOf(c), [model], { modelId: model.id }));
  });

  // JSON API: exactly what the CLI's --json prints, built by the same functions.
  const pretty = (c: Context, value: unknown) => c.body(`${JSON.stringify(value, null, 2)}\n`, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  app.get('/api/v1/models', (c) => pretty(c, { models: cache.all().filter((e) => !e.row.removed_at).map((e) => statusView(db, e.status, o.watchlist())) }));
  app.get('/api/v1/models/:id', (c) => pretty(c, { models: [statusView(db, statusOf(c.req.param('id')), o.watchlist())] }));
  app.get('/api/v1/models/:id/history', (c) => {
    statusOf(c.req.param('id'));
    return pretty(c, historyJson(db, c.req.param('id')));
  });
  app.get('/api/v1/models/:id/terms', (c) => {
    const id = c.req.param('id');
    statusOf(id);
    const doc = pickDocument(db, id, c.req.query('doc') || undefined);
    const asOf = c.req.query('as_of');
    const found = termsInForce(db, id, doc, asOf ? parseWhen(asOf, 'as_of') : now().toISOString());
    return pretty(c, termsJson(db, found, Boolean(c.req.query('raw'))));
  });
  app.get('/api/v1/alerts', (c) => {
    const s = c.req.query('status');
    const status = s ? (['pending', 'sending', 'sent', 'failed'] as DeliveryStatus[]).find((x) => x === s) : undefined;
    if (s && !status) throw new CliError(`status: "${s}" is not one of pending, sending, sent, failed`, 2);
    const limit = c.req.query('limit') ? Number(c.req.query('limit')) : 50;
    if (!Number.isInteger(limit) || limit < 1) throw new CliError('limit: expected a positive whole number', 2);
    return pretty(c, listDeliveries(db, { status, model: c.req.query('model') || undefined, system: c.req.query('system') === '1' || c.req.query('system') === 'true', limit }).map(deliveryJson));
  });

  return { app, ready, handler: getRequestListener(app.fetch) };
}

/**
 * The verdicts of the declared uses under the current terms, as `termdrift status` computes them; kept per cached
 * status object (a new one is computed exactly when the model's history moves) and per declared uses.
 */
function storedVerdicts(): VerdictSource {
  const memo = new WeakMap<ModelStatus, { key: string; value: Verdict[] }>();
  const word = { yes: 'allowed', no: 'not-allowed', maybe: 'review' } as const;
  return (db, model, status) => {
    const declared = declaredOf(model);
    if (!declared.uses.length || status.lastOutcome === 'never-checked') return [];
    const key = JSON.stringify(declared);
    const hit = memo.get(status);
    if (hit?.key === key) return hit.value;
    let value: Verdict[];
    try {
      value = verdictsAt(db, status.id, declared, END_OF_TIME).map((v) => ({ use: v.use, verdict: word[v.verdict] ?? 'unknown', reason: v.ask ? `${v.reason} Ask: ${v.ask}` : v.reason }));
    } catch (err) {
      if (!(err instanceof EvidenceError)) throw err;
      value = [];
    }
    memo.set(status, { key, value });
    return value;
  };
}

function classify(err: Error): { status: 400 | 404 | 500; message: string } {
  if (err instanceof CliError) return { status: err.exitCode === 2 ? 400 : 404, message: err.message.replace(/--(from|to|as-of|doc)\b/g, '$1') };
  if (err instanceof EvidenceError) return { status: err.kind === 'bad-input' ? 400 : err.kind === 'mismatch' ? 500 : 404, message: err.message };
  return { status: 500, message: 'internal error (see the worker log)' };
}
