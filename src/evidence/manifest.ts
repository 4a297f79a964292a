import type { Facts } from '../terms/index.js';

/** The shape of manifest.json (documented in the README; fields are only ever added). */
export const BUNDLE_FORMAT = 'termdrift-evidence/1';

export interface FileEntry {
  sha256: string;
  size: number;
}

export interface ManifestDocument {
  folder: string;
  locator: string;
  role: string;
  url: string;
  discoveredFrom: string | null;
  documentFirstSeenAt: string;
  version: {
    number: number;
    firstSeenAt: string;
    lastConfirmedAt: string;
    supersededAt: string | null;
    revision: string | null;
    revisionDate: string | null;
    mediaType: string;
    normalizer: string;
  };
  text: FileEntry & { file: string };
  raw: FileEntry & { file: string };
  /** Whether this exact version is one the bundle's sign-off covers. */
  signedOff: boolean;
  facts: Facts;
}

export interface ManifestSignoff {
  id: number;
  by: string;
  at: string;
  asOf: string;
  note: string | null;
  versions: { locator: string; number: number; sha256: string }[];
}

export interface Manifest {
  format: typeof BUNDLE_FORMAT;
  model: { id: string; name: string };
  /** latest: the current terms (asOf null) · as-of: in force at asOf · signoff: exactly the versions signed off. */
  selection: {
    kind: 'latest' | 'as-of' | 'signoff';
    asOf: string | null;
    signoffId: number | null;
    /** The latest moment the model's history held at export: `verify` recomputes the current (or a later as-of) set then. */
    dataUntil: string | null;
  };
  /** The chosen sign-off, or the latest one recorded at or before asOf (null if none). */
  signoff: ManifestSignoff | null;
  documents: ManifestDocument[];
  /** Watched documents with no version in force then: not-observed-yet, gone (404) or unlinked (no document links it), since when. */
  absent: { locator: string; role: string; url: string; reason: string; since: string | null }[];
  /** Every file in the bundle except manifest.json itself, by bundle-relative path. */
  files: Record<string, FileEntry>;
}
