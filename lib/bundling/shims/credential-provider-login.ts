/**
 * In place of @aws-sdk/credential-provider-login, which the shared-config (ini) provider imports only for a
 * profile with an AWS console login session in ~/.aws/config. A Lambda has no such file: its credentials come
 * from the environment, the first provider of the chain. 6 KB of every asset, never run there; should a
 * profile ever name a login session, the chain gets this error instead of credentials.
 */
export const fromLoginCredentials = () => async (): Promise<never> => {
  throw new Error('console login sessions are not supported in the Lambda bundles (lib/bundling/shims)');
};
