import { zipSync, type Zippable } from 'fflate';
import type { Bundle } from './export.js';

/**
 * The bundle as one zip, byte for byte the same on every run and every machine: the files in the bundle's order
 * (manifest.json last), deflate at a fixed level, and one fixed timestamp per bundle. The zip format stores local
 * wall-clock fields and fflate fills them with the local-time getters, so the Date is built from local components
 * equal to the bundle's UTC day at 12:00 (never in a daylight-saving gap): the same fields under any TZ.
 */
export function bundleZip(bundle: Bundle): Buffer {
  const moment = bundle.manifest.selection.asOf ?? bundle.manifest.selection.dataUntil ?? '1980-01-01T00:00:00.000Z';
  const day = new Date(moment);
  const mtime = new Date(Math.max(1980, Math.min(2099, day.getUTCFullYear())), day.getUTCMonth(), day.getUTCDate(), 12, 0, 0);
  const files: Zippable = {};
  for (const f of bundle.files) files[f.path] = [new Uint8Array(f.bytes.buffer, f.bytes.byteOffset, f.bytes.length), { level: 6, mtime }];
  return Buffer.from(zipSync(files, { level: 6, mtime }));
}
