/**
 * Clause rules: each is a named sentence pattern for one clause kind. A sentence that matches `match` and
 * none of `unless` yields a clause with that sentence as evidence. Rules are about the language of licenses
 * (grants, prohibitions, conditions), not about any one license's wording.
 */
import type { Clause, ClauseKind } from './types.js';
import type { Sentence } from './text.js';
import { clean } from './text.js';

interface Rule {
  kind: ClauseKind;
  name: string;
  match: RegExp[];
  unless?: RegExp[];
  summary: string | ((m: RegExpExecArray, s: string) => string);
  params?: (s: string, m: RegExpExecArray) => Record<string, string | string[]> | undefined;
  /** Read list items together with their lead-in ("You agree not to use the Model: ..."); for prohibitions. */
  lead?: boolean;
  /** A permission: it never fires on an item of a list whose lead-in prohibits ("You will not: a. use … for commercial uses"). */
  permits?: boolean;
}

// A prohibition: "you will not", "may not", "must not", "is prohibited"...
export const NEG = String.raw`(?:\b(?:will|shall|may|must|can|do|does|agree|undertakes?)\s+not\b|\bnot\s+(?:be\s+)?(?:permitted|allowed|authori[sz]ed)\b|\bprohibit\w*|\bnever\b|\bagree\s+not\s+to\b|\bno\s+one\s+may\b)`;
// A prohibition of the thing itself; "except as prohibited herein" only carves out, it does not negate.
const NEG_STRICT = String.raw`(?:\b(?:will|shall|may|must|can|do|does)\s+not\b|\bnot\s+(?:be\s+)?(?:permitted|allowed|authori[sz]ed)\b|\b(?:is|are|be)\s+(?:strictly\s+|expressly\s+|explicitly\s+)?prohibited\b|\bnever\b)`;
const DEFINITION = /["”“]\s*(?:means|shall mean|refers to|includes?)\b|^\W*[a-z0-9]{0,4}[.)]?\s*["“][^"”]{1,60}["”]\s+(?:means|has)\b/i;
const POINTER = /\b(?:contact|request\s+a\s+(?:separate\s+)?licen[cs]e|separate\s+(?:commercial\s+)?licen[cs]e|enterprise|obtain\s+(?:a\s+)?(?:separate|additional|further)|please\s+reach)\b/i;

// "commercial or non-commercial use": both are named, so neither is being excluded.
const BOTH_WAYS = /\bcommercial\s+(?:or|and|and\/or)\s+non-?commercial\b|\bnon-?commercial\s+(?:or|and|and\/or)\s+commercial\b/i;
const NC_WORD = String.raw`non[-\s]?commercial|noncommercial`;
const COMMERCIAL = String.raw`(?<!non[-\s]?)(?<!non)\bcommercial\b(?!\s+(?:loss|losses|damages))`;

const REGIONS = [
  'European Union', 'EU', 'EEA', 'United States', 'USA', 'China', "People's Republic of China", 'PRC', 'Russia', 'Iran', 'North Korea',
  'Cuba', 'Syria', 'Crimea', 'United Kingdom', 'UK', 'India', 'Japan', 'South Korea', 'Belarus', 'Venezuela', 'Hong Kong', 'Macau', 'Taiwan',
  // Further countries and blocs that export-control and regional carve-outs name.
  'European Economic Area', 'Mainland China', 'Canada', 'Mexico', 'Brazil', 'Argentina', 'Australia', 'New Zealand', 'Germany', 'France',
  'Italy', 'Spain', 'Netherlands', 'Switzerland', 'Norway', 'Sweden', 'Poland', 'Ireland', 'Singapore', 'Israel', 'Turkey', 'Saudi Arabia',
  'United Arab Emirates', 'Vietnam', 'Indonesia', 'Pakistan', 'Ukraine', 'Afghanistan', 'Myanmar', 'Sudan', 'South Sudan', 'Libya', 'Iraq',
  'Lebanon', 'Yemen', 'Somalia', 'Nicaragua', 'Zimbabwe', 'South Africa', 'Nigeria', 'Egypt', 'Thailand', 'Malaysia', 'Philippines',
  'Kazakhstan', 'Donetsk', 'Luhansk', 'Quebec', 'California',
];
// Case-insensitive: some licenses shout their exclusions ("DOES NOT APPLY IN THE EUROPEAN UNION").
const REGION_RE = new RegExp(String.raw`\b(?:${REGIONS.map((r) => r.replace(/'/g, "['’]")).join('|')})\b`, 'gi');
const REGION_NAME = new Map(REGIONS.map((r) => [r.toLowerCase().replace(/’/g, "'"), r]));

