/**
 * MailSender on SES (v1 SendRawEmail): the MIME is ours, built by nodemailer in the core.
 * SES replaces the Message-ID: the one on the wire is `<MessageId>@<region>.amazonses.com`
 * (`email.amazonses.com` in us-east-1), which is what replies will reference.
 */
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import type { MailSender } from '#core/ports.ts';
import { type ClientOptions, localCredentials, MAX_ATTEMPTS } from './aws-clients.ts';
import { recordSdkCalls } from './sdk-call-recorder.ts';
import { wireMessageIdFor } from './ses-wire-id.ts';

export { wireMessageIdFor };

export const sesClient = (opts: ClientOptions) =>
  recordSdkCalls(
    new SESClient({
      region: opts.region,
      ...(opts.endpoints?.ses ? { endpoint: opts.endpoints.ses } : {}),
      ...localCredentials(opts.endpoints?.ses),
      maxAttempts: MAX_ATTEMPTS.ses,
    }),
  );

export class SesMailSender implements MailSender {
  constructor(
    private readonly ses: SESClient,
    private readonly region: string,
    private readonly configurationSetName?: string,
  ) {}

  async sendRaw(input: { raw: Buffer; from: string; destinations: string[] }): Promise<{ providerMessageId: string }> {
    const out = await this.ses.send(
      new SendRawEmailCommand({
        RawMessage: { Data: input.raw },
        Source: input.from,
        Destinations: input.destinations,
        ...(this.configurationSetName ? { ConfigurationSetName: this.configurationSetName } : {}),
      }),
    );
    if (!out.MessageId) throw new Error('SES returned no MessageId');
    return { providerMessageId: out.MessageId };
  }

  wireMessageId(providerMessageId: string): string {
    return wireMessageIdFor(providerMessageId, this.region);
  }
}
