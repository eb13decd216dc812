/**
 * The deployment's secret (functions/adapters/reply-token-secret.ts): one Secrets Manager read per
 * container for every signer built from it, none when the secret is given directly, and a failed read
 * retried by the next call rather than kept.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, expect, it } from 'vitest';
import { secretOnce } from '#adapters/reply-token-secret.ts';
import { loadConfig } from '#functions/config.ts';

const secrets = mockClient(SecretsManagerClient);
const env = { TABLE_NAME: 't', MAIL_BUCKET: 'm', AWS_REGION: 'eu-west-1' };

beforeEach(() => secrets.reset());

it('reads the secret once for every signer of the same configuration', async () => {
  secrets.on(GetSecretValueCommand).resolves({ SecretString: 'from-secrets-manager' });
  const config = loadConfig({ ...env, REPLY_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:0:secret:s' });
  const replyTokens = secretOnce(config, (s) => `reply:${s}`);
  const widgetTokens = secretOnce(config, (s) => `widget:${s}`);
  expect(await Promise.all([replyTokens(), widgetTokens(), replyTokens()])).toEqual([
    'reply:from-secrets-manager',
    'widget:from-secrets-manager',
    'reply:from-secrets-manager',
  ]);
  expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
});

it('never calls Secrets Manager when the secret is given directly', async () => {
  const config = loadConfig({ ...env, REPLY_TOKEN_SECRET: 'given-directly-0123456789' });
  expect(await secretOnce(config, (s) => s)()).toBe('given-directly-0123456789');
  expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
});

it('tries again after a failed read, instead of keeping the failure for the container', async () => {
  secrets
    .on(GetSecretValueCommand)
    .rejectsOnce(new Error('ThrottlingException'))
    .resolves({ SecretString: 'second-time' });
  const config = loadConfig({ ...env, REPLY_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:0:secret:s' });
  const tokens = secretOnce(config, (s) => s);
  await expect(tokens()).rejects.toThrow('ThrottlingException');
  expect(await tokens()).toBe('second-time');
  expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
});
