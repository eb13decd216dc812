/**
 * The module that lib/bundling/bundle.ts bundles in place of a package's own must answer exactly as the
 * original does, for every input the original's callers can give it.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gte } from '../../lib/bundling/shims/semver.ts';

describe('semver.gte, as cls-hooked and the X-Ray SDK call it', () => {
  const require = createRequire(import.meta.url);
  const semverOf = (pkg: string) =>
    createRequire(require.resolve(pkg))('semver') as { gte(a: string, b: string): boolean; version?: string };
  const versionOf = (pkg: string): string => createRequire(require.resolve(pkg))('semver/package.json').version;
  const release = (v: string) => v.replace(/^v/, '').split(/[-+]/)[0];
  const semvers = { 'cls-hooked': semverOf('cls-hooked'), 'aws-xray-sdk-core': semverOf('aws-xray-sdk-core') };
  const version = fc
    .tuple(fc.nat(30), fc.nat(30), fc.nat(30), fc.constantFrom('', '-rc.1', '-alpha', '+build.5'), fc.boolean())
    .map(([a, b, c, tail, v]) => `${v ? 'v' : ''}${a}.${b}.${c}${tail}`);

  for (const [name, semver] of Object.entries(semvers)) {
    it(`agrees with the semver that ${name} requires (${versionOf(name)})`, () => {
      expect(gte(process.versions.node, '8.0.0')).toBe(true);
      expect(gte('3.0.0', '3.6.0')).toBe(false);
      fc.assert(
        fc.property(version, version, (a, b) => {
          // Two prereleases of the same x.y.z are never compared by the callers (see the shim).
          const bothPre = /-/.test(a) && /-/.test(b) && release(a) === release(b);
          return bothPre || gte(a, b) === semver.gte(a, b);
        }),
        { numRuns: 5_000 },
      );
    });
  }

  it('refuses what is not a version, as semver does', () => {
    expect(() => gte('not a version', '1.0.0')).toThrow(TypeError);
    expect(() => semvers['aws-xray-sdk-core'].gte('not a version', '1.0.0')).toThrow(TypeError);
  });
});
