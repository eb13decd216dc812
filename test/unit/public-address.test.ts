import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPublicAddress, parseIPv4, parseIPv6, refuseFetchUrl } from '#core/public-address.ts';
import { checkWidgetSettings, DEFAULT_WIDGET_SETTINGS } from '#core/widget-identity.ts';

/** Every refused IPv4 range, as [dotted base, prefix length]. */
const V4_RANGES: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const toNum = (dotted: string) => dotted.split('.').reduce((n, p) => n * 256 + Number(p), 0);
const bytes = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const hex = (n: number) => `0x${n.toString(16)}`;
const oct = (n: number) => `0${n.toString(8)}`;

/** An address of a refused IPv4 range. */
const refusedV4 = fc
  .constantFrom(...V4_RANGES)
  .chain(([base, bits]) =>
    fc.integer({ min: 0, max: 2 ** (32 - bits) - 1 }).map((offset) => (toNum(base) + offset) >>> 0),
  );

/** The spellings of one IPv4 address that resolvers and URL parsers accept (inet_aton forms). */
function v4Spellings(n: number): string[] {
  const [a, b, c, d] = bytes(n) as [number, number, number, number];
  return [
    `${a}.${b}.${c}.${d}`,
    String(n),
    hex(n),
    `${hex(a)}.${hex(b)}.${hex(c)}.${hex(d)}`,
    `${oct(a)}.${oct(b)}.${oct(c)}.${oct(d)}`,
    `${a}.${b}.${(c << 8) | d}`,
    `${a}.${(b << 16) | (c << 8) | d}`,
    `${a}.${hex((b << 16) | (c << 8) | d)}`,
    `${oct(a)}.${b}.${hex(c)}.${d}`,
    `${a}.${b}.${c}.${d}.`,
  ];
}

/** IPv6 spellings that carry the IPv4 address inside (mapped, compatible, NAT64, 6to4). */
function v6CarryingV4(n: number): string[] {
  const [a, b, c, d] = bytes(n) as [number, number, number, number];
  const hi = ((n >>> 16) & 0xffff).toString(16);
  const lo = (n & 0xffff).toString(16);
  return [
    `[::ffff:${a}.${b}.${c}.${d}]`,
    `[::ffff:${hi}:${lo}]`,
    `[0:0:0:0:0:FFFF:${hi}:${lo}]`,
    `[::${a}.${b}.${c}.${d}]`,
    `[64:ff9b::${a}.${b}.${c}.${d}]`,
    `[2002:${hi}:${lo}::1]`,
  ];
}

const group = fc.integer({ min: 0, max: 0xffff });
/** An IPv6 address of a refused range outside IPv4: loopback, unspecified, ULA, link-local, multicast, docs, Teredo. */
const refusedV6 = fc.oneof(
  fc.constant([0, 0, 0, 0, 0, 0, 0, 1]),
  fc.constant([0, 0, 0, 0, 0, 0, 0, 0]),
  fc.tuple(fc.integer({ min: 0xfc00, max: 0xfdff }), ...Array(7).fill(group)),
  fc.tuple(fc.integer({ min: 0xfe80, max: 0xfebf }), ...Array(7).fill(group)),
  fc.tuple(fc.integer({ min: 0xff00, max: 0xffff }), ...Array(7).fill(group)),
  fc.tuple(fc.constant(0x2001), fc.constant(0x0db8), ...Array(6).fill(group)),
  fc.tuple(fc.constant(0x2001), fc.constant(0), ...Array(6).fill(group)),
  fc.tuple(fc.integer({ min: 0x0001, max: 0x1fff }), ...Array(7).fill(group)),
) as fc.Arbitrary<number[]>;

/** Spellings of 8 groups: full, with leading zeros, upper case, and `::` at the longest zero run. */
function v6Spellings(g: number[]): string[] {
  const full = g.map((x) => x.toString(16));
  const padded = g.map((x) => x.toString(16).padStart(4, '0').toUpperCase());
  let best = [-1, 0];
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > best[1]!) best = [i, j - i];
  }
  const out = [full.join(':'), padded.join(':')];
  if (best[1]! >= 1) {
    const [i, len] = best as [number, number];
    out.push(`${full.slice(0, i).join(':')}::${full.slice(i + len).join(':')}`);
  }
  return out.map((s) => `[${s}]`);
}

