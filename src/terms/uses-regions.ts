/**
 * Declared regions (ISO-like codes and `EU`) against the territories a license excludes (names as the clause rules
 * read them). An exclusion of the EU or EEA reaches every member state; a country code reaches its own name.
 */

const EU_MEMBERS = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'];
const EEA_ONLY = ['IS', 'LI', 'NO'];

/** Territory names (lower case) as the clause rules report them → the codes they cover. */
const TERRITORY_CODES: Record<string, string[]> = {
  'european union': ['EU', ...EU_MEMBERS],
  eu: ['EU', ...EU_MEMBERS],
  eea: ['EEA', 'EU', ...EU_MEMBERS, ...EEA_ONLY],
  'united states': ['US', 'USA'],
  usa: ['US', 'USA'],
  china: ['CN', 'PRC'],
  "people's republic of china": ['CN', 'PRC'],
  prc: ['CN', 'PRC'],
  russia: ['RU'],
  iran: ['IR'],
  'north korea': ['KP'],
  cuba: ['CU'],
  syria: ['SY'],
  crimea: ['UA-43', 'CRIMEA'],
  'united kingdom': ['UK', 'GB'],
  uk: ['UK', 'GB'],
  india: ['IN'],
  japan: ['JP'],
  'south korea': ['KR'],
  belarus: ['BY'],
  venezuela: ['VE'],
  'hong kong': ['HK'],
  macau: ['MO'],
  taiwan: ['TW'],
};

/** The declared regions an excluded territory reaches, e.g. (["EU","US"], "European Union") → ["EU"]. */
export function regionsHit(declared: readonly string[], territory: string): string[] {
  const codes = TERRITORY_CODES[territory.toLowerCase().replace(/’/g, "'")] ?? [territory.toUpperCase()];
  return declared.filter((r) => {
    const code = r.toUpperCase();
    // "EU" declared: an exclusion of any member state is not an exclusion of the whole, but it touches it.
    if (code === 'EU' && codes.some((c) => EU_MEMBERS.includes(c))) return true;
    return codes.includes(code);
  });
}