const USE_CATEGORIES: Array<[string, RegExp]> = [
  ['military', /\bmilitary|warfare|weapons?\b/i],
  ['illegal', /\billegal|unlawful|violat\w+ (?:any )?(?:applicable )?laws?/i],
  ['surveillance', /\bsurveil|tracking individuals|biometric/i],
  ['discrimination', /\bdiscriminat/i],
  ['harm-to-people', /\bharm(?:ful)?\b|\bharass|\bviolen|\bself-harm/i],
  ['disinformation', /\bdisinformation|misinformation|defam|impersonat|deceiv|\bfalse information/i],
  ['csam', /\bchild sexual|\bcsam\b|exploit\w* (?:or harm )?(?:children|minors)/i],
  ['medical-advice', /\bmedical (?:advice|results)|\bdiagnos/i],
  ['malware', /\bmalware|malicious code|\bviruses\b/i],
  ['safety-filters', /\bfilters?\b|\bguardrails?\b|safety (?:features|mechanisms)/i],
  ['national-security', /\bnational security|national unity/i],
  ['consequential-decisions', /\bdecisions?\s+(?:about|on|regarding|in|affecting)\s+[^.;]{0,40}\b(?:credit|employment|housing|insurance|eligibility)\b|\b(?:credit|employment|housing|insurance|eligibility)\s+decisions?\b/i],
  ['critical-infrastructure', /\bcritical infrastructure|nuclear|heavy machinery/i],
];

const PROHIBITED_USE = new RegExp(USE_CATEGORIES.map(([, re]) => re.source).join('|'), 'i');

function usesOf(s: string): string[] {
  return USE_CATEGORIES.filter(([, re]) => re.test(s)).map(([name]) => name);
}

// Inside a sentence, a window may cross periods that are not followed by a space ("FLUX.1", "Llama 3.1").
const W = String.raw`(?:[^.;]|[.](?=\S))`;
const r = (src: string, flags = 'i'): RegExp => new RegExp(src.replace(/\[\^\.;?\]/g, W), flags);

