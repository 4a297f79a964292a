/** Links inside documents reach only public (global unicast) addresses, whatever form the address takes. */
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { addressProblem } from '../src/sources/address.js';
import { assertSafeUrl, httpGet } from '../src/sources/http.js';

// Every address the review found allowed, and the classic ones.
const REFUSED = [
  '192.0.2.1', '198.51.100.7', '203.0.113.9', '192.0.0.1', '192.0.0.170',
  '::7f00:1', '64:ff9b:1::a9fe:a9fe', 'fec0::1', '::ffff:0:7f00:1', '2001::1', '100::1',
  '127.0.0.1', '127.255.255.254', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
  '0.0.0.0', '0.1.2.3', '255.255.255.255', '224.0.0.1', '239.1.1.1', '240.0.0.1', '198.18.0.1', '192.88.99.1',
  '::', '::1', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '2001:db8::1', '2001:2::1', '2001:10::1', '2001:20::1', '3fff::1', '5f00::1', '4000::1',
  '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::127.0.0.1', '::a9fe:a9fe',
  '64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::808:808',
  '2002:7f00:1::', '2002:a9fe:a9fe::1', '2002:c0a8:101::1',
  // Teredo with a public server (65.54.227.120) and a private client (10.0.0.1 inverted: f5ff:fffe)
  '2001:0:4136:e378:8000:63bf:f5ff:fffe',
  '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo: client 192.0.2.45 (documentation)
];
const ALLOWED = ['8.8.8.8', '1.1.1.1', '151.101.1.69', '2606:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];

describe('address policy', () => {
  it('refuses every non-public address the review found, in every spelling, with the same sentence', () => {
    for (const a of REFUSED) expect(addressProblem(a), a).toMatch(new RegExp(`^refused: ${a.replace(/[.]/g, '\\.')} is not a public address`));
    for (const a of ALLOWED) expect(addressProblem(a), a).toBeUndefined();
  });

  it('sweeps the IPv4 space: only global unicast passes, and IPv6 forms carrying it agree', () => {
    const isPrivate = (a: number, b: number, c: number) =>
      a === 0 || a === 10 || a === 127 || a >= 224 || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && b === 168) || (a === 192 && b === 0 && (c === 0 || c === 2)) || (a === 198 && (b === 18 || b === 19)) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113);
    for (let a = 0; a < 256; a++)
      for (const [b, c] of [[0, 0], [0, 2], [16, 5], [18, 1], [51, 100], [64, 1], [168, 3], [254, 254], [88, 99], [0, 113]] as const) {
        const v4 = `${a}.${b}.${c}.1`;
        const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
        const mapped = `::ffff:${v4}`;
        const nat64 = `64:ff9b::${hex(a, b)}:${hex(c, 1)}`;
        const sixToFour = `2002:${hex(a, b)}:${hex(c, 1)}::1`;
        const special = (a === 192 && b === 88 && c === 99) || (a === 192 && b === 0 && c === 0);
        if (special) continue; // 6to4 relay anycast and IETF protocol assignments: refused, checked above
        const expectPublic = !isPrivate(a, b, c);
        for (const form of [v4, mapped, nat64, sixToFour]) expect(addressProblem(form) === undefined, form).toBe(expectPublic);
      }
  });

  it("refuses the machine's own interface addresses", () => {
    const own = Object.values(networkInterfaces()).flatMap((l) => l ?? []).map((i) => i.address);
    expect(own.length).toBeGreaterThan(0);
    for (const a of own) expect(addressProblem(a), a).toMatch(/^refused: .* is not a public address/);
  });

  it('refuses before connecting, for a literal address and for a name that resolves to one', async () => {
    for (const a of ['[::7f00:1]', '[64:ff9b:1::a9fe:a9fe]', '192.0.2.1', '[::ffff:0:7f00:1]', 'localhost']) {
      await expect(assertSafeUrl(`http://${a}/policy`, false), a).rejects.toThrow(/^refused: .* is not a public address/);
      const r = await httpGet(`http://${a}:9/policy`, { untrusted: true, timeoutMs: 2000 });
      expect(r.kind === 'failed' && r.reason, a).toMatch(/^refused: .* is not a public address/);
    }
  });
});
