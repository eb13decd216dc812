/**
 * The modules that lib/bundling/bundle.ts bundles in place of a package's own must answer exactly as
 * the originals do, for every input the originals' callers can give them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entitiesAsJson } from '#lib/bundling/bundle.ts';
import { gte } from '#lib/bundling/shims/semver.ts';
import { repoPath } from '#lib/paths.ts';

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

describe("postal-mime's entity table as JSON, parsed on first lookup", () => {
  it('holds every key of the original with the same value, and nothing more', async () => {
    const original = repoPath('node_modules', 'postal-mime', 'dist', 'esm', 'html-entities.js');
    const table: Record<string, string> = (await import(pathToFileURL(original).href)).htmlEntities;
    const dir = mkdtempSync(join(tmpdir(), 'gochat-entities-'));
    try {
      const file = join(dir, 'html-entities.mjs');
      writeFileSync(file, await entitiesAsJson(original));
      const shimmed: Record<string, unknown> = (await import(pathToFileURL(file).href)).htmlEntities;
      const keys = Object.keys(table);
      expect(keys.length).toBeGreaterThan(2000);
      expect(keys.filter((key) => shimmed[key] !== table[key])).toEqual([]);
      // postal-mime asks `typeof htmlEntities[match] === 'string'` of names it does not know too.
      for (const key of ['&ampx', '&notit;', '&#38;', '&', '&constructor', '&toString;']) {
        expect([key, typeof shimmed[key] === 'string']).toEqual([key, typeof table[key] === 'string']);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the console-login credential provider, in place of @aws-sdk/credential-provider-login', () => {
  it('exports the one function the shared-config provider imports, and it refuses instead of resolving', async () => {
    const require = createRequire(import.meta.url);
    const ini = createRequire(require.resolve('@aws-sdk/credential-provider-node'))('@aws-sdk/credential-provider-ini');
    expect(typeof ini.fromIni).toBe('function');
    const original = await import('@aws-sdk/credential-provider-login');
    const { fromLoginCredentials } = await import('#lib/bundling/shims/credential-provider-login.ts');
    expect(Object.keys(original)).toContain('fromLoginCredentials');
    await expect(fromLoginCredentials()()).rejects.toThrow(/not supported in the Lambda bundles/);
  });
});
