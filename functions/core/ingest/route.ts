/**
 * Step 2 of ingest: which workspaces a mail is for. Each envelope recipient's base address (without its
 * reply token) is looked up once, and the answer is reused in this container for a while: a burst of
 * mail to one address costs one read.
 */
import type { Clock, DirectoryStore } from '../ports.ts';
import { baseAddress } from '../reply-token.ts';

export class RecipientRouter {
  private readonly routes = new Map<string, { workspaceId: string | null; until: number }>();

  constructor(
    private readonly directory: Pick<DirectoryStore, 'routeAddress'>,
    private readonly clock: Clock,
    /** How long an address → workspace result is reused. */
    private readonly ttlMs = 60_000,
  ) {}

  /** Groups envelope recipients by the workspace that owns their base address; unknown ones drop out. */
  async route(recipients: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const now = this.clock.now().getTime();
    await Promise.all(
      [...new Set(recipients.map((r) => r.trim()).filter(Boolean))].map(async (recipient) => {
        const base = baseAddress(recipient);
        let cached = this.routes.get(base);
        if (!cached || cached.until < now) {
          cached = { workspaceId: await this.directory.routeAddress(base), until: now + this.ttlMs };
          this.routes.set(base, cached);
        }
        if (cached.workspaceId) {
          const list = out.get(cached.workspaceId) ?? [];
          list.push(recipient);
          out.set(cached.workspaceId, list);
        }
      }),
    );
    return out;
  }
}
