import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: entry files, the lockfile and the state machine definition are found from here. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

export const repoPath = (...parts: string[]) => path.join(REPO_ROOT, ...parts);

/** Whether the module at `moduleUrl` (its `import.meta.url`) is the script that node or tsx was started with. */
export function isEntryPoint(moduleUrl: string): boolean {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
