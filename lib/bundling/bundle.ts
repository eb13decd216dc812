/**
 * How every Lambda is bundled: esbuild, ESM with code splitting, minified, no source map. `cdk synth`
 * runs it for each function (lib/go-chat-function.ts, through `cli.ts`), and `npm run bench` times
 * the very same output (bench/lambdas.bench.ts). docs/performance.md has the measurement behind
 * each choice.
 *
 * What a cold start must parse is what it pays for (about 0.1 ms of CPU per KB here), so:
 * - **Code splitting.** Modules reached only through `import()` go to chunks of their own, which are
 *   read when first needed: the SDK's other credential providers (on Lambda the environment's
 *   credentials answer first, so these never load), the clients of the token services they call,
 *   nodemailer until the first send, html-to-text for HTML-only mail.
 * - **Node built-ins through `require`.** An ES module `import` of a built-in builds its ESM facade,
 *   which reads every export, lazy ones included: `node:http` then loads undici (its WebSocket export)
 *   and `node:fs` its streams, about 12 ms of CPU at each cold start. `require()` returns the module
 *   as is, and its lazy exports stay lazy.
 * - **semver as the one function used.** cls-hooked and the X-Ray SDK (under Powertools Tracer) take
 *   the whole of semver (29 KB, which compiles some 40 regular expressions at import) for one version
 *   comparison; the shim is checked against both semvers in test/unit/bundling-shims.test.ts.
 * - **postal-mime's entity table as JSON.** Its 2,231 HTML entities are an object literal that V8
 *   compiles at every cold start (about 1.5 ms of CPU); the same table as a JSON string, parsed on the
 *   first lookup (HTML-only mail), costs a string's scan. Generated from postal-mime's own module at
 *   build time, so it is that table exactly (test/unit/bundling-shims.test.ts).
 * - **No bowser.** The SDK's browser user-agent provider (never run on Node) imports it: 33 KB of every
 *   asset that no cold start reads, but which counts against the ingest asset's 1 MB.
 */
import { builtinModules } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, type BuildResult, build, type Plugin } from 'esbuild';
import { repoPath } from '../paths.ts';

/** The NODE_OPTIONS the functions deploy with: none (a source map with `--enable-source-maps` cost ×1.9). */
export const NODE_OPTIONS: string = '';

/** The entry file of each bundle; Lambda's handler is `index.handler`. */
export const ENTRY_FILE = 'index.mjs';

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

/** Built-ins imported by ES modules are required instead (see above); `require` comes from the banner. */
export const builtinsThroughRequire: Plugin = {
  name: 'gochat-builtins-through-require',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z0-9_/]+$/ }, (args) => {
      if (!BUILTINS.has(args.path)) return undefined;
      if (args.kind === 'require-call') return { path: args.path, external: true };
      return { path: args.path, namespace: 'gochat-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'gochat-builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/** Resolves `specifier`, when imported from a file whose path matches `importer`, to `replacement`. */
export function swap(name: string, importer: RegExp, specifier: RegExp, replacement: string): Plugin {
  return {
    name,
    setup(b) {
      b.onResolve({ filter: specifier }, (args) => (importer.test(args.importer) ? { path: replacement } : undefined));
    },
  };
}

const shim = (file: string) => repoPath('lib', 'bundling', 'shims', file);

/** The source of a module that exports postal-mime's `htmlEntities`, read from `original`, as JSON parsed on first use. */
export async function entitiesAsJson(original: string): Promise<string> {
  const { htmlEntities } = (await import(pathToFileURL(original).href)) as { htmlEntities: Record<string, string> };
  return [
    `const json = ${JSON.stringify(JSON.stringify(htmlEntities))};`,
    'let table;',
    'export const htmlEntities = new Proxy({}, { get: (_, key) => (table ??= JSON.parse(json))[key] });',
  ].join('\n');
}

const postalMimeEntities: Plugin = {
  name: 'gochat-postal-mime-entities',
  setup(b) {
    b.onLoad({ filter: /[\\/]postal-mime[\\/].*[\\/]html-entities\.js$/ }, async (args) => ({
      contents: await entitiesAsJson(args.path),
      loader: 'js',
    }));
  },
};

/** The plugins of every deployed bundle. */
export const PLUGINS: Plugin[] = [
  builtinsThroughRequire,
  postalMimeEntities,
  swap('gochat-semver', /[\\/](cls-hooked|aws-xray-sdk-core)[\\/]/, /^semver$/, shim('semver.ts')),
  swap('gochat-bowser', /[\\/]util-user-agent-browser[\\/]/, /^bowser$/, shim('bowser.ts')),
  swap(
    'gochat-credential-provider-login',
    /[\\/]credential-provider-ini[\\/]/,
    /^@aws-sdk\/credential-provider-login$/,
    shim('credential-provider-login.ts'),
  ),
];

/** The esbuild options of every deployed bundle (the entry and the output folder apart). */
export const BUNDLING: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  // The ES module builds of the SDK and other packages, which tree-shake.
  mainFields: ['module', 'main'],
  minify: true,
  // No source map: `--enable-source-maps` made the import about 1.9x slower, and a map without it is
  // dead weight. Stack traces name the minified bundle; the JSON logs carry the messages and ids.
  sourcemap: false,
  splitting: true,
  entryNames: 'index',
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  // CommonJS dependencies, and the built-ins above, call require() inside an ES module.
  banner: {
    js: "import { createRequire as __gochatCreateRequire } from 'node:module';const require = __gochatCreateRequire(import.meta.url);",
  },
  // The SDK is bundled (and tree-shaken): production runs the versions the tests ran, and a cold start
  // reads a few files instead of the runtime's hundreds (the runtime's SDK measured ×3.7).
  external: [],
  plugins: PLUGINS,
  logLevel: 'warning',
};

/** Bundles one function's entry (a path under the repository) into `outdir` (`index.mjs` and its chunks). */
export function bundleFunction(
  entry: string,
  outdir: string,
  extra: { plugins?: Plugin[]; without?: string[]; options?: BuildOptions } = {},
): Promise<BuildResult> {
  return build({
    ...BUNDLING,
    entryPoints: [entry],
    outdir,
    absWorkingDir: repoPath(),
    ...extra.options,
    // Extra plugins go first, so that a what-if swap (bench) wins over the deployed ones.
    plugins: [...(extra.plugins ?? []), ...PLUGINS.filter((p) => !extra.without?.includes(p.name))],
  });
}

/** The files of a bundle that an import of its entry reads: the entry and its static chunks. */
export function filesReadAtImport(result: BuildResult & { metafile: NonNullable<BuildResult['metafile']> }): string[] {
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((file) => file.endsWith(`/${ENTRY_FILE}`) || file === ENTRY_FILE);
  if (!entry) throw new Error(`no ${ENTRY_FILE} in the bundle`);
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of outputs[file].imports) {
      if (imported.kind === 'import-statement' && !imported.external) stack.push(imported.path);
    }
  }
  return [...seen].map((file) => (isAbsolute(file) ? file : join(repoPath(), file)));
}
