import type { Role } from './types.js';

/**
 * Which files of a model repository belong to its terms. Generous (LICENSE-*, USE_POLICY.md, NOTICE,
 * model_licenses/…, *.license) but not silly: no weights, images or code, and a cap per repository.
 */
export const MAX_BUNDLE_FILES = 20;

const TERMS_NAME =
  /^(?:licen[cs]e|copying|notice|use[_-]?policy|acceptable[_-]?use(?:[_-]?policy)?|prohibited[_-]?use(?:[_-]?policy)?|responsible[_-]?use(?:[_-]?policy)?|terms[_-]?of[_-]?use)(?:[._-][\w.-]*)?$/i;
const TERMS_SUFFIX = /[._-](?:licen[cs]e|use[_-]?policy)(?:\.(?:md|txt|rst))?$/i;
const TERMS_DIR = /(?:^|\/)(?:model_)?licen[cs]es?\//i;
const TEXT_FILE = /(?:^[^.]*$|\.(?:md|markdown|txt|rst|html?)$)/i;
const NOT_TERMS = /\.(?:py|js|ts|json|ya?ml|safetensors|bin|gguf|pt|pth|onnx|png|jpe?g|gif|pdf|zip|gz)$/i;

export function isTermsFile(path: string): boolean {
  const base = path.split('/').pop() ?? path;
  if (NOT_TERMS.test(base) || path.split('/').length > 3) return false;
  if (TERMS_DIR.test(path) && TEXT_FILE.test(base)) return true;
  return TERMS_NAME.test(base) || TERMS_SUFFIX.test(base);
}

export function roleOfFile(path: string): Role {
  const base = (path.split('/').pop() ?? path).toLowerCase();
  if (base === 'readme.md') return 'model-card';
  if (/(?:use[_-]?policy|acceptable[_-]?use|prohibited[_-]?use|responsible[_-]?use)/.test(base)) return 'acceptable-use';
  if (/^(?:notice|terms)/.test(base)) return 'other';
  return 'license';
}

/** The model card first, then terms files in a stable order, capped. */
export function bundleFiles(paths: string[]): string[] {
  const terms = paths.filter(isTermsFile).sort((a, b) => a.localeCompare(b)).slice(0, MAX_BUNDLE_FILES);
  return paths.includes('README.md') ? ['README.md', ...terms] : terms;
}

/** `license_link` of a card, when it names a file of the repository itself (relative, or a hub URL into the repo). */
export function repoPathOfLink(link: string, endpoint: string, repoId: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(link)) return link.replace(/^\.?\//, '').split(/[?#]/)[0] || undefined;
  const prefix = `${endpoint}/${repoId}/`;
  if (!link.startsWith(prefix)) return undefined;
  const m = /^(?:blob|resolve|raw)\/[^/]+\/(.+)$/.exec(link.slice(prefix.length).split(/[?#]/)[0]!);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

/** Encode a repository path for a URL, keeping its slashes. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
