/**
 * Naming a license, as GitHub's licensee does: matchers tried in order, each named in `matcher`.
 *   1. spdx-dice: the text's normalised word set against every SPDX text (Dice ≥ 0.9).
 *   2. catalog-title / catalog-markers: a model-license family from `catalog.ts`.
 *   3. spdx-near: a standard text with additions (Dice 0.75–0.9), reported as "<SPDX>-modified", never as the SPDX id.
 *   4. title: any other titled license, id from its title.
 *   5. content: untitled text; only the family is known, from what the text says about commercial use.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CATALOG, spdxFamily, type CatalogEntry } from './catalog.js';
import { clean, slug } from './text.js';
import type { CommercialUse, Family, LicenseIdentity } from './types.js';

// Licensee uses 0.98; 0.95 still absorbs filled-in placeholders and reflowed lines, while an added condition (a "modified MIT") falls below it.
export const DICE_MATCH = 0.95;
export const DICE_NEAR = 0.75;

interface SpdxEntry {
  id: string;
  name: string;
  osi: boolean;
  /** The text's word set as ids into `vocabulary`: a few KB per license instead of a Set of strings. */
  words: Uint32Array;
}

let spdxCache: SpdxEntry[] | null = null;
const vocabulary = new Map<string, number>();

/** Licensee-style normalisation: drop titles, copyright lines, URLs and placeholders; fold spelling and case. */
export function wordSet(text: string): Set<string> {
  const t = text
    .normalize('NFKC')
    .toLowerCase()
    // The Apache-style "how to apply" appendix is boilerplate that copies keep, drop or fill in.
    .replace(/\bend of terms and conditions\b[\s\S]*$/, ' ')
    .replace(/^.*\bcopyright\s+(?:\(c\)|©|\d{4}|\[yyyy\]|<year>).*$/gm, ' ')
    .replace(/\b(?:https?:\/\/|www\.)\S+/g, ' ')
    .replace(/[<[][^>\]\n]{0,60}[>\]]/g, ' ')
    .replace(/\blicen[cs]/g, 'licens')
    .replace(/\bnon-?commercial/g, 'noncommercial')
    .replace(/[^a-z0-9]+/g, ' ');
  const set = new Set<string>();
  for (const w of t.split(' ')) if (w.length > 1) set.add(w);
  return set;
}

// Deprecated SPDX ids ("GPL-3.0", "GPL-3.0+") share texts with current ones; prefer the current id on a tie.
function deprecated(id: string): boolean {
  return /\+$|^(?:A|L)?GPL-\d\.\d$|^GFDL-\d\.\d$|^LGPL-2\.0$|-with-/.test(id);
}

/**
 * The SPDX texts (5 MB) are read one license file at a time and reduced to word-id arrays, so neither the
 * first analysis nor a long-running worker holds them all as strings.
 */
function spdxEntries(): SpdxEntry[] {
  if (spdxCache) return spdxCache;
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('spdx-license-list/spdx.json')), 'licenses');
  const ids = Object.keys(require('spdx-license-list/spdx.json') as Record<string, unknown>);
  spdxCache = ids.flatMap((id) => {
    let l: { name: string; osiApproved: boolean; licenseText: string };
    try {
      l = JSON.parse(readFileSync(path.join(dir, `${id}.json`), 'utf8'));
    } catch {
      return [];
    }
    const words = [...wordSet(l.licenseText)].map((w) => {
      let n = vocabulary.get(w);
      if (n === undefined) vocabulary.set(w, (n = vocabulary.size));
      return n;
    });
    return [{ id, name: l.name, osi: l.osiApproved, words: Uint32Array.from(words) }];
  });
  return spdxCache;
}

/** Dice coefficient of a text's word set (as vocabulary ids, plus the count of words outside it) and an entry's. */
function diceIds(ids: Set<number>, size: number, entry: Uint32Array): number {
  if (size + entry.length === 0) return 0;
  let common = 0;
  for (const w of entry) if (ids.has(w)) common++;
  return (2 * common) / (size + entry.length);
}

export interface SpdxMatch {
  id: string;
  name: string;
  osi: boolean;
  score: number;
}

/** The closest SPDX text, if any is at least DICE_NEAR similar. Loads the SPDX texts once, on first use. */
// The longest SPDX text is about 100 KB: a text four times that size cannot be one of them plus light edits.
const SPDX_MAX_CHARS = 400_000;

