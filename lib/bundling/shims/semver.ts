/**
 * The one function of semver that the bundled packages call: cls-hooked (`gte(process.versions.node,
 * '8.0.0')`) and the X-Ray SDK's patcher for SDK v2 (`gte(VERSION, min)`). Bundled in its place
 * (lib/bundling/bundle.ts) and checked against semver itself in test/unit/bundling-shims.test.ts.
 */

/** Major, minor and patch of `x.y.z` (a leading `v`, a prerelease and build metadata allowed). */
function parts(version: string): [number, number, number, boolean] {
  const match = /^\s*v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\s*$/.exec(String(version));
  if (!match) throw new TypeError(`Invalid Version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3]), Boolean(match[4])];
}

/** Whether `a` >= `b` in semver precedence, prereleases ordered before their release. */
export function gte(a: string, b: string): boolean {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) > (y[i] as number);
  // Same x.y.z: a release is above its prereleases; two prereleases are compared by semver itself only
  // in the tests' grid, which the callers here never reach (Node and SDK versions are releases).
  if (x[3] !== y[3]) return !x[3];
  return true;
}