export const RULES: Rule[] = [
  // ---- commercial use ----
  // "solely for your non-commercial research purposes", "for NonCommercial purposes only"; not "noncommercial distribution".
  { kind: 'non-commercial', name: 'nc-only', match: [r(String.raw`\b(?:only|solely|exclusively)\b[^.;]{0,80}\bfor\s+(?:your\s+|their\s+)?(?:own\s+)?(?:personal\s+)?(?:${NC_WORD})\s+(?:(?:and|or|,)\s*[\w-]+\s+)?(?:[\w-]+\s+)?(?:purposes?|uses?|research|activit\w+)\b|\b(?:${NC_WORD})\s+(?:[\w-]+\s+)?(?:purposes?|uses?|research|evaluation)\s+only\b|\b(?:only|solely|exclusively)\s+(?:may\s+|can\s+)?(?:be\s+)?(?:used|use)\b[^.;]{0,60}\bnon-?commercially\b|\b(?:any\s+)?(?:${NC_WORD})\s+purposes?\s+(?:is|are)\s+(?:a\s+)?permitted\s+purposes?\b`)], unless: [r(String.raw`\bnot\s+only\b`), DEFINITION, BOTH_WAYS], summary: 'use is limited to non-commercial purposes' },
  { kind: 'non-commercial', name: 'research-only', match: [r(String.raw`\bonly\s+(?:use|access|exercise|deploy)\b[^.;]{0,160}\bfor\s+(?:\w+\s+){0,2}(?:research|non-?production|evaluation)\s+purposes?\b|\b(?:purposes?|uses?)\s+other\s+than\s+(?:for\s+)?commercial\b|\b(?:research|academic|evaluation)\b[^.;]{0,40}\bpurposes?\s+only\b|\b(?:only|solely|exclusively)\s+(?:be\s+used\s+)?for\s+(?:\w+\s+){0,3}(?:research|academic)\b(?!\s+and\s+development)`)], unless: [DEFINITION, r(String.raw`\bdesigned\b|\bnot\s+been\s+(?:reviewed|approved)\b`)], summary: 'use is limited to research purposes' },
  { kind: 'non-commercial', name: 'commercial-prohibited', lead: true, match: [r(String.raw`${NEG}[^.;]{0,200}(?:${COMMERCIAL}[^.;]{0,40}\b(?:purposes?|uses?|activit\w+|products?|services?|production)\b|\bfor\s+any\s+commercial\b)`)], unless: [DEFINITION, BOTH_WAYS, r(String.raw`\btrademarks?\b|\btrade\s+names?\b|\blikeness`), r(String.raw`\b(?:without|unless|except\s+with)\b[^.;]{0,80}\b(?:permission|consent|authori[sz]ation|licen[cs]e|agreement)\b`), r(String.raw`\bnot\s+primarily\s+intended\b`), /^\W*without\s+(?:this|that|such|it|doing\s+so)\b/i], summary: 'commercial use is prohibited' },
  { kind: 'commercial-use', name: 'commercial-grant', permits: true, match: [r(String.raw`${COMMERCIAL}\s+(?:use|uses|purposes?|activit\w+|terms|use\s+licen[cs]e)\b|\bincluding\s+(?:for\s+)?commercial\b|\bfor\s+any\s+purpose,?\s+(?:including\s+)?commercial\s+or\s+non-?commercial\b`)], unless: [r(NEG_STRICT), DEFINITION, POINTER, r(String.raw`\bnot\s+primarily\b|\bnot\s+an?\s+non-?commercial\b`)], summary: 'commercial use is permitted (possibly under conditions)' },
  { kind: 'commercial-use', name: 'commercial-by-authorization', match: [r(String.raw`${NEG}[^.;]{0,160}${COMMERCIAL}\s+(?:use|uses|purposes?|activit\w+|deployment)\b`), r(String.raw`\b(?:without|unless|except\s+with)\b[^.;]{0,80}\b(?:permission|consent|authori[sz]ation|licen[cs]e|agreement)\b`)], unless: [DEFINITION, r(String.raw`\btrademarks?\b|\btrade\s+names?\b|\bmarks?\b`)], summary: 'commercial use needs the licensor\'s authorization' },
  { kind: 'commercial-use', name: 'sale-allowed', permits: true, match: [r(String.raw`\b(?:and/or\s+sell|sell\s+copies|charge\s+(?:any\s+)?(?:a\s+)?(?:price|fee))\b`)], unless: [r(NEG)], summary: 'copies may be sold' },
  // "Models are commercially usable", "may be used commercially", "free to exploit it commercially".
  { kind: 'commercial-use', name: 'commercially-usable', permits: true, match: [r(String.raw`\bcommercially\s+(?:usable|exploitable|available\s+for\s+use)\b|\b(?:use[ds]?|using|exploit\w*|deploy\w*|distribut\w*)\s+(?:\w+\s+){0,3}?commercially\b(?!\s+(?:reasonabl\w*|available|viable|sensitive|relevant|significant|\w+(?:ed|able|ible)\b))`)], unless: [r(NEG), r(String.raw`\bnot\s+(?:be\s+)?commercially\b|\bnon-?commercially\b`), DEFINITION], summary: 'commercial use is permitted (possibly under conditions)' },
  // A grant that lists selling among the licensed acts ("… make, have made, sell, offer for sale, distribute …").
  { kind: 'commercial-use', name: 'grant-to-sell', permits: true, match: [r(String.raw`\b(?:grants?|granted|hereby\s+licen[cs]es)\b[^.;]{0,300}\b(?:sell|offer\s+(?:to\s+sell|for\s+sale))\b`)], unless: [r(NEG), DEFINITION], summary: 'the license grant includes selling' },

  // ---- distribution and credit ----
  { kind: 'redistribution', name: 'redistribution-terms', match: [r(String.raw`\b(?:re)?distribut(?:e|es|ed|ing|ion)\b|\bconvey(?:s|ing)?\b|\bshare\b[^.;]{0,40}\bcop(?:y|ies)|\bshare\s+(?:the\s+|any\s+|such\s+)?(?:licensed\s+material|adapted\s+material|materials?|models?|works?|software|weights|derivatives?)\b`), r(String.raw`\b(?:you|licensee|recipient|persons?)s?\b`), r(String.raw`\b(?:may|must|shall|if|not|only|provided|condition|copy of this|subject to)\b`)], unless: [DEFINITION], summary: 'redistribution is allowed under stated conditions' },
  { kind: 'attribution', name: 'attribution-notice', match: [r(String.raw`\battribution\s+notices?\b|\b(?:copyright|permission|license)\s+notices?\b[^.;]{0,120}\b(?:included?|retain\w*|reproduc\w*|keep)\b|\b(?:retain|include|reproduce|keep)\b[^.;]{0,120}\b(?:copyright|attribution)\s+notices?\b|\bcopyright\s+statement\b[^.;]{0,120}\binclud\w*|["“]notice["”]\s+text\s+file|\bcarry\s+prominent\s+notices\b|\bkeep\s+intact\b[^.;]{0,80}\bnotices?\b|\bgive\s+appropriate\s+credit\b|\bmust\s+(?:provide|give)\s+attribution\b|\bidentification\s+of\s+the\s+creator`)], summary: 'copyright or attribution notices must be kept' },
  // "you must acknowledge the use of the Materials in your publication", "shall provide appropriate attribution to the Licensor".
  { kind: 'attribution', name: 'attribution-acknowledge', match: [r(String.raw`\b(?:must|shall|will|agree\s+to)\s+(?:also\s+)?acknowledge\s+(?:the\s+)?(?:use|source|origin)\s+of\b|\b(?:must|shall|will|agree\s+to)\s+(?:also\s+)?(?:provide|give|include)\s+(?:appropriate|proper|due|clear|prominent)\s+(?:attribution|credit)\b`)], unless: [r(NEG)], summary: 'use must be acknowledged (attribution)' },
  { kind: 'attribution', name: 'attribution-display', match: [r(String.raw`\bdisplay\b[^.;]{0,60}["“](?<text>(?:built\s+with|powered\s+by|made\s+with)[^"”]{1,40})["”]`)], summary: (m) => `display "${m.groups?.text ?? ''}"`, params: (_s, m) => ({ display: m.groups?.text ?? '' }) },
  // "include "Acme" at the beginning of any such model name", "add "Acme" to the beginning of the model name", "names must
  // begin with "Acme"", "the model must include "Acme" in its name": the name a derivative has to carry.
  { kind: 'naming', name: 'name-prefix', match: [r(String.raw`["“](?<prefix>[^"”]{2,40})["”]\s+(?:at|to)\s+the\s+(?:beginning|start)\s+of\s+(?:any\s+)?(?:such\s+)?[^.;]{0,60}\bnames?\b|\bnames?\b[^.;]{0,80}\b(?:must|shall|should)\s+(?:begin|start)\s+with\s+["“](?<prefix2>[^"”]{2,40})["”]|\b(?:must|shall|should)\s+(?:also\s+)?(?:include|contain|incorporate|carry)\s+["“](?<prefix3>[^"”]{2,40})["”]\s+in\s+(?:its|their|the|any\s+such)\s+(?:\w+\s+){0,2}names?\b`)], summary: (m) => `derivative model names must ${m.groups?.prefix3 ? 'include' : 'begin with'} "${m.groups?.prefix ?? m.groups?.prefix2 ?? m.groups?.prefix3 ?? ''}"`, params: (_s, m) => ({ prefix: m.groups?.prefix ?? m.groups?.prefix2 ?? m.groups?.prefix3 ?? '' }) },
  { kind: 'trademark', name: 'trademark-terms', match: [r(String.raw`\btrademarks?\b|\btrade\s+names?\b|\bservice\s+marks?\b|\bname\s+or\s+mark\b|\bbrand\s+guidelines\b|\buse\s+of\s+the\s+mark\b`)], summary: 'use of the licensor\'s names and marks is limited' },

  // ---- use restrictions ----
  { kind: 'output-use', name: 'outputs-not-for-training', lead: true, match: [r(NEG), r(String.raw`\b(?:outputs?|results|generated\s+content|synthetic\s+data|data\s+produced)\b[^.;]{0,250}\b(?:train\w*|improv\w*|fine-?tun\w*|distill\w*|develop\w*|creat\w*)\b[^.;]{0,160}\b(?:models?|llms?|ai)\b`)], summary: 'outputs may not be used to train or improve other models' },
  // "You will not: use the Materials or any outputs or results of the Materials in connection with any commercial uses".
  { kind: 'output-use', name: 'outputs-not-commercial', lead: true, match: [r(NEG), r(String.raw`\b(?:outputs?|results)\s+(?:or\s+results\s+)?(?:of|from|generated\s+by|produced\s+by)\b[^.;]{0,120}\b(?:commercial\s+(?:uses?|purposes?)|other\s+than\s+(?:non-?commercial|research))`)], unless: [BOTH_WAYS], summary: 'outputs may not be used commercially' },
  { kind: 'output-use', name: 'outputs-reach-through', match: [r(String.raw`\b(?:means|includes?)\b[^;]{0,400}\b(?:distillation|synthetic\s+data)\b[^;]{0,200}\boutputs?\b`)], summary: 'models trained on outputs are covered by these terms' },
  { kind: 'competition', name: 'no-competing-model', lead: true, match: [r(String.raw`\bcompet(?:e|es|ing|itive|itor|itors)\b`), r(String.raw`\b(?:models?|products?|services?|offerings?)\b`)], unless: [r(String.raw`\bunfair\s+competition\b`)], summary: 'may not be used to build competing models or products' },
  { kind: 'field-of-use', name: 'use-policy', match: [r(String.raw`\b(?:acceptable|prohibited)\s+use\s+polic(?:y|ies)\b|\buse\s+polic(?:y|ies)\b|\bAUP\b|\buse[-\s]based\s+restrictions\b|\bprohibited\s+uses?\b|\buse\s+restrictions\b|\battachment\s+a\b`, 'i')], summary: 'use must follow a use policy or use-based restrictions', params: (s) => ({ uses: usesOf(s) }) },
  { kind: 'field-of-use', name: 'prohibited-purposes', lead: true, match: [r(NEG), PROHIBITED_USE], unless: [r(String.raw`\bpatent\s+licen[cs]e\b`)], summary: 'certain uses are prohibited', params: (s) => ({ uses: usesOf(s) }) },
  { kind: 'field-of-use', name: 'no-filter-circumvention', match: [r(String.raw`\b(?:circumvent|disable|remove|bypass|delete)\b[^.;]{0,120}\b(?:filters?|safety|guardrails?)\b`)], summary: 'safety filters may not be removed or circumvented', params: (s) => ({ uses: usesOf(s) }) },
  // "If you distribute … the Materials, or any derivative works thereof, you may only do so under the terms of this Agreement".
  { kind: 'share-alike', name: 'only-under-this-license', match: [r(String.raw`\b(?:distribut\w*|redistribut\w*|make\b[^.;]{0,80}\bavailable)\b[^.;]{0,160}\bderivative\s+works?\b[^.;]{0,160}\b(?:may|can)\s+only\s+do\s+so\s+under\s+(?:the\s+terms\s+of\s+)?this\s+(?:agreement|licen[cs]e)\b`)], summary: 'derivatives may be distributed only under this license' },
  { kind: 'share-alike', name: 'same-license', match: [r(String.raw`\bShareAlike\b|\bunder\s+the\s+same\s+licen[cs]e\b|\blicen[cs]e\s+the\s+entire\s+work\b[^.;]{0,60}\bunder\s+this\s+licen[cs]e|\bmust\s+(?:be\s+)?(?:released|licen[cs]ed|published|made\s+available)\b[^.;]{0,80}\bunder\s+(?:this\s+licen[cs]e|the\s+same|open\s+licensing\s+terms|an?\s+open)|\b(?:publish|make|release)\b[^.;]{0,120}\b(?:available\s+)?under\s+(?:open\s+licensing\s+terms|an?\s+open[-\s]source\s+licen[cs]e)\b`)], summary: 'derivatives must be shared under the same or open terms' },
  { kind: 'hosted-service', name: 'hosted-service-terms', match: [r(String.raw`\bhosted\s+services?\b|\bhosting\s+use\b|\bhost(?:ing)?\b[^.;]{0,60}\bthird[-\s]part(?:y|ies)\b|\bas\s+a\s+service\b|\bSaaS\b|\bvia\s+(?:your\s+|an?\s+)?APIs?\b|\binteract\w*\s+with\s+it\s+remotely\b|\bremote(?:ly)?\s+(?:access|means)\b|\bprovid\w*\s+(?:\w+\s+){0,2}services?\s+to\s+(?:the\s+)?(?:general\s+)?public\b`), r(String.raw`${NEG}|\bmust\b|\bshall\b|["“]Hosted Service["”]`)], unless: [r(String.raw`\bmeans\s+any\s+purpose\s+other\s+than\b|\byou\s+may\s+(?:host|offer|provide)\b`)], summary: 'offering the model as a service is limited or regulated' },
  // "use or download the Materials if you are located in a comprehensively sanctioned jurisdiction": excluded regions by class.
  { kind: 'territory', name: 'sanctioned-jurisdictions', lead: true, match: [r(NEG), r(String.raw`\b(?:comprehensively\s+|embargoed\s+or\s+)?(?:sanctioned|embargoed)\s+(?:jurisdictions?|countr(?:y|ies)|territor(?:y|ies)|regions?)\b`)], summary: 'not licensed in sanctioned or embargoed jurisdictions' },
  { kind: 'territory', name: 'excluded-territory', match: [r(String.raw`${NEG}|\bnot\s+(?:being\s+)?granted\b|\bexclud\w+|\bdoes\s+not\s+apply\b|\boutside\s+of\s+the\s+territory\b`), r(String.raw`\b(?:domiciled|located|resident|residing|principal\s+place\s+of\s+business|territor(?:y|ies)|countr(?:y|ies)|region)\b|\b(?:apply|valid|available|effective|granted|licensed|used|offered)\s+(?:in|within)\b|\bworldwide\s*[(,]?\s*(?:but\s+)?(?:excluding|except(?:\s+in|\s+for)?|other\s+than)\b`), REGION_RE], unless: [r(String.raw`\bgoverned\s+by\b|\bif\s+you\s+are\s+located\s+(?:in|outside)`)], summary: (_m, s) => `not licensed in: ${regionsOf(s).join(', ')}`, params: (s) => ({ territories: regionsOf(s) }) },

  // ---- termination and law ----
  { kind: 'patent-termination', name: 'litigation-terminates', match: [r(String.raw`\b(?:institute|initiate|commence|file|bring|assert)s?\b[^.;]{0,300}\b(?:litigation|lawsuit|proceedings?|claims?|actions?)\b[^.;]{0,500}\b(?:terminat\w*|end\s+automatically)|\bpatent\b[^.;]{0,200}\b(?:terminat\w*|end\s+automatically)`)], summary: 'rights end if you sue the licensor over IP' },
  { kind: 'license-termination', name: 'breach-terminates', match: [r(String.raw`\bterminat\w*`), r(String.raw`\bbreach\w*|\bviolat\w*|\bfail\w*\s+to\s+comply|\bnon-?compliance|\bautomatically\b|\bupon\s+termination\b|\bmay\s+terminate\b|\bterm\s+and\s+termination\b`)], unless: [r(String.raw`\b(?:institute|initiate)s?\b[^.;]{0,300}\blitigation\b`)], summary: 'the license ends on breach' },
  { kind: 'governing-law', name: 'governing-law', match: [r(String.raw`\bgoverned\s+(?:by|and\s+construed)\b[^.;]{0,160}\blaws?\b|\bgoverning\s+law\b|\bconstrued\s+in\s+accordance\s+with\s+the\s+laws?\b|\bexclusive\s+jurisdiction\b`)], summary: (_m, s) => { const l = lawOf(s); return l ? `governed by the laws of ${l}` : 'a governing law is chosen'; }, params: (s) => { const l = lawOf(s); return l ? { law: l } : undefined; } },
];