export function closestSpdx(text: string): SpdxMatch | null {
  if (text.length > SPDX_MAX_CHARS) return null;
  const words = wordSet(text);
  if (words.size < 20) return null;
  const entries = spdxEntries();
  const ids = new Set<number>();
  for (const w of words) {
    const n = vocabulary.get(w);
    if (n !== undefined) ids.add(n);
  }
  let best: SpdxMatch | null = null;
  for (const e of entries) {
    const bound = (2 * Math.min(words.size, e.words.length)) / (words.size + e.words.length);
    if (bound < DICE_NEAR || (best && bound < best.score)) continue;
    const score = diceIds(ids, words.size, e.words);
    if (score < DICE_NEAR) continue;
    const better = !best || score > best.score + 1e-9 || (Math.abs(score - best.score) <= 1e-9 && deprecated(best.id) && !deprecated(e.id));
    if (better) best = { id: e.id, name: e.name, osi: e.osi, score };
  }
  return best;
}

export interface CatalogHit {
  entry: CatalogEntry;
  index: number;
  title: string;
  version: string | null;
  product: string | null;
}

// Titles are searched near the top only, so that a license merely named in the body does not rename the text.
const TITLE_WINDOW = 3000;

// A line that only dates the text ("Last updated: March 3, 2026", "Effective Date: 2024-05-01").
const DATE_ONLY = /^\W*(?:last\s+(?:updated|modified|revised)|effective(?:\s+date)?|(?:version\s+)?release\s+date|dated|updated|revised|published)\b[^\n]{0,60}$/i;

/**
 * The version stated on the rest of the title line or the line under it ("Version 1.0, 23 October 2023"); a
 * "Last updated" line between the two does not hide it.
 */
function versionUnderTitle(after: string): string | null {
  const [rest = '', ...below] = after.split('\n');
  const inRest = /\bversion\s+(\d+(?:\.\d+)*)\b/i.exec(rest)?.[1];
  if (inRest) return inRest;
  for (const raw of below) {
    const l = raw.trim();
    if (!l || (DATE_ONLY.test(l) && !/\bversion\b/i.test(l))) continue;
    // The first line under the title that is not a date: it states the version, or nothing does.
    return /\bversion\s+(\d+(?:\.\d+)*)\b/i.exec(l)?.[1] ?? null;
  }
  return null;
}

export function catalogTitle(text: string): CatalogHit | null {
  const head = text.slice(0, TITLE_WINDOW);
  let best: CatalogHit | null = null;
  for (const entry of CATALOG) {
    const m = entry.title.exec(head);
    if (!m) continue;
    if (best && m.index >= best.index) continue;
    // A version stated just under the title ("DEEPSEEK LICENSE AGREEMENT / Version 1.0, 23 October 2023").
    const after = head.slice(m.index + m[0].length, m.index + m[0].length + 300);
    const v = m.groups?.v ?? versionUnderTitle(after);
    best = { entry, index: m.index, title: clean(m[0]), version: v, product: m.groups?.n ? clean(m.groups.n) : null };
  }
  return best;
}

export function catalogMarkers(text: string): CatalogEntry | null {
  for (const entry of CATALOG) if (entry.markers && entry.markers.every((re) => re.test(text))) return entry;
  return null;
}

const TITLE_LINE = /^(?=.{4,120}$)(?!.*\b(?:means|shall|you|is|are)\b)(?:.*\b(?:licen[cs]e|agreement|terms of use|terms and conditions|use policy)(?:\s*\(\w+\))?(?:,?\s*(?:v|version\s*)?\d+(?:\.\d+)*(?:\s*[-–]\s*[A-Z]{1,8})?)?|(?:[\w.-]+\s+){0,4}licen[cs]e\s+(?:agreement\s+)?for\s+(?:the\s+)?[\w .-]{2,60})$/i;

