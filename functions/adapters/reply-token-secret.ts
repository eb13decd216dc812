import { ReplyTokens } from '#core/reply-token.ts';
import type { Config } from '#functions/config.ts';
import { onFirstUse } from './first-use.ts';
import { recordSdkCalls } from './sdk-call-recorder.ts';

/**
 * The reply-token signer, its secret read (from Secrets Manager when only its ARN is configured) on
 * the first call and kept for the container. A failed read must not poison the container: the next
 * call tries again.
 */
export function replyTokensOnce(config: Config): () => Promise<ReplyTokens> {
  return secretOnce(config, (secret) => new ReplyTokens(secret));
}

/**
 * The deployment's secret, read once, as `build` makes it into a signer (reply tokens, widget tokens).
 * One read per container serves every signer built from the same configuration; the Secrets Manager
 * client serves that one read, so it is created for it, from a chunk that a cold start does not
 * otherwise read.
 */
export function secretOnce<T>(config: Config, build: (secret: string) => T): () => Promise<T> {
  return onFirstUse(async () => build(await secretOf(config)()));
}

const secrets = new WeakMap<Config, () => Promise<string>>();

/** The secret of `config`, given directly or read from Secrets Manager on the first call. */
function secretOf(config: Config): () => Promise<string> {
  let read = secrets.get(config);
  if (!read) {
    read = onFirstUse(async () => {
      const secret = config.replyTokenSecret ?? (await readSecret(config));
      if (!secret) throw new Error('reply token secret is empty');
      return secret;
    });
    secrets.set(config, read);
  }
  return read;
}

async function readSecret(config: Config): Promise<string | undefined> {
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const client = recordSdkCalls(new SecretsManagerClient({ region: config.region }));
  try {
    return (await client.send(new GetSecretValueCommand({ SecretId: config.replyTokenSecretArn! }))).SecretString;
  } finally {
    client.destroy();
  }
}