const REGION_ALL = new RegExp(REGION_RE.source, 'gi');

export function regionsOf(s: string): string[] {
  return [...new Set([...s.matchAll(REGION_ALL)].map((m) => REGION_NAME.get(m[0].toLowerCase().replace(/’/g, "'")) ?? m[0]))].sort();
}

export function lawOf(s: string): string | null {
  const m = /\blaws?\s+of\s+(?:the\s+)?((?:State\s+of\s+)?[A-Z][\w’']*(?:\s+(?:of\s+)?[A-Z][\w’']*){0,4})/.exec(s);
  return m ? clean(m[1]!) : null;
}

/** A lead-in that runs into its list items without a colon ("… will not permit any third party to"). */
export const OPEN_LEAD = /\b(?:to|that|for|which|whereby)\s*$/i;

export const LIST_ITEM = /^\s*(?:[-*•]|\(?[0-9]{1,2}[.)]|\(?[ivx]{1,4}[.)]|\(?[a-z][.)])\s/i;

/** The kind of marker a list item opens with ("3." numbers, "b)" letters, "iv." numerals, "-" bullets), or null. */
function markerStyle(text: string): string | null {
  const m = /^\s*(?:([-*•])|\(?(\d{1,2})[.)]|\(?([ivx]{1,4})[.)]|\(?([a-z])[.)])\s/i.exec(text);
  if (!m) return null;
  return m[1] ? 'bullet' : m[2] ? 'number' : m[3] ? 'roman' : 'letter';
}