const allowedUrl = (host: string) => refuseFetchUrl(`https://${host}/.well-known/jwks.json`) === null;

describe('the address filter of fetch URLs (jwksUrl)', () => {
  it('refuses every refused IPv4 range in every spelling, as a URL host and as an address', () => {
    fc.assert(
      fc.property(refusedV4, (n) => {
        for (const s of v4Spellings(n)) {
          expect(allowedUrl(s), s).toBe(false);
          expect(isPublicAddress(s.replace(/\.$/, '')), s).toBe(false);
        }
        for (const s of v6CarryingV4(n)) expect(allowedUrl(s), s).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses every refused IPv6 range in every spelling', () => {
    fc.assert(
      fc.property(refusedV6, (g) => {
        for (const s of v6Spellings(g)) {
          expect(allowedUrl(s), s).toBe(false);
          expect(isPublicAddress(s), s).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('refuses any IPv4 carried inside IPv6 (mapped, compatible, NAT64, 6to4), public or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
        for (const s of v6CarryingV4(n)) expect(allowedUrl(s), s).toBe(false);
      }),
    );
  });

  it('accepts public addresses in every spelling (the filter is not a wall)', () => {
    const publicV4 = fc
      .integer({ min: 0, max: 2 ** 32 - 1 })
      .filter((n) => !V4_RANGES.some(([b, bits]) => n >>> (32 - bits) === toNum(b) >>> (32 - bits)));
    fc.assert(
      fc.property(publicV4, (n) => {
        for (const s of v4Spellings(n)) expect(parseIPv4(s.replace(/\.$/, '')), s).toBe(n);
        // The URL parser turns every spelling into the dotted one: the same public address, allowed.
        for (const s of v4Spellings(n)) expect(allowedUrl(s), s).toBe(true);
      }),
    );
    const publicV6 = fc.tuple(fc.integer({ min: 0x2400, max: 0x2fff }), ...Array(7).fill(group)) as fc.Arbitrary<
      number[]
    >;
    fc.assert(
      fc.property(publicV6, (g) => {
        for (const s of v6Spellings(g)) {
          expect(parseIPv6(s), s).toEqual(g);
          expect(allowedUrl(s), s).toBe(true);
        }
      }),
    );
  });

  it('refuses plain http, credentials, internal names; allows loopback http only with the local flag', () => {
    expect(refuseFetchUrl('http://keys.example.com/jwks')).toBe('not https');
    expect(refuseFetchUrl('https://user:pw@keys.example.com/jwks')).toBe('credentials');
    for (const name of ['localhost', 'metadata', 'db.internal', 'printer.local', 'x.localhost', 'LOCALHOST.'])
      expect(refuseFetchUrl(`https://${name}/jwks`), name).toBe('internal name');
    expect(refuseFetchUrl('http://127.0.0.1:9229/jwks')).toBe('not https');
    expect(refuseFetchUrl('http://127.0.0.1:9229/jwks', { allowLoopbackHttp: true })).toBeNull();
    expect(refuseFetchUrl('http://localhost:9229/jwks', { allowLoopbackHttp: true })).toBeNull();
    expect(refuseFetchUrl('http://10.0.0.1/jwks', { allowLoopbackHttp: true })).toBe('not https');
    expect(refuseFetchUrl('https://keys.example.com/.well-known/jwks.json')).toBeNull();
  });

  it('checkWidgetSettings refuses a jwksUrl of a special-purpose address (400), as it did not before', () => {
    const base = { ...DEFAULT_WIDGET_SETTINGS, enabled: true };
    for (const url of [
      'https://169.254.169.254/latest/meta-data',
      'https://2130706433/jwks',
      'https://0x7f.1/jwks',
      'https://[::ffff:127.0.0.1]/jwks',
      'https://10.1.2.3/jwks',
      'http://localhost:8080/jwks',
      'https://internal-keys/jwks',
    ])
      expect(() => checkWidgetSettings({ ...base, jwksUrl: url }), url).toThrow(/jwksUrl must be an https URL/);
    expect(checkWidgetSettings({ ...base, jwksUrl: 'https://keys.example.com/jwks' }).jwksUrl).toBe(
      'https://keys.example.com/jwks',
    );
  });
});
