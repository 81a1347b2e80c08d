/**
 * Which IP addresses a server-side fetch may connect to. Fetching a user-supplied URL from inside
 * our network is the classic SSRF hole (cloud metadata at 169.254.169.254, admin ports on
 * localhost, the private LAN), so every address a URL resolves to is checked here first.
 */
import { BlockList, isIP } from 'node:net';

interface Range {
  net: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
  kind: string;
}

const RANGES: readonly Range[] = [
  { net: '0.0.0.0', prefix: 8, family: 'ipv4', kind: 'unspecified' },
  { net: '10.0.0.0', prefix: 8, family: 'ipv4', kind: 'private' },
  { net: '100.64.0.0', prefix: 10, family: 'ipv4', kind: 'private (carrier-grade NAT)' },
  { net: '127.0.0.0', prefix: 8, family: 'ipv4', kind: 'loopback' },
  { net: '169.254.0.0', prefix: 16, family: 'ipv4', kind: 'link-local' },
  { net: '172.16.0.0', prefix: 12, family: 'ipv4', kind: 'private' },
  { net: '192.0.0.0', prefix: 24, family: 'ipv4', kind: 'reserved' },
  { net: '192.168.0.0', prefix: 16, family: 'ipv4', kind: 'private' },
  { net: '198.18.0.0', prefix: 15, family: 'ipv4', kind: 'reserved (benchmarking)' },
  { net: '224.0.0.0', prefix: 4, family: 'ipv4', kind: 'multicast' },
  // 240/4 includes the broadcast address 255.255.255.255.
  { net: '240.0.0.0', prefix: 4, family: 'ipv4', kind: 'reserved' },
  { net: '::', prefix: 128, family: 'ipv6', kind: 'unspecified' },
  { net: '::1', prefix: 128, family: 'ipv6', kind: 'loopback' },
  { net: 'fc00::', prefix: 7, family: 'ipv6', kind: 'private (unique-local)' },
  { net: 'fe80::', prefix: 10, family: 'ipv6', kind: 'link-local' },
  { net: 'ff00::', prefix: 8, family: 'ipv6', kind: 'multicast' },
];

// One BlockList per kind so the refusal can say *why* an address is refused.
const LISTS: readonly { kind: string; list: BlockList }[] = (() => {
  const byKind = new Map<string, BlockList>();
  for (const r of RANGES) {
    let list = byKind.get(r.kind);
    if (!list) byKind.set(r.kind, (list = new BlockList()));
    list.addSubnet(r.net, r.prefix, r.family);
  }
  return [...byKind].map(([kind, list]) => ({ kind, list }));
})();

/**
 * Returns why `address` must not be fetched from (e.g. "loopback"), or null when it is a public
 * address. IPv4-mapped IPv6 (::ffff:10.0.0.1) and IPv4 embedded in NAT64 / 6to4 prefixes are
 * judged by the IPv4 address they carry, so they cannot be used to sneak past the list.
 */
export function refusedAddressKind(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  if (family === 6) {
    const embedded = embeddedIpv4(address);
    if (embedded) return refusedAddressKind(embedded);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { kind, list } of LISTS) if (list.check(address, type)) return kind;
  return null;
}

/** The IPv4 address inside 64:ff9b::/96 (NAT64) or 2002::/16 (6to4), if any. */
function embeddedIpv4(address: string): string | null {
  const words = expandIpv6(address);
  if (!words) return null;
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) {
    return wordsToIpv4(words[6]!, words[7]!);
  }
  if (words[0] === 0x2002) return wordsToIpv4(words[1]!, words[2]!);
  return null;
}

function wordsToIpv4(hi: number, lo: number): string {
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
}

/** Eight 16-bit words of an IPv6 address (handles `::` and a trailing dotted IPv4). */
function expandIpv6(address: string): number[] | null {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const o = dotted[1]!.split('.').map(Number);
    text = text.slice(0, dotted.index) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (s: string) => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const words = [...h, ...new Array<number>(Math.max(fill, 0)).fill(0), ...t];
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : null;
}
