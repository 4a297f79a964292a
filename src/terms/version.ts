/**
 * What the check path needs from the analyser without loading it (it costs ~40 ms at start-up, and an unchanged
 * check analyses nothing): the analyser's version and the order of severities. The analyser itself runs on the derive
 * thread, loaded there.
 */
import type { LicenseIdentity, Severity } from './types.js';

/** Bump when any rule changes: stored with each version's facts, so facts are recomputed (silently) on upgrade. */
export const ANALYZER_VERSION = 'terms-3';

const ORDER: Severity[] = ['cosmetic', 'wording', 'material'];

export function severityAtLeast(s: Severity, min: Severity): boolean {
  return ORDER.indexOf(s) >= ORDER.indexOf(min);
}

/** A license as people name it ("Apache-2.0", "Llama 3.1 Community License 3.1"). */
export function licenseLabel(l: LicenseIdentity | null): string {
  if (!l) return 'none identified';
  const base = l.spdx ?? l.name ?? l.id;
  return l.version && !base.includes(l.version) ? `${base} ${l.version}` : base;
}
