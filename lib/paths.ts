import * as path from 'node:path';

/** Repository root: entry files, the lockfile and the state machine definition are found from here. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

export const repoPath = (...parts: string[]) => path.join(REPO_ROOT, ...parts);
