/**
 * Adapters of rare paths, built once per container on their first use rather than with the container.
 * Their modules are loaded with `import()`, which the deployed bundles put in chunks of their own
 * (lib/bundling/bundle.ts): a cold start that never sends mail (most API requests) never reads the SES
 * or Step Functions clients. Each is still created once per container, never per invocation.
 */
import type { MailSender, WorkflowStarter } from '../core/ports.ts';
import { wireMessageIdFor } from './ses-wire-id.ts';

/**
 * `build()` run once, on the first call; a failure is not kept, so the next call tries again (a
 * throttled secret read must not poison the container).
 */
export function onFirstUse<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () => {
    if (built) return built;
    const attempt = build();
    built = attempt;
    attempt.catch(() => {
      if (built === attempt) built = undefined;
    });
    return attempt;
  };
}

/** A MailSender on SES whose client is created on the first send. */
export class FirstUseMailSender implements MailSender {
  private readonly sender: () => Promise<MailSender>;

  constructor(
    private readonly region: string,
    build: () => Promise<MailSender>,
  ) {
    this.sender = onFirstUse(build);
  }

  async sendRaw(input: Parameters<MailSender['sendRaw']>[0]): Promise<{ providerMessageId: string }> {
    return (await this.sender()).sendRaw(input);
  }

  wireMessageId(providerMessageId: string): string {
    return wireMessageIdFor(providerMessageId, this.region);
  }
}

/** A WorkflowStarter whose Step Functions client is created on the first start or stop. */
export class FirstUseWorkflowStarter implements WorkflowStarter {
  private readonly starter: () => Promise<WorkflowStarter>;

  constructor(build: () => Promise<WorkflowStarter>) {
    this.starter = onFirstUse(build);
  }

  async start(name: string, input: unknown): Promise<void> {
    return (await this.starter()).start(name, input);
  }

  async stop(name: string): Promise<void> {
    return (await this.starter()).stop(name);
  }
}