/** The first title-like line near the top: short, not a sentence, ending in License/Agreement/Terms/Policy. */
export function findTitle(text: string): { title: string; index: number } | null {
  let offset = 0;
  const lines = text.slice(0, TITLE_WINDOW).split('\n');
  for (const line of lines.slice(0, 15)) {
    const t = clean(line.replace(/^[\s\uFEFF#>*-]+/, ''));
    if (t && TITLE_LINE.test(t)) return { title: t, index: offset };
    offset += line.length + 1;
  }
  return null;
}

/** An explicit license version in a title: "v1.1", "Version 2.0". A bare number ("SDXL 0.9") names a model, not the license. */
export function titleVersion(title: string): string | null {
  return /\b(?:v|version\s*)(\d+(?:\.\d+)*)\b/i.exec(title)?.[1] ?? /\b(?:licen[cs]e|agreement|terms)\s+(\d+(?:\.\d+)+)\b/i.exec(title)?.[1] ?? null;
}

/** The title without its version and variant suffix ("… Agreement 1.2 - NC" → "… Agreement"), for a stable id across versions. */
function titleStem(title: string): string {
  return title.replace(/,?\s*(?:\bv|\bversion\s*)?\d+(?:\.\d+)*(?:\s*[-–]\s*[A-Z]{1,8})?\s*$/i, '').replace(/^the\s+/i, '').trim() || title;
}

/** The name a text gives itself in quotes near its top: 'the "MiniCPM Model Community License Agreement"'. */
function quotedName(text: string): string | null {
  const head = text.slice(0, TITLE_WINDOW);
  const name = String.raw`((?:[A-Z][\w.+-]*\s+){1,8}(?:Licen[cs]e(?:\s+Agreement)?|Agreement))`;
  // Or the notice it makes licensees copy: "… is licensed under the Apple … License Agreement."
  const m = new RegExp(String.raw`["“]${name}\.?["”]`).exec(head) ?? new RegExp(String.raw`["“][^"”]{0,120}\blicen[cs]ed\s+under\s+(?:the\s+)?${name}`).exec(head);
  return m ? clean(m[1]!) : null;
}

/** The version a standard text states near its top ("Version 3, 29 June 2007"), else a number in its title ("… 4.0 International"). */
function statedVersion(text: string): string | null {
  const head = text.slice(0, 600);
  const m = /\bversion\s+(\d+(?:\.\d+)*)\b/i.exec(head);
  if (m) return m[1]!;
  const title = findTitle(text)?.title ?? clean(text.trimStart().split('\n')[0] ?? '').slice(0, 120);
  return /\s(\d+\.\d+)\b/.exec(` ${title}`)?.[1] ?? null;
}

function fill(template: string, hit: CatalogHit): string {
  return template
    .replace(/\{v\}/g, hit.version ?? '')
    .replace(/\{N\}/g, hit.product ?? '')
    .replace(/\{n\}/g, slug(hit.product ?? ''))
    .replace(/--+/g, '-')
    .replace(/-$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function derivedFamily(family: Family | 'derive', commercialUse: CommercialUse): Family {
  if (family !== 'derive') return family;
  return commercialUse === 'non-commercial' ? 'non-commercial' : 'custom';
}

/**
 * Name the license of `text`. `commercialUse` (from the facts) decides the family of custom licenses whose
 * family depends on their terms (the same "ChatGLM-6B License" title was non-commercial, then commercial).
 */
export function identify(text: string, commercialUse: CommercialUse): LicenseIdentity | null {
  const spdx = closestSpdx(text);
  if (spdx && spdx.score >= DICE_MATCH) {
    return {
      id: spdx.id, name: spdx.name, spdx: spdx.id, family: spdxFamily(spdx.id, spdx.osi),
      confidence: round(spdx.score), version: statedVersion(text),
      matcher: spdx.score >= 0.995 ? 'spdx-exact' : 'spdx-dice',
    };
  }
  const hit = catalogTitle(text);
  if (hit) {
    const e = hit.entry;
    return {
      id: fill(e.id, hit) || e.key, name: fill(e.name, hit) || hit.title, spdx: null,
      family: e.policy ? 'unknown' : derivedFamily(e.family, commercialUse), confidence: 0.95,
      version: hit.version, matcher: 'catalog-title',
    };
  }
  if (spdx) {
    const t = findTitle(text);
    return {
      id: `${spdx.id}-modified`, name: t?.title ?? `Modified ${spdx.name}`, spdx: null, family: spdxFamily(spdx.id, spdx.osi),
      confidence: round(spdx.score), version: null, matcher: 'spdx-near',
    };
  }
  const t = findTitle(text);
  if (t) {
    return {
      id: slug(titleStem(t.title)), name: t.title, spdx: null, family: derivedFamily('derive', commercialUse),
      confidence: 0.6, version: titleVersion(t.title) ?? statedVersion(text.slice(t.index, t.index + 600)), matcher: 'title',
    };
  }
  const q = quotedName(text);
  if (q && !/^(?:this|the)\s/i.test(q)) {
    return {
      id: slug(titleStem(q)), name: q, spdx: null, family: derivedFamily('derive', commercialUse),
      confidence: 0.5, version: titleVersion(q) ?? /^\W*version\s+(\d+(?:\.\d+)*)\b/im.exec(text.slice(0, 600))?.[1] ?? null, matcher: 'title',
    };
  }
  const markers = catalogMarkers(text);
  if (markers) {
    return {
      id: markers.id.replace(/-?\{[vnN]\}-?/g, '-').replace(/^-|-$/g, '') || markers.key, name: null, spdx: null,
      family: markers.policy ? 'unknown' : derivedFamily(markers.family, commercialUse), confidence: 0.5, version: null, matcher: 'catalog-markers',
    };
  }
  if (commercialUse === 'unknown') return null;
  return {
    id: commercialUse === 'non-commercial' ? 'unidentified-non-commercial' : 'unidentified', name: null, spdx: null,
    family: commercialUse === 'non-commercial' ? 'non-commercial' : 'unknown', confidence: 0.3, version: null, matcher: 'content',
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
