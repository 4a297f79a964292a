import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardScene, LICENSE_V3 } from './helpers/dashboard.js';
import { repoRoot } from './helpers/cli.js';

// Debian's Chromium (.ci/run installs it); one browser for the whole file.
const TOKEN = 'browser-token-456';
let scene: DashboardScene;
let browser: Browser;
let page: Page;
const shots = process.env.TERMDRIFT_SCREENSHOTS === '1';

beforeAll(async () => {
  scene = await new DashboardScene({ token: TOKEN }).start();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  await scene?.close();
});

const pwned = () => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);

describe('the dashboard in a real browser', () => {
  it('lists the models, and filters them as one types', async () => {
    await page.goto(`${scene.base}/`);
    const names = await page.locator('table.models tbody tr td:first-child strong').allInnerTexts();
    expect(names).toEqual(['Example 8B', 'Hostile <b>Model</b>']);
    await page.fill('#q', 'hostile');
    await expect.poll(() => page.locator('table.models tbody tr:not([hidden])').count()).toBe(1);
    expect(await page.locator('#count').innerText()).toBe('1 shown');
    expect(await pwned()).toBeUndefined();
  });

  it('after a license edit and a check, shows the new version with its severity, and the fact change in the diff', async () => {
    await scene.editAndCheck();
    await page.goto(`${scene.base}/`);
    expect(await page.locator('tr.alarm').count()).toBe(0); // nothing signed off yet: drift is not an alarm
    await page.click('text=Example 8B');
    const newest = page.locator('ol.timeline > li').first();
    expect(await newest.locator('.when strong').innerText()).toBe('#2');
    expect(await newest.locator('.tag').first().innerText()).toBe('material');
    await newest.locator('a', { hasText: 'diff with #1' }).click();
    const facts = await page.locator('.facts-first').innerText();
    expect(facts).toMatch(/700 million|700M|700,000,000/);
    expect(facts).toMatch(/500 million|500M|500,000,000/);
    expect(await page.locator('table.diff ins').allInnerTexts()).toContain('500');
    if (shots) await page.screenshot({ path: path.join(repoRoot, 'docs', 'img', 'diff.png'), fullPage: true });
  });

  it('shows the old text for a past date picked in the form', async () => {
    await page.goto(`${scene.base}/models/example/terms`);
    expect(await page.locator('#terms-text').innerText()).toContain('500 million');
    await page.fill('input[name=as_of]', scene.between);
    await page.click('form.picker button');
    const text = await page.locator('#terms-text').innerText();
    expect(text).toContain('exceed 700 million monthly active users');
    expect(await page.locator('dl.provenance').innerText()).toContain('#1');
  });

  it('records a sign-off with the token that termdrift status then shows, and refuses it without', async () => {
    await page.goto(`${scene.base}/models/example`);
    await page.fill('form.signoff input[name=by]', 'Mallory');
    await page.fill('form.signoff input[name=token]', 'not-the-token');
    await page.click('form.signoff button');
    expect(await page.locator('.notice.error').innerText()).toMatch(/token is wrong/);
    await page.fill('form.signoff input[name=by]', 'Jane Doe');
    await page.fill('form.signoff input[name=note]', 'approved for the support bot');
    await page.fill('form.signoff input[name=token]', TOKEN);
    await page.click('form.signoff button');
    expect(await page.locator('.notice.ok').innerText()).toMatch(/Recorded sign-off 1/);
    expect(await page.locator('form.signoff input[name=token]').count()).toBe(0); // the HttpOnly cookie stands in now
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const status = await scene.ws.run(['status', 'example']);
    expect(status.stdout).toContain('sign-off 1: signed off by Jane Doe');
    expect(status.stdout).toContain('"approved for the support bot"');
    expect(status.stdout).not.toContain('Mallory');
  });

  it('makes a model with a material change since its sign-off stand out', async () => {
    await scene.setAndCheck('/example/LICENSE', LICENSE_V3);
    await page.goto(`${scene.base}/`);
    const alarm = page.locator('tr.alarm');
    expect(await alarm.count()).toBe(1);
    expect(await alarm.locator('td').first().innerText()).toContain('Example 8B');
    expect(await alarm.innerText()).toMatch(/material[\s\S]*Jane Doe/);
    expect(await page.locator('.summary').innerText()).toContain('1 with a material change since sign-off');
    if (shots) {
      await page.setViewportSize({ width: 1280, height: 420 });
      await page.screenshot({ path: path.join(repoRoot, 'docs', 'img', 'overview.png') });
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('shows hostile license text as text and runs none of it', async () => {
    for (const p of ['/models/hostile', `/models/hostile/terms?as_of=${encodeURIComponent(scene.between)}`, '/models/hostile/terms', '/models/hostile/diff', '/']) {
      await page.goto(`${scene.base}${p}`);
      expect(await pwned(), p).toBeUndefined();
      expect(await page.locator('img[src=x], svg[onload]').count(), p).toBe(0);
    }
    await page.goto(`${scene.base}/models/hostile/terms`);
    const text = await page.locator('#terms-text').innerText();
    expect(text).toContain('<script>window.__pwned=1</script>');
    expect(text).toContain('"><img src=x onerror="window.__pwned=2">');
    expect(text).toContain('</pre><script>window.__pwned=4</script>');
    await page.goto(`${scene.base}/models/hostile/diff`);
    expect(await page.locator('table.diff').innerText()).toContain(`'><svg onload="window.__pwned=3">`);
    expect(await pwned()).toBeUndefined();
  });

  it('publishes an Atom feed that parses, with one entry per recorded change', async () => {
    await page.goto(`${scene.base}/`);
    const parsed = await page.evaluate(async () => {
      const xml = await (await fetch('/feed.atom')).text();
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const ns = 'http://www.w3.org/2005/Atom';
      const entries = [...doc.getElementsByTagNameNS(ns, 'entry')];
      return {
        error: doc.getElementsByTagName('parsererror').length,
        feedId: doc.documentElement.getElementsByTagNameNS(ns, 'id')[0]?.textContent,
        entries: entries.map((e) => ({
          id: e.getElementsByTagNameNS(ns, 'id')[0]?.textContent,
          title: e.getElementsByTagNameNS(ns, 'title')[0]?.textContent,
          updated: e.getElementsByTagNameNS(ns, 'updated')[0]?.textContent,
          alternate: e.querySelector('link[rel=alternate]')?.getAttribute('href'),
        })),
      };
    });
    expect(parsed.error).toBe(0);
    expect(parsed.feedId).toMatch(/^urn:uuid:/);
    const history = await Promise.all(['example', 'hostile'].map(async (m) => JSON.parse((await scene.ws.run(['history', m, '--json'])).stdout) as { documents: { versions: unknown[] }[] }));
    const changes = history.reduce((n, h) => n + h.documents.reduce((k, d) => k + d.versions.length - 1, 0), 0);
    expect(parsed.entries).toHaveLength(changes);
    for (const e of parsed.entries) {
      expect(e.id).toMatch(/^urn:uuid:/);
      expect(e.updated).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(e.alternate).toMatch(new RegExp(`^${scene.base}/models/`));
    }
    expect(parsed.entries.map((e) => e.title)).toContainEqual(expect.stringMatching(/^MATERIAL · Example 8B · /));
  });
});
