/**
 * The address policy for links found inside documents (untrusted): only global unicast addresses are
 * connected to. An allow list, not a block list: whatever ipaddr.js does not call `unicast` (private,
 * loopback, link-local, documentation, benchmarking, reserved, discard, site-local, NAT64 local-use, ...) is
 * refused, and an IPv6 address that carries an IPv4 one (mapped, compatible, NAT64, 6to4, Teredo) is judged
 * by the IPv4 address it carries. The machine's own interface addresses are refused even when public.
 */
import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');

function v4FromBits(hi: number, lo: number): IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

/** The IPv4 addresses an IPv6 address carries (empty when it carries none). */
function embeddedV4(a: IPv6): IPv4[] | undefined {
  const p = a.parts;
  if (a.isIPv4MappedAddress()) return [a.toIPv4Address()];
  // ::a.b.c.d (IPv4-compatible, deprecated; :: and ::1 land here too) and ::ffff:0:a.b.c.d (SIIT)
  const zero80 = p[0] === 0 && p[1] === 0 && p[2] === 0 && p[3] === 0;
  if (zero80 && ((p[4] === 0 && p[5] === 0) || (p[4] === 0xffff && p[5] === 0))) return [v4FromBits(p[6]!, p[7]!)];
  if (a.match(NAT64_WELL_KNOWN)) return [v4FromBits(p[6]!, p[7]!)];
  const range = a.range();
  if (range === '6to4') return [v4FromBits(p[1]!, p[2]!)];
  // Teredo: the server's address in clear, the client's inverted in the last 32 bits.
  if (range === 'teredo') return [v4FromBits(p[2]!, p[3]!), v4FromBits(p[6]! ^ 0xffff, p[7]! ^ 0xffff)];
  return undefined;
}

// Interfaces change rarely (DHCP, VPN up); re-read every few seconds rather than once per address checked.
let own: { at: number; set: Set<string> } | undefined;
function ownAddresses(): Set<string> {
  if (own && Date.now() - own.at < 5000) return own.set;
  const set = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) if (ipaddr.isValid(i.address.split('%')[0]!)) set.add(ipaddr.parse(i.address.split('%')[0]!).toNormalizedString());
  own = { at: Date.now(), set };
  return set;
}

function isGlobalV4(a: IPv4): boolean {
  return a.range() === 'unicast';
}

/** Why `address` may not be connected to, or undefined when it is a public (global unicast) address. */
export function addressProblem(address: string): string | undefined {
  const refused = `refused: ${address} is not a public address`;
  const bare = address.replace(/^\[|\]$/g, '').split('%')[0]!;
  if (!ipaddr.isValid(bare)) return refused;
  const a = ipaddr.parse(bare);
  const mine = () => (ownAddresses().has(a.toNormalizedString()) ? `${refused} (it is this machine's)` : undefined);
  if (a.kind() === 'ipv4') return isGlobalV4(a as IPv4) ? mine() : refused;
  const v6 = a as IPv6;
  const inner = embeddedV4(v6);
  if (inner) {
    const bad = inner.find((x) => !isGlobalV4(x) || ownAddresses().has(x.toNormalizedString()));
    return bad ? `${refused} (it carries ${bad.toString()})` : mine();
  }
  return v6.match(GLOBAL_UNICAST_V6) && v6.range() === 'unicast' ? mine() : refused;
}
