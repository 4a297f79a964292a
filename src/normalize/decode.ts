/**
 * Bytes → characters, the way a browser reads a page (WHATWG encoding sniffing): a byte order mark, else the
 * charset the server declared (Content-Type), else for HTML a `<meta charset>` in the first 1024 bytes, else UTF-8.
 * And the refusal of what is no text at all (an image, a PDF, an archive), by declared type and by its bytes.
 * Light on purpose (no parser): the HTTP client imports it to decide which media type to store.
 */

export interface Decoded {
  text: string;
  /** The WHATWG name of the encoding used (e.g. "windows-1252", "utf-16le"). */
  encoding: string;
  /** Why the text was read another way than declared (an unknown charset label). */
  notes: string[];
}

/** The `charset` parameter of a Content-Type, unquoted, or undefined. */
export function charsetParam(contentType: string): string | undefined {
  const m = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType);
  return m ? m[2] : undefined;
}

/** The WHATWG encoding a label names, or undefined for a label TextDecoder does not know. */
function encodingOf(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

function bomEncoding(body: Uint8Array): { encoding: string; length: number } | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (body[0] === 0xfe && body[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (body[0] === 0xff && body[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  return undefined;
}

/** Whether the media type (or, without one that says, the start of the body) is HTML. */
export function isHtml(mediaType: string, body?: Uint8Array): boolean {
  if (/html|xhtml/i.test(mediaType)) return true;
  if (/^text\/(plain|markdown)/i.test(mediaType)) return false;
  if (!body) return false;
  const head = Buffer.from(body.subarray(0, 512)).toString('utf8').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

/**
 * The charset a `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">` in the first 1024
 * bytes names (read as ASCII, as the WHATWG prescan does). A page cannot declare itself UTF-16 this way: such a
 * declaration was written in an ASCII-compatible encoding, so it means UTF-8.
 */
function metaCharset(body: Uint8Array): string | undefined {
  const head = Buffer.from(body.subarray(0, 1024)).toString('latin1').replace(/<!--[\s\S]*?-->/g, '');
  const tag = /<meta\b[^>]*?charset\s*=\s*["']?\s*([^\s"'>;/]+)/i.exec(head);
  if (!tag) return undefined;
  const enc = encodingOf(tag[1]!);
  if (!enc) return undefined;
  if (enc === 'utf-16le' || enc === 'utf-16be') return 'utf-8';
  return enc === 'x-user-defined' ? 'windows-1252' : enc;
}

/** Which encoding the body is read in, and a note when a declared label was not understood. */
export function sniffEncoding(body: Uint8Array, mediaType: string): { encoding: string; bomLength: number; notes: string[] } {
  const bom = bomEncoding(body);
  if (bom) return { encoding: bom.encoding, bomLength: bom.length, notes: [] };
  const label = charsetParam(mediaType);
  const enc = label ? encodingOf(label) : undefined;
  if (enc) return { encoding: enc, bomLength: 0, notes: [] };
  const encoding = (isHtml(mediaType, body) ? metaCharset(body) : undefined) ?? 'utf-8';
  return { encoding, bomLength: 0, notes: label ? [`unknown charset "${label}" declared; read as ${encoding}`] : [] };
}

// windows-1252's 0x80-0x9F (curly quotes, dashes, €). Node 20's TextDecoder reads them as ISO-8859-1 C1 controls,
// and windows-1252 is what every "iso-8859-1"/"latin1"/"us-ascii" label means (WHATWG), so it is decoded here.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!));
}

/** The body as text, in the encoding sniffEncoding picks; bytes invalid in it become U+FFFD, never an error. */
export function decodeBody(body: Uint8Array, mediaType: string): Decoded {
  const { encoding, bomLength, notes } = sniffEncoding(body, mediaType);
  // ignoreBOM: the BOM (if any) is cut here, so a BOM of another encoding than the one used is never kept as text.
  const bytes = body.subarray(bomLength);
  const text = encoding === 'windows-1252' ? decodeWindows1252(bytes) : new TextDecoder(encoding, { fatal: false, ignoreBOM: true }).decode(bytes);
  return { text: text.replace(/^\uFEFF/, ''), encoding, notes };
}

/**
 * The media type to store with a fetched body: the declared type without parameters, plus its charset only when
 * the charset decides how the bytes read (not UTF-8, or UTF-8 against a page's own <meta charset>). So UTF-8 pages
 * keep the plain type they always had, and a stored version can always be read again the same way.
 */
export function storedMediaType(contentType: string | null | undefined, body: Uint8Array): string {
  const base = (contentType ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase() || 'application/octet-stream';
  const label = contentType ? charsetParam(contentType) : undefined;
  if (!label) return base;
  const withCharset = `${base}; charset=${label.toLowerCase()}`;
  return sniffEncoding(body, withCharset).encoding === sniffEncoding(body, base).encoding ? base : withCharset;
}

// Declared types that are never a text to read (SVG and other +xml types are text).
const BINARY_TYPES = /^(?:image\/(?!svg\+xml)|audio\/|video\/|font\/|model\/|application\/(?:pdf|zip|gzip|x-gzip|x-tar|x-7z-compressed|x-rar-compressed|vnd\.rar|x-bzip2?|x-xz|zstd|wasm|java-archive|x-executable|x-msdownload|x-sharedlib|msword|vnd\.ms-|vnd\.openxmlformats|vnd\.oasis\.opendocument|epub\+zip|postscript|x-shockwave-flash|vnd\.apple|x-apple|x-iso9660|x-parquet|x-hdf5?|x-protobuf|protobuf|x-npy))/i;

// Signatures at the start of common binary formats: a text never begins this way.
const SIGNATURES: [string, number[] | string][] = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', 'GIF8'],
  ['a PDF document', '%PDF-'],
  ['a ZIP archive (or an office document)', [0x50, 0x4b, 0x03, 0x04]],
  ['a gzip archive', [0x1f, 0x8b]],
  ['a 7z archive', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['a RAR archive', 'Rar!\x1a\x07'],
  ['an xz archive', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['a zstd archive', [0x28, 0xb5, 0x2f, 0xfd]],
  ['an OLE document (.doc, .xls)', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]],
  ['an ELF executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['a WebAssembly module', [0x00, 0x61, 0x73, 0x6d]],
  ['an Ogg file', 'OggS'],
  ['a TIFF image', [0x49, 0x49, 0x2a, 0x00]],
  ['a TIFF image', [0x4d, 0x4d, 0x00, 0x2a]],
];

function startsWith(body: Uint8Array, sig: number[] | string): boolean {
  const bytes = typeof sig === 'string' ? [...sig].map((c) => c.charCodeAt(0)) : sig;
  return bytes.length <= body.length && bytes.every((b, i) => body[i] === b);
}

/**
 * Why the body is not a text document, or undefined when it is one: a binary declared type, a binary signature,
 * or (outside UTF-16) NUL or other control bytes in its first 8 KB, which no text in an ASCII-compatible encoding
 * has. Raw hosts serve text files as application/octet-stream: those are read by their bytes, not refused.
 */
export function notTextReason(body: Uint8Array, mediaType: string): string | undefined {
  const base = mediaType.split(';')[0]!.trim().toLowerCase();
  if (BINARY_TYPES.test(base)) return base;
  const bom = bomEncoding(body);
  for (const [what, sig] of SIGNATURES) if (!bom && startsWith(body, sig)) return `${base}; the bytes are ${what}`;
  // RIFF only with a known form type, so a text that happens to begin with the word is not taken for one.
  if (startsWith(body, 'RIFF') && /^(?:WEBP|WAVE|AVI |ACON|CDXA)$/.test(Buffer.from(body.subarray(8, 12)).toString('latin1'))) return `${base}; the bytes are a RIFF file (WebP, WAV, AVI)`;
  const { encoding } = sniffEncoding(body, mediaType);
  if (encoding.startsWith('utf-16')) return undefined;
  const head = body.subarray(0, 8192);
  let control = 0;
  for (const b of head) {
    if (b === 0) return `${base}; the bytes hold NUL characters`;
    // WHATWG's "binary data bytes": controls other than tab, newline, form feed, carriage return and escape.
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) control++;
  }
  if (control > head.length / 10) return `${base}; the bytes are mostly control characters`;
  return undefined;
}
