/**
 * How a version's facts are kept in its row: the provisions (the largest part by far: each sentence of the text with
 * its reading) brotli-compressed in `versions.provisions`, the other facts as JSON in `facts_json`. Readers get the
 * facts back whole (full), or without the provisions (lean: what every check reads, a fraction of the size to read
 * and parse). Private to the store: everything outside it sees facts_json as the whole facts JSON.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

export interface FactsColumns {
  facts_json: string | null;
  provisions: Buffer | null;
}

const KEY = 'provisions';
/** Brotli quality 3: on provisions JSON half the time of 5 for ~7% more bytes (see `npm run bench`'s first check). */
const QUALITY = 3;

/** Split whole facts JSON into its columns. Facts without a provisions array are stored as they are. */
export function splitFacts(factsJson: string | null): FactsColumns {
  if (factsJson === null || !factsJson.includes(`"${KEY}":`)) return { facts_json: factsJson, provisions: null };
  const facts = JSON.parse(factsJson) as Record<string, unknown>;
  const provisions = facts[KEY];
  if (!Array.isArray(provisions)) return { facts_json: factsJson, provisions: null };
  delete facts[KEY];
  const data = Buffer.from(JSON.stringify(provisions));
  const compressed = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
  return { facts_json: JSON.stringify(facts), provisions: compressed };
}

/** The whole facts JSON of a row (the provisions come last). */
export function joinFacts(row: FactsColumns): string | null {
  if (row.facts_json === null || row.provisions === null) return row.facts_json;
  const provisions = brotliDecompressSync(row.provisions).toString('utf8');
  const rest = row.facts_json.slice(0, row.facts_json.lastIndexOf('}'));
  return `${rest}${rest.trim() === '{' ? '' : ','}"${KEY}":${provisions}}`;
}
