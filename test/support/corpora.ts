/**
 * Access to the shared real-world mail corpora (`../shared/corpora`, never copied into the repo).
 * When the folder is absent (a fresh clone), corpus suites skip, loudly, instead of passing silently.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Root of the shared corpora: `<repo>/../shared/corpora`. */
export const corporaRoot = path.resolve(repoRoot, '..', 'shared', 'corpora');

/** Absolute path of a file or folder inside the corpora. */
export function corpusPath(...parts: string[]): string {
  return path.join(corporaRoot, ...parts);
}

/** True when the given corpus folder (or the whole corpora root) exists. */
export function hasCorpus(...parts: string[]): boolean {
  return existsSync(corpusPath(...parts));
}

/** Every regular file below a folder of the corpora, sorted, as paths relative to the corpora root. */
export function listCorpusFiles(...parts: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(path.relative(corporaRoot, full));
    }
  };
  if (hasCorpus(...parts)) walk(corpusPath(...parts));
  return out;
}

/**
 * `describe` that runs only when the corpus folder exists; otherwise the suite is skipped with a
 * visible console notice, so that a missing corpus can never pass for a green run.
 */
export function describeCorpus(name: string, folder: string, body: () => void): void {
  if (hasCorpus(folder)) {
    describe(name, body);
    return;
  }
  console.warn(`[corpora] SKIPPED "${name}": corpus folder not found at ${corpusPath(folder)}`);
  describe.skip(name, body);
}
