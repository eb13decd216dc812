/**
 * The agents' user pool as ops provision it (`gochat agent create`, and the development agent of
 * `npm start`): a user per person, and a group `ws_<workspaceId>` per workspace that makes its members
 * agents there. Every call is idempotent, so a provisioning run can be repeated.
 * Locally the same code talks to cognito-local (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER or `endpoint`).
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  GetGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { workspaceGroupName } from '../api/auth/agent-token.ts';

export function cognitoClient(opts: { region: string; endpoint?: string }): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: opts.region,
    ...(opts.endpoint
      ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}

const sub = (attributes: AttributeType[] | undefined) => attributes?.find((a) => a.Name === 'sub')?.Value;

export class CognitoAgentPool {
  constructor(
    readonly client: CognitoIdentityProviderClient,
    readonly userPoolId: string,
  ) {}

  /** The group of a workspace; creating it again is fine. */
  async ensureWorkspaceGroup(workspaceId: string): Promise<string> {
    const name = workspaceGroupName(workspaceId);
    // Look first: cognito-local's CreateGroup replaces an existing group (and drops its members), where
    // Cognito answers GroupExistsException.
    try {
      await this.client.send(new GetGroupCommand({ UserPoolId: this.userPoolId, GroupName: name }));
      return name;
    } catch (e) {
      // cognito-local answers 500 (not ResourceNotFoundException) while its pool has no group at all.
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (!/NotFound/.test((e as Error).name) && status !== 500) throw e;
    }
    try {
      await this.client.send(
        new CreateGroupCommand({
          UserPoolId: this.userPoolId,
          GroupName: name,
          Description: `Go!Chat workspace ${workspaceId}`,
        }),
      );
    } catch (e) {
      if ((e as Error).name !== 'GroupExistsException') throw e;
    }
    return name;
  }

  /**
   * The user of `email` (created when missing) and its `sub`. With a password, it is set permanent and no
   * invitation goes out; without one, Cognito mails an invitation with a temporary password.
   */
  async ensureUser(input: {
    email: string;
    name: string;
    password?: string;
  }): Promise<{ sub: string; created: boolean }> {
    let id: string | undefined;
    let created = false;
    try {
      const user = await this.client.send(
        new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: input.email }),
      );
      id = sub(user.UserAttributes);
    } catch (e) {
      if ((e as Error).name !== 'UserNotFoundException') throw e;
      const out = await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: input.email,
          UserAttributes: [
            { Name: 'email', Value: input.email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: input.name },
          ],
          ...(input.password ? { MessageAction: 'SUPPRESS' as const } : { DesiredDeliveryMediums: ['EMAIL' as const] }),
        }),
      );
      id = sub(out.User?.Attributes);
      created = true;
    }
    if (!id) throw new Error(`the user pool returned no sub for ${input.email}`);
    if (input.password)
      await this.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: this.userPoolId,
          Username: input.email,
          Password: input.password,
          Permanent: true,
        }),
      );
    return { sub: id, created };
  }

  async addToWorkspace(email: string, workspaceId: string): Promise<void> {
    const group = await this.ensureWorkspaceGroup(workspaceId);
    await this.client.send(
      new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: email, GroupName: group }),
    );
  }
}
