import path from 'node:path';
import { EvidenceError } from './errors.js';

/** Pretty JSON with every object's keys sorted, so the same data always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k])]));
  }
  return v;
}

/** A file-name part built only from [a-z0-9-]: no dots, no slashes, so it can never climb out of the bundle. */
export function slug(s: string, max = 60): string {
  const out = s
    .toLowerCase()
    .replace(/^url:https?:\/\//, '')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, max)
    .replace(/^-+|-+$/g, '');
  return out || 'document';
}

const EXTENSIONS: Record<string, string> = {
  'text/html': 'html',
  'application/xhtml+xml': 'xhtml',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/x-markdown': 'md',
  'application/json': 'json',
  'application/pdf': 'pdf',
};

export function extensionFor(mediaType: string): string {
  return EXTENSIONS[mediaType.split(';')[0]!.trim().toLowerCase()] ?? 'bin';
}

/** The folder of one document in the bundle: its position, role and locator, sanitised. */
export function documentFolder(index: number, role: string, locator: string): string {
  return `documents/${String(index + 1).padStart(2, '0')}-${slug(role, 20)}-${slug(locator)}`;
}

/**
 * Resolve a bundle-relative path inside `dir`, refusing anything that could point elsewhere (absolute paths,
 * `..`, backslashes, empty segments). Used for writing and for reading a manifest someone else produced.
 */
export function insideBundle(dir: string, rel: string): string {
  const segments = rel.split('/');
  const bad =
    rel.length === 0 ||
    rel.length > 512 ||
    /[\\\u0000]/.test(rel) ||
    path.isAbsolute(rel) ||
    segments.some((s) => s === '' || s === '.' || s === '..');
  const root = path.resolve(dir);
  const full = path.resolve(root, ...segments);
  if (bad || !full.startsWith(root + path.sep)) throw new EvidenceError('mismatch', `${JSON.stringify(rel)}: not a path inside the bundle`);
  return full;
}