export function findClauses(sents: Sentence[]): Clause[] {
  const out: Clause[] = [];
  let lead = '';
  // The marker of the sentence that is the lead-in ("2. You will not …:"): an item marked the same way is the
  // lead-in's sibling ("3. You may use the Model …"), the next section, not one of its items.
  let leadStyle: string | null = null;
  let continued = false;
  for (const s of sents) {
    const seen = new Set<ClauseKind>();
    const style = markerStyle(s.text);
    if (lead && style && style === leadStyle && !continued) lead = '';
    // A list item (or a ';'-separated item of a run-in list) is read with its lead-in ("You agree not to use
    // the Model: ... b. to train..."), so the prohibition reaches every item; the evidence stays the item.
    const item = LIST_ITEM.test(s.text) || continued;
    const ctx = item && lead ? `${lead} ${s.text}` : s.text;
    // A lead-in ends with a colon, or runs into its items without one ("… cause any third party to").
    const colon = OPEN_LEAD.test(s.text) ? s.text.length - 1 : s.text.lastIndexOf(':');
    if (colon >= 0 && (colon > s.text.length - 3 || r(NEG).test(s.text.slice(0, colon)))) {
      lead = s.text.slice(Math.max(0, colon - 300), colon + 1);
      leadStyle = style;
    } else if (!item) lead = '';
    continued = /;\s*(?:and|or)?\s*$/i.test(s.text);
    const prohibitedList = item && lead !== '' && r(NEG).test(lead);
    for (const rule of RULES) {
      if (seen.has(rule.kind) || (rule.permits && prohibitedList)) continue;
      let first: RegExpExecArray | null = null;
      let ok = true;
      for (const re of rule.match) {
        re.lastIndex = 0;
        const m = re.exec(rule.lead ? ctx : s.text);
        if (!m) { ok = false; break; }
        first ??= m;
      }
      if (!ok || !first) continue;
      if (rule.unless?.some((re) => { re.lastIndex = 0; return re.test(rule.lead ? ctx : s.text); })) continue;
      seen.add(rule.kind);
      // Parameters come from the item itself: the lead-in would otherwise repeat into every item.
      const summary = typeof rule.summary === 'string' ? rule.summary : rule.summary(first, s.text);
      const params = rule.params?.(s.text, first);
      out.push({ kind: rule.kind, summary, evidence: s.text, start: s.start, end: s.end, rule: rule.name, ...(params ? { params } : {}) });
    }
  }
  return out;
}

/** Key parameters of all clauses of one kind, merged: what `compare` checks for a material change. */
export function clauseParams(clauses: Clause[], kind: ClauseKind): Record<string, string[]> {
  const merged: Record<string, Set<string>> = {};
  for (const c of clauses) {
    if (c.kind !== kind || !c.params) continue;
    for (const [k, v] of Object.entries(c.params)) {
      const set = (merged[k] ??= new Set());
      for (const x of Array.isArray(v) ? v : [v]) if (x) set.add(x);
    }
  }
  return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, [...v].sort()]));
}
