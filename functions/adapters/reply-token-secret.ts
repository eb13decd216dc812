import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../config.ts';
import { ReplyTokens } from '../core/reply-token.ts';

/**
 * The reply-token signer, its secret read (from Secrets Manager when only its ARN is configured) on
 * the first call and kept for the container. A failed read must not poison the container: the next
 * call tries again.
 */
export function replyTokensOnce(config: Config): () => Promise<ReplyTokens> {
  return secretOnce(config, (secret) => new ReplyTokens(secret));
}

/** The deployment's secret, read once, as `build` makes it into a signer (reply tokens, widget tokens). */
export function secretOnce<T>(config: Config, build: (secret: string) => T): () => Promise<T> {
  let tokens: Promise<T> | undefined;
  // Created with the container, never per invocation; only where the secret is not given directly.
  const secrets = config.replyTokenSecret ? undefined : new SecretsManagerClient({ region: config.region });
  return () => {
    if (tokens) return tokens;
    const built = (async () => {
      const secret =
        config.replyTokenSecret ??
        (await secrets!.send(new GetSecretValueCommand({ SecretId: config.replyTokenSecretArn! }))).SecretString;
      if (!secret) throw new Error('reply token secret is empty');
      return build(secret);
    })();
    tokens = built;
    built.catch(() => {
      tokens = undefined;
    });
    return built;
  };
}
