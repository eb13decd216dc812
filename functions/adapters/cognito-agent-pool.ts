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
import { workspaceGroupName } from '#auth/agent-token.ts';

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
    // Cognito answers GroupExistsException. Any failure to find it (Cognito: ResourceNotFoundException,
    // cognito-local: a bare 500) goes on to CreateGroup, which Cognito refuses for a group that exists.
    try {
      await this.client.send(new GetGroupCommand({ UserPoolId: this.userPoolId, GroupName: name }));
      return name;
    } catch {
      // not found (or not readable): create it below
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
    /** An existing user's username (a federated user: `<Provider>_<sub>`): looked up, never created. */
    username?: string;
  }): Promise<{ sub: string; created: boolean; username: string }> {
    if (input.username) {
      const user = await this.client.send(
        new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: input.username }),
      );
      const found = sub(user.UserAttributes);
      if (!found) throw new Error(`the user pool returned no sub for ${input.username}`);
      return { sub: found, created: false, username: input.username };
    }
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
    return { sub: id, created, username: input.email };
  }

  async addToWorkspace(username: string, workspaceId: string): Promise<void> {
    const group = await this.ensureWorkspaceGroup(workspaceId);
    await this.client.send(
      new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: group }),
    );
  }
}
