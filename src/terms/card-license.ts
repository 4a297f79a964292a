/**
 * The license a model card declares, on its own so that the cross-document check (consistency.ts), which runs for
 * every model on every check, does not load the analyser.
 */
import spdxList from 'spdx-license-list';
import { spdxFamily } from './catalog.js';
import type { LicenseIdentity } from './types.js';

const SPDX = spdxList as unknown as Record<string, { name: string; osiApproved: boolean }>;
const SPDX_LOWER = new Map(Object.keys(SPDX).map((id) => [id.toLowerCase(), id]));

/** What a model card's `license:` field declares, as an identity (Hugging Face ids are lower-case SPDX ids or family tags). */
export function cardLicense(card: Record<string, unknown>): LicenseIdentity | null {
  const raw = typeof card.license === 'string' ? card.license.trim() : Array.isArray(card.license) ? String(card.license[0] ?? '') : '';
  if (!raw) return null;
  const spdx = SPDX_LOWER.get(raw.toLowerCase());
  if (spdx) {
    return { id: spdx, name: SPDX[spdx]!.name, spdx, family: spdxFamily(spdx, SPDX[spdx]!.osiApproved), confidence: 0.9, version: /-(\d+(?:\.\d+)*)(?:-only|-or-later)?$/.exec(spdx)?.[1] ?? null, matcher: 'front-matter' };
  }
  const name = typeof card.license_name === 'string' ? card.license_name : null;
  const id = raw.toLowerCase() === 'other' && name ? name.toLowerCase() : raw.toLowerCase();
  const version = /(\d+(?:\.\d+)*)/.exec(id)?.[1] ?? null;
  const family = /\bnc\b|non-?commercial|research/.test(id) ? 'non-commercial' : /^(?:mit|bsd|apache)/.test(id) ? 'permissive' : 'custom';
  return { id, name, spdx: null, family, confidence: 0.8, version, matcher: 'front-matter' };
}
