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

// "Licensed under the Apache License, Version 2.0 (the "License") … You may obtain a copy of the License at <URL>":
// a notice that applies a license kept elsewhere binds the licensee to the terms at the URL.
const LICENSE_COPY = /\b(?:obtain|get|find|view|read|download)\s+a\s+copy\s+of\s+(?:the|this|that)\s+licen[cs]e\s+(?:at|from)\s*:?\s*$/i;
const APPLIED = /\blicen[cs]ed\s+under\b|\bin\s+compliance\s+with\s+the\s+licen[cs]e\b|\bsubject\s+to\s+the\s+terms\s+of\b/i;
// "Llama2 license conditions (https://…)", "EVA license (MIT, https://…)", "the Community License Agreement (https://…)":
// a license or policy named by its URL in parentheses is the terms the text applies.
const NAMED = /\b(?:licen[cs]es?|terms|conditions|polic(?:y|ies)|agreement)\s*\((?:\s*[\w.+-]{2,20}\s*,\s*)?$/i;
// Named terms bind only when the sentence applies them ("… are applied", "subject to", "… for model weights"); a privacy
// policy, a site's terms of use, or a third party's "own license" described in passing are not terms for the reader.
const NAMED_CUE = /\b(?:appl(?:y|ies|ied)|govern(?:s|ed|ing)?|compl(?:y|iance)|subject\s+to|incorporat\w+|bound\s+by|follow(?:s|ed|ing)?|adhere|abide|licensed\s+under|governed\s+by|(?:is|are|released|distributed|provided|(?:made\s+)?available)\s+under|for\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:models?|weights|vocabular\w*|tokeni[sz]ers?|code|files?|components?))\b/i;
const NOT_NAMED = /\b(?:privacy|cookies?|website|web\s+site|site)\s+(?:polic(?:y|ies)|terms|notice)|\b(?:its|their)\s+own\s+licen[cs]e/i;
// "How to apply these terms to your new programs", "APPENDIX: How to apply the Apache License to your work": a
// template for others to apply the license; the URLs in it are the license's own address, not terms for the reader.
const HOW_TO_APPLY = /^\W*(?:appendix\W+)?how\s+to\s+apply\s+(?:th(?:e|is|ese)\b|it\b|the\s+\w+(?:\s+\w+)?\s+licen[cs]e\b)/i;
// The template ends where another text starts: a title line in capitals ("PART 2: MODEL WEIGHTS LICENSE"), a Markdown
// heading, or a heading that adds terms ("Additional Terms for the Acme Model", "Supplement A", "Schedule 1").
const NEW_TITLE = /^[^a-z.;]{0,100}\b(?:LICEN[CS]E|AGREEMENT|TERMS|POLICY)\b[^a-z.;]{0,60}$/;
const NEW_SECTION = /^\s*#{1,6}\s+\S|^\W{0,3}(?:[\dA-Z]{1,3}[.)]\s+)?(?:additional|supplementa\w*|schedule|exhibit|annex|addendum|appendix\s+[a-z\d]\b|part\s+[\dIVX]+)\b[^.;]{0,80}$/i;

/** `baseUrl`: where the document was read from, so relative links can be resolved against it. */
export function findReferences(sents: Sentence[], baseUrl?: string): Reference[] {
  const out: Reference[] = [];
  const seen = new Set<string>();
  let template = false;
  for (let i = 0; i < sents.length; i++) {
    const s = sents[i]!;
    if (HOW_TO_APPLY.test(s.text)) template = true;
    else if (template && (NEW_TITLE.test(s.text.trim()) || NEW_SECTION.test(s.text)) && !/\bhow\s+to\b/i.test(s.text)) template = false;
    // Inside the template, only a use policy the sentence binds the reader to still counts: no how-to-apply notice
    // ever points at one, so it can only be terms that follow the template.
    if (template && !(POLICY_PATH.test(s.text) && BINDING.test(s.text))) continue;
    // A URL on its own line continues the sentence above it ("… a copy of the License at\n\n  http://…").
    const prev = i > 0 ? sents[i - 1]!.text.slice(-200) : '';
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
      const lead = m.index < 4 ? `${prev} ` : '';
      const near = (lead + s.text.slice(0, m.index)).slice(-60);
      const applied = LICENSE_COPY.test(lead + s.text.slice(Math.max(0, m.index - 80), m.index)) && APPLIED.test(`${i > 1 ? sents[i - 2]!.text.slice(-300) : ''} ${prev} ${s.text.slice(0, m.index)}`);
      // A bare home page ("(https://opensource.org)") names an organisation, not terms.
      if (!policy && !/^(?:https?:\/\/)?[^/]+\/[^/\s]/.test(url)) continue;
      const own = OWN_COPY.test(near);
      // "Llama2 license (https://…) and EVA license (MIT, https://…) are applied": a license named by its URL.
      const named = NAMED.test(near) && NAMED_CUE.test(s.text) && !NOT_NAMED.test(near);
      if ((named || applied) && !seen.has(normalizeUrl(url))) {
        seen.add(normalizeUrl(url));
        out.push({ url, role: policy || /acceptable\s+use|use\s+policy/i.test(near) ? 'acceptable-use' : 'referenced', evidence: s.text, start: s.start, end: s.end });
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
