/**
 * Which network addresses Go!Chat may fetch from on a workspace admin's say-so (the widget's JWKS URL):
 * public unicast only. Every special-purpose range is refused (private, loopback, link-local, unique-local,
 * CGNAT, multicast, unspecified, documentation, benchmarking, reserved, and IPv6 forms that carry an IPv4
 * address inside: mapped, compatible, NAT64, 6to4, Teredo), whatever the spelling: IPv4 in the inet_aton
 * forms (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) and IPv6 in every compression.
 *
 * The check runs twice: on the URL when an admin saves it, and on each address that DNS gives when the
 * fetch connects (functions/auth/jwks-fetch.ts), so a name that later resolves inside (DNS rebinding) is
 * refused too.
 */

/** IPv4 special-purpose ranges (IANA registry), as [first octets, prefix length]. */
const V4_REFUSED: Array<[number, number]> = [
  [0x00000000, 8], // "this network", 0.0.0.0
  [0x0a000000, 8], // private
  [0x64400000, 10], // CGNAT (shared address space)
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local (cloud metadata lives here)
  [0xac100000, 12], // private
  [0xc0000000, 24], // IETF protocol assignments
  [0xc0000200, 24], // documentation
  [0xc0586300, 24], // 6to4 relay anycast
  [0xc0a80000, 16], // private
  [0xc6120000, 15], // benchmarking
  [0xc6336400, 24], // documentation
  [0xcb007100, 24], // documentation
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved, and broadcast
];

const inV4 = (n: number, [base, bits]: [number, number]) =>
  bits === 0 ? true : n >>> (32 - bits) === base >>> (32 - bits);

/**
 * An IPv4 address in any inet_aton spelling (1 to 4 parts, each decimal, `0x` hex or `0` octal, the last
 * part filling the remaining bytes), as a 32-bit number; null when `text` is not one.
 */
export function parseIPv4(text: string): number | null {
  const parts = text.endsWith('.') ? text.slice(0, -1).split('.') : text.split('.');
  if (parts.length < 1 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length === 2 ? 0 : Number.parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) n = Number.parseInt(p.slice(1), 8);
    else if (/^(0|[1-9][0-9]*)$/.test(p)) n = Number(p);
    else return null;
    if (!Number.isFinite(n)) return null;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 2 ** (8 * (4 - nums.length))) return null;
  let value = last;
  nums.forEach((n, i) => {
    value += n * 2 ** (8 * (3 - i));
  });
  return value >>> 0;
}

/** An IPv6 address (optionally in brackets, with an IPv4 tail) as 8 16-bit groups; null when it is not one. */
export function parseIPv6(text: string): number[] | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (s.includes('%')) return null; // a zone id names an interface: never a public address
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.slice(lastColon + 1).includes('.')) {
    const v4 = s.slice(lastColon + 1);
    if (!/^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(v4)) return null;
    const n = parseIPv4(v4);
    if (n === null) return null;
    tail.push(n >>> 16, n & 0xffff);
    const prefix = s.slice(0, lastColon + 1);
    s = prefix.endsWith('::') ? prefix : prefix.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const all = [...head, ...rest];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  const known = all.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const zeros = halves.length === 2 ? 8 - known : 0;
  return [
    ...head.map((g) => Number.parseInt(g, 16)),
    ...Array<number>(zeros).fill(0),
    ...rest.map((g) => Number.parseInt(g, 16)),
    ...tail,
  ];
}

/** Whether a 32-bit IPv4 address is public unicast. */
export function isPublicIPv4(n: number): boolean {
  return !V4_REFUSED.some((r) => inV4(n, r));
}

/**
 * Whether 8 IPv6 groups are public unicast: inside 2000::/3 (global unicast), and not one of its special
 * blocks (IETF assignments with Teredo, documentation, 6to4). Everything outside 2000::/3 is refused:
 * loopback, unspecified, mapped and compatible IPv4, NAT64, unique-local, link-local, site-local, multicast.
 */
export function isPublicIPv6(g: number[]): boolean {
  const [a, b] = g as [number, number];
  if (a >>> 13 !== 0b001) return false;
  if (a === 0x2001 && b < 0x0200) return false; // 2001::/23: Teredo, benchmarking, ORCHID, AMT, …
  if (a === 0x2001 && b === 0x0db8) return false; // documentation
  if (a === 0x2002) return false; // 6to4: an IPv4 address inside
  if (a === 0x3fff && b < 0x1000) return false; // documentation (3fff::/20)
  return true;
}

/** Whether an address is loopback (127/8 or ::1, or ::ffff:127.x): what the local stack alone may use. */
export function isLoopback(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4 !== null) return v4 >>> 24 === 127;
  const v6 = parseIPv6(address);
  if (!v6) return false;
  if (v6.slice(0, 7).every((x) => x === 0) && v6[7] === 1) return true;
  return v6.slice(0, 5).every((x) => x === 0) && v6[5] === 0xffff && v6[6]! >>> 8 === 127;
}

/** Whether `address` (an IP literal in any spelling) is public unicast; false for anything else. */
export function isPublicAddress(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4 !== null) return isPublicIPv4(v4);
  const v6 = parseIPv6(address);
  return v6 !== null && isPublicIPv6(v6);
}

/** Names that only mean something inside a network, never on the internet. */
const INTERNAL_NAME =
  /(^|\.)(localhost|local|localdomain|internal|intranet|lan|home|corp|home\.arpa|in-addr\.arpa|ip6\.arpa)\.?$/i;

export type UrlRefusal = 'not a URL' | 'not https' | 'credentials' | 'internal name' | 'special-purpose address';

/**
 * Why a fetch URL that an admin gives is refused, or null when it may be fetched: https only (plain http
 * only for a loopback host, and only when `allowLoopbackHttp`: the local stack), no user:password, a public
 * IP literal or a dotted public name. The URL is read by the WHATWG parser, which turns every IPv4 spelling
 * into the dotted one; the raw host is checked as well, so a parser difference cannot slip one through.
 */
export function refuseFetchUrl(raw: string, opts: { allowLoopbackHttp?: boolean } = {}): UrlRefusal | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  const host = url.hostname;
  const loopbackAllowed = opts.allowLoopbackHttp === true && (isLoopback(host) || /^localhost\.?$/i.test(host));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackAllowed)) return 'not https';
  if (url.username || url.password) return 'credentials';
  if (loopbackAllowed) return null;
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  if (parseIPv4(bare) !== null || parseIPv6(bare) !== null)
    return isPublicAddress(bare) ? null : 'special-purpose address';
  if (!bare.includes('.') || INTERNAL_NAME.test(bare)) return 'internal name';
  // A name whose every label is numeric or hex is an address to some resolvers: refuse it outright.
  if (bare.split('.').every((l) => /^(0x[0-9a-f]*|[0-9]+)$/i.test(l))) return 'special-purpose address';
  return null;
}
