/**
 * Rewrites relative imports that leave their own layer into the package's subpath imports (`#core/…`,
 * `#adapters/…`; the map is package.json's `"imports"`, read here, so it stays the one place that names
 * them). An import stays relative while it stays inside its layer: `functions/core/reply-text/x.ts` keeps
 * `../limits.ts`, but `functions/api/routes/x.ts` gets `#core/errors.ts` for `../../core/errors.ts`.
 *
 * Idempotent: a `#…` specifier is never touched again, so it can be re-run after a merge.
 *   npx tsx scripts/subpath-imports.ts           rewrite in place, list the files changed
 *   npx tsx scripts/subpath-imports.ts --check   change nothing; exit 1 if a file would change
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The folders whose files are rewritten; web/ and widget/ are packages of their own. */
const SCANNED = ['functions', 'lib', 'bin', 'test', 'bench', 'statemachine', 'scripts'];

interface Mapping {
  /** `#core/`, the key without its `*`. */
  prefix: string;
  /** `functions/core/`, relative to the repository, with a trailing slash. */
  folder: string;
}

/** The `"imports"` of package.json whose keys and targets end in `/*`. */
export function mappingsOf(packageJson: { imports?: Record<string, unknown> }): Mapping[] {
  return Object.entries(packageJson.imports ?? {})
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .filter(([key, target]) => key.endsWith('/*') && target.startsWith('./') && target.endsWith('/*'))
    .map(([key, target]) => ({ prefix: key.slice(0, -1), folder: target.slice(2, -1) }));
}

/**
 * The layer of a repository path, as a folder with a trailing slash: under `functions/`, its folder there
 * (`functions/core/`), or `functions/` itself for the entry files; elsewhere, its top-level folder.
 */
function layerOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'functions') return parts.length > 2 ? `functions/${parts[1]}/` : 'functions/';
  return `${parts[0]}/`;
}

/** The subpath specifier of a repository path, or undefined when no mapping holds it. */
function subpathOf(target: string, mappings: Mapping[]): string | undefined {
  const layer = layerOf(target);
  const mapping = mappings.find((m) => m.folder === layer);
  return mapping ? mapping.prefix + target.slice(mapping.folder.length) : undefined;
}

// The places a module specifier appears: `from '…'`, `import '…'`, `import('…')`, `vi.mock('…')`,
// `vi.importActual('…')`. A lookbehind, so that only the string itself is replaced.
const SPECIFIER =
  /(?<=\bfrom\s*|\bimport\s+|\bimport\s*\(\s*|\bvi\.mock\(\s*|\bimportActual(?:<[^>]*>)?\(\s*)(['"])(\.{1,2}\/[^'"\n]+)\1/g;

/** The source of `file` (a repository path) with its layer-leaving relative specifiers rewritten. */
export function rewrite(file: string, source: string, mappings: Mapping[]): string {
  const fromLayer = layerOf(file);
  return source.replace(SPECIFIER, (whole, quote: string, specifier: string) => {
    const target = relative(root, resolve(root, dirname(file), specifier))
      .split(sep)
      .join('/');
    if (target.startsWith('..')) return whole;
    if (layerOf(target) === fromLayer) return whole;
    const subpath = subpathOf(target, mappings);
    return subpath ? `${quote}${subpath}${quote}` : whole;
  });
}

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(join(root, dir))) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) yield* sources(path);
    else if (/\.(ts|mts|tsx)$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

function main() {
  const check = process.argv.includes('--check');
  const mappings = mappingsOf(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')));
  if (mappings.length === 0) throw new Error('package.json has no "imports" of the form "#x/*": "./folder/*"');
  const changed: string[] = [];
  for (const dir of SCANNED) {
    try {
      statSync(join(root, dir));
    } catch {
      continue;
    }
    for (const file of sources(dir)) {
      const before = readFileSync(join(root, file), 'utf8');
      const after = rewrite(file, before, mappings);
      if (after === before) continue;
      changed.push(file);
      if (!check) writeFileSync(join(root, file), after);
    }
  }
  for (const file of changed) console.log(`${check ? 'would rewrite' : 'rewrote'} ${file}`);
  console.log(`${changed.length} file(s) ${check ? 'to rewrite' : 'rewritten'}`);
  if (check && changed.length > 0) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
