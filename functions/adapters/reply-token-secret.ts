import type { Config } from '../config.ts';
import { ReplyTokens } from '../core/reply-token.ts';
import { onFirstUse } from './first-use.ts';

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
 * The Secrets Manager client serves that one read, so it is created for it (once per container), from
 * a chunk that a cold start does not otherwise read.
 */
export function secretOnce<T>(config: Config, build: (secret: string) => T): () => Promise<T> {
  return onFirstUse(async () => {
    const secret = config.replyTokenSecret ?? (await readSecret(config));
    if (!secret) throw new Error('reply token secret is empty');
    return build(secret);
  });
}

async function readSecret(config: Config): Promise<string | undefined> {
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const secrets = new SecretsManagerClient({ region: config.region });
  try {
    return (await secrets.send(new GetSecretValueCommand({ SecretId: config.replyTokenSecretArn! }))).SecretString;
  } finally {
    secrets.destroy();
  }
}
