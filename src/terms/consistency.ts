/**
 * Cross-document consistency: a model's documents should name the same license. A card that says
 * `license: apache-2.0` over a LICENSE that is a custom non-commercial license misleads whoever reads only the card.
 */
import { cardLicense } from './card-license.js';
import { licenseLabel } from './version.js';
import type { Facts, Finding, LicenseIdentity } from './types.js';

function compact(s: string): string {
  return s.toLowerCase().replace(/community|license|licence|agreement|the|meta|[^a-z0-9]/g, '');
}

/** Whether two identities plausibly name the same license (an HF tag "llama3.1" names "llama-3.1-community"). */
function sameLicense(a: LicenseIdentity, b: LicenseIdentity): boolean {
  if (a.spdx && b.spdx) return a.spdx.toLowerCase() === b.spdx.toLowerCase();
  if (a.spdx || b.spdx) return false;
  const ca = compact(a.id);
  const cb = compact(b.id);
  return ca.length > 0 && cb.length > 0 && (ca.includes(cb) || cb.includes(ca));
}

/**
 * Whether `version` is part of the license's own title ("BENCH MODEL 5 COMMUNITY LICENSE" read from a card's
 * "bench-model-5"; "LLAMA 2 COMMUNITY LICENSE" from "llama2"): then the card's number names the license, and the
 * "Version 1.0" printed under the title is that license's revision, not a disagreement.
 */
function numberInTitle(version: string, l: LicenseIdentity): boolean {
  const digits = version.replace(/\./g, '\\.');
  return new RegExp(`(^|[^0-9.])${digits}(?![0-9]|\\.[0-9])`).test(l.name ?? l.id);
}

function familyKey(l: LicenseIdentity): string {
  return compact(l.id).replace(/\d+(?:\.\d+)*/g, '');
}

export function findInconsistencies(docs: { locator: string; role: string; facts: Facts }[]): Finding[] {
  const findings: Finding[] = [];
  const cards = docs
    .filter((d) => d.facts.card)
    .map((d) => ({ doc: d, declared: cardLicense(d.facts.card!) }))
    .filter((c): c is { doc: typeof c.doc; declared: LicenseIdentity } => c.declared !== null);
  const licenses = docs.filter((d) => d.role === 'license' && d.facts.license && d.facts.license.family !== 'unknown');

  for (const { doc: card, declared } of cards) {
    for (const lic of licenses) {
      const actual = lic.facts.license!;
      if (declared.id === 'other' || declared.id === 'unknown') continue;
      if (sameLicense(declared, actual)) {
        if (declared.version && actual.version && declared.version !== actual.version && !numberInTitle(declared.version, actual) && familyKey(declared) === familyKey(actual)) {
          findings.push({ kind: 'license-version-mismatch', summary: `${card.locator} names ${declared.id} (version ${declared.version}) but ${lic.locator} is ${licenseLabel(actual)} (version ${actual.version})`, documents: [card.locator, lic.locator] });
        }
        continue;
      }
      if (familyKey(declared) === familyKey(actual) && declared.version !== actual.version) {
        findings.push({ kind: 'license-version-mismatch', summary: `${card.locator} names ${declared.id} but ${lic.locator} is ${licenseLabel(actual)}`, documents: [card.locator, lic.locator] });
        continue;
      }
      findings.push({
        kind: 'license-mismatch',
        summary: `${card.locator} declares license ${declared.id} (${declared.family}) but ${lic.locator} is ${licenseLabel(actual)} (${actual.family}, commercial use ${lic.facts.commercialUse})`,
        documents: [card.locator, lic.locator],
      });
    }
  }
  return findings;
}
