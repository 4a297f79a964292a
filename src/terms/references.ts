/**
 * References: URLs to further terms a licensee must follow. A URL counts when its path names a use policy
 * (`use-policy`, `acceptable_use`, `prohibited_use`...) or when its sentence binds the licensee to it
 * ("incorporated by reference", "comply with", "subject to", brand guidelines). Registration forms,
 * contact and reporting links, and the copier's own "copy of <url>" notes are not terms.
 */
import type { Reference } from './types.js';
import type { Sentence } from './text.js';

export const URL_RE = /\b(?:https?:\/\/[^\s<>()"“”'\]]+|(?:www\.)?(?:[a-z0-9-]+\.)+(?:com|ai|dev|org|io|net|cn|co|de|fr|uk)\/[^\s<>()"“”'\]]*)/gi;
const POLICY_PATH = /(?:use[-_]?polic|acceptable[-_]?use|prohibited[-_]?use|\baup\b|usage[-_]?polic|responsible[-_]?use)/i;
const BINDING = /\b(?:incorporated\s+(?:herein\s+)?by\s+reference|compl(?:y|iance)\s+with|adhere\s+to|abide\s+by|subject\s+to|in\s+accordance\s+with|brand\s+guidelines|must\s+follow|bound\s+by|acceptable\s+use|use\s+policy|consistent\s+with|(?:terms|policy|licen[cs]e|agreement)\s+(?:found|available|located|posted)\s+at|can\s+be\s+found\s+at|revised\s+version\s+at|(?:is|are)\s+(?:also\s+)?applied|shall\s+apply|must\s+register\s+at)\b/i;
// "The most recent copy of this policy can be found at": the copy is the terms themselves, not a copier's note.
const OWN_COPY = /\b(?:most\s+recent|latest|current|revised)\s+(?:copy|version)\s+of\s+this\b/i;
const NOT_TERMS = /\b(?:register|registration|contact|report\w*|feedback|questions?|request\s+a\s+licen[cs]e|enterprise|copy\s+of|retrieved|source:|download\w*|documentation|form)\b/i;

export function normalizeUrl(url: string): string {
  return url
    .toLowerCase()
    .replace(/\\/g, '')
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/#?]+$/, '');
}

function trimUrl(u: string): string {
  return u.replace(/\\(?=[_*])/g, '').replace(/[.,;:!?*_)\]}>'"’”]+$/, '');
}

// A URL inside the notice text a licensee must copy ("contains the following notice: ...") is not a term for them.
const NOTICE_TEMPLATE = /\bfollowing\s+(?:attribution\s+)?notice\b|["“]notice["”]\s+text\s+file/i;

// A relative link to a file beside the document: "[Acceptable Use Policy](./USE_POLICY.md)", "(./USE_POLICY.md)".
const RELATIVE = /(?:\]\(|\(|\s|^)(\.{1,2}\/[\w./-]{1,200}?|[\w-]{1,80}\.md)(?=[)\s,;]|$)/g;

function resolveRelative(rel: string, base: string | undefined): string {
  if (!base) return rel;
  try {
    return new URL(rel, base).toString();
  } catch {
    return rel;
  }
}

/** `baseUrl`: where the document was read from, so relative links can be resolved against it. */
export function findReferences(sents: Sentence[], baseUrl?: string): Reference[] {
  const out: Reference[] = [];
  const seen = new Set<string>();
  for (const s of sents) {
    if (s.text.includes('./') || /\.md\b/i.test(s.text)) {
      RELATIVE.lastIndex = 0;
      let r: RegExpExecArray | null;
      while ((r = RELATIVE.exec(s.text)) !== null) {
        const rel = r[1]!;
        const around = s.text.slice(Math.max(0, r.index - 200), r.index + rel.length + 120);
        if (!POLICY_PATH.test(rel) && !BINDING.test(around)) continue;
        const url = resolveRelative(rel, baseUrl);
        const key = normalizeUrl(url);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ url, role: POLICY_PATH.test(rel) || /acceptable\s+use|use\s+policy/i.test(around) ? 'acceptable-use' : 'referenced', evidence: s.text, start: s.start, end: s.end });
      }
    }
    URL_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = URL_RE.exec(s.text)) !== null) {
      const url = trimUrl(m[0]);
      if (url.includes('@')) continue;
      const policy = POLICY_PATH.test(url);
      // The words around the URL, not the whole (possibly long) sentence, decide whether it is a term.
      const around = s.text.slice(Math.max(0, m.index - 200), m.index + url.length + 80);
      const near = s.text.slice(Math.max(0, m.index - 60), m.index);
      // A bare home page ("(https://opensource.org)") names an organisation, not terms.
      if (!policy && !/^(?:https?:\/\/)?[^/]+\/[^/\s]/.test(url)) continue;
      const own = OWN_COPY.test(near);
      // "Llama2 license (https://…) and EVA license (MIT, https://…) are applied": a license named by its URL.
      const named = /\blicen[cs]es?\s*\((?:[\w.-]{2,20},\s*)?$/i.test(near) && /\bappl(?:y|ies|ied)\b/i.test(s.text);
      if (named && !seen.has(normalizeUrl(url))) {
        seen.add(normalizeUrl(url));
        out.push({ url, role: 'referenced', evidence: s.text, start: s.start, end: s.end });
        continue;
      }
      if (!policy && (!BINDING.test(around) || (!own && NOT_TERMS.test(near)) || NOTICE_TEMPLATE.test(s.text))) continue;
      if (policy && !own && /\b(?:copy\s+of|retrieved|report\w*)\b/i.test(near)) continue;
      const key = normalizeUrl(url);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ url, role: policy || /acceptable\s+use|use\s+policy/i.test(around) ? 'acceptable-use' : 'referenced', evidence: s.text, start: s.start, end: s.end });
    }
  }
  return out;
}
