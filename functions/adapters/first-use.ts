/**
 * Adapters of rare paths, built once per container on their first use rather than with the container.
 * Their modules are loaded with `import()`, which the deployed bundles put in chunks of their own
 * (lib/bundling/bundle.ts): a cold start that only lists and reads (most API requests) never reads the
 * S3, SES or Step Functions clients. Each is still created once per container, never per invocation.
 */
import type { MailSender, MailStore, WorkflowStarter } from '#core/ports.ts';
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

/** A MailStore on S3 whose client is created on the first read, write or signature. */
export class FirstUseMailStore implements MailStore {
  private readonly store: () => Promise<Required<MailStore>>;

  constructor(build: () => Promise<Required<MailStore>>) {
    this.store = onFirstUse(build);
  }

  async getRaw(key: string): Promise<Buffer> {
    return (await this.store()).getRaw(key);
  }

  async putObject(key: string, body: Buffer, contentType: string): Promise<void> {
    return (await this.store()).putObject(key, body, contentType);
  }

  async presignDownload(key: string, filename: string, expiresSeconds: number): Promise<string> {
    return (await this.store()).presignDownload(key, filename, expiresSeconds);
  }

  async presignUpload(
    key: string,
    opts: { contentType: string; maxBytes: number; expiresSeconds: number },
  ): Promise<{ url: string; fields: Record<string, string> }> {
    return (await this.store()).presignUpload(key, opts);
  }

  async uploadOrigin(): Promise<string> {
    return (await this.store()).uploadOrigin();
  }

  async headObject(key: string): Promise<{ size: number; contentType?: string } | null> {
    return (await this.store()).headObject(key);
  }
}
