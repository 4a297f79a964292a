/**
 * Soft duties: "make reasonable efforts to keep the Model up to date", "use best endeavours to inform users",
 * "you are encouraged to cite the paper". They ask for an effort or give advice; they neither permit nor
 * forbid anything, and breaking one does not end a licensee's rights. A reviewer who labels a change
 * `material` only when what may or may not be done moves reads adding or dropping one as a change of
 * wording, so their words are left out of what the severity rule compares. Parameters of the same sentence
 * (a URL, an amount, a territory) are read from the whole sentence and still count.
 */

// "…, and you must make reasonable efforts to use the latest version", "Licensee shall use commercially
// reasonable efforts to …", "will undertake best efforts to …", "use all reasonable endeavours to …".
const EFFORTS = String.raw`(?:\b(?:make|use|undertake|exercise|employ)\s+)?(?:all\s+)?(?:commercially\s+)?(?:reasonable|best|good[-\s]faith)\s+(?:efforts?|endeavou?rs?)\s+to\b|\bendeavou?r\s+to\b`;
const ADVICE = String.raw`\b(?:(?:is|are)\s+(?:strongly\s+|kindly\s+)?(?:encouraged|invited|recommended|requested)\s+to|we\s+(?:strongly\s+|kindly\s+)?(?:encourage|recommend|request|ask|invite)\s+(?:that\s+)?(?:you|users?|licensees?|recipients?)\b)`;
// Who owes it and how ("and you must", "Licensee shall"), so that only the rest of the sentence is compared.
const OWER = String.raw`(?:[,;]\s*)?(?:\b(?:and|but)\s+)?(?:\b(?:you|licensee|licensor|we|recipients?|users?|the\s+licensee|the\s+licensor)\s+)?(?:\b(?:must|shall|will|should|agrees?\s+to|undertakes?\s+to|(?:is|are)\s+(?:required|expected)\s+to)\s+)?`;
// The soft duty runs to the end of its clause, or to the next duty or permission joined to it ("… reasonable efforts
// to keep it current and you must delete it on request"): that one binds, and is compared.
const NEXT_DUTY = String.raw`\b(?:(?:you|licensee|licensor|we|recipients?|users?)\s+)?(?:must|shall|will|may|cannot|agrees?\s+to|undertakes?\s+to|(?:is|are)\s+(?:not\s+)?(?:required|permitted|allowed|prohibited)\s+to)\b`;
const SOFT = new RegExp(`${OWER}(?:${EFFORTS}|${ADVICE})(?:(?!${NEXT_DUTY})[^.;]){0,400}`, 'gi');
const CUE = /effort|endeavo|encourag|invited|recommend|request|\bask\b/i;

/** The provision's text without its soft duties (the clause from who owes it to the end of the clause). */
export function withoutSoftDuties(text: string): string {
  if (!CUE.test(text)) return text;
  return text.replace(SOFT, ' ');
}
