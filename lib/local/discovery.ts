/**
 * How `npx gochat` finds the stack that `npm start` runs, with no environment typed by hand: npm start
 * writes `<data dir>/stack.json` (the handlers' environment, the API, the development agent) and removes
 * it at exit; the CLI reads it when TABLE_NAME is not set (or with `--local`). A file left by a stack
 * that died is recognised by its process id and ignored.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { REPO_ROOT } from '../paths.ts';
import type { LocalStack } from './stack.ts';

/** The same default as lib/local/stack.ts DEFAULTS.dataDir, without loading the whole stack. */
const DEFAULT_DATA_DIR = join(REPO_ROOT, '.gochat', 'data');

export interface Discovery {
  pid: number;
  startedAt: string;
  apiUrl: string;
  apiKey: string;
  workspaceId: string;
  inboundAddress: string;
  agents: LocalStack['agents'];
  env: Record<string, string>;
}

/** The discovery file: in the data dir, or in the default one when the data lives in memory. */
export function discoveryFile(dataDir: string | undefined): string {
  const dir = !dataDir || dataDir === 'memory' ? DEFAULT_DATA_DIR : resolve(dataDir);
  return join(dir, 'stack.json');
}

export function writeDiscovery(file: string, stack: LocalStack): () => void {
  const content: Discovery = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    apiUrl: stack.api.url,
    apiKey: stack.apiKey,
    workspaceId: stack.workspaceId,
    inboundAddress: stack.inboundAddress,
    agents: stack.agents,
    env: stack.env,
  };
  // It holds the local development secrets: readable by this user only.
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  return () => {
    try {
      const current = JSON.parse(readFileSync(file, 'utf8')) as Discovery;
      if (current.pid === process.pid) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The running local stack, or null when none is running (no file, or a stale one). */
export function readDiscovery(dataDir: string | undefined): Discovery | null {
  const file = discoveryFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    const d = JSON.parse(readFileSync(file, 'utf8')) as Discovery;
    return typeof d.pid === 'number' && alive(d.pid) ? d : null;
  } catch {
    return null;
  }
}
