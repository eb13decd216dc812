import { App, SecretValue } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { GoChatProps } from '#lib/go-chat.ts';
import { GoChatStack } from '#lib/go-chat-stack.ts';

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

function synth(extra: Partial<GoChatProps> = {}) {
  const app = new App({ context: NO_BUNDLING });
  const stack = new GoChatStack(app, 'GoChatAgents', { goChat: { mailDomain: 'support.example.com', ...extra } });
  return Template.fromStack(stack);
}

describe("the agents' user pool", () => {
  const template = synth();
  const resources = template.toJSON().Resources as Record<string, any>;
  const idOf = (type: string) => {
    const found = Object.entries(resources).filter(([, r]) => r.Type === type);
    expect(found, type).toHaveLength(1);
    return found[0][0];
  };
  const poolId = idOf('AWS::Cognito::UserPool');
  const clientId = idOf('AWS::Cognito::UserPoolClient');

  it('is invitation-only, signs in by email, requires MFA and a strong password, and is retained', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        DeletionProtection: 'ACTIVE',
        Policies: {
          PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true, RequireNumbers: true }),
        },
      }),
    });
  });

  it('has one public Inbox client (no secret) for password (the Inbox) and SRP sign-in, with one-hour tokens', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: { Ref: poolId },
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH']),
      PreventUserExistenceErrors: 'ENABLED',
      SupportedIdentityProviders: ['COGNITO'],
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
    });
    const flows = resources[clientId].Properties.ExplicitAuthFlows as string[];
    // Exactly these: no admin flow (ALLOW_ADMIN_USER_PASSWORD_AUTH), no custom auth.
    expect([...flows].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH']);
  });

  it("gives the API the pool's issuer and client, and no Cognito permission (tokens are verified with the public JWKS)", () => {
    const [, api] = Object.entries(resources).find(
      ([, r]) =>
        r.Type === 'AWS::Lambda::Function' &&
        r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'gochat-api',
    )!;
    const env = api.Properties.Environment.Variables;
    expect(env.AGENT_POOL_CLIENT_IDS).toEqual({ Ref: clientId });
    expect(JSON.stringify(env.AGENT_POOL_ISSUER)).toContain('https://cognito-idp.');
    expect(JSON.stringify(env.AGENT_POOL_ISSUER)).toContain(`"Ref":"${poolId}"`);
    const roleId = api.Properties.Role['Fn::GetAtt'][0];
    const actions = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
    expect(actions.some((a: string) => a.startsWith('cognito'))).toBe(false);
  });

  it('outputs what gochat agent create and the Inbox need', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.AgentUserPoolId.Value).toEqual({ Ref: poolId });
    expect(outputs.AgentUserPoolClientId.Value).toEqual({ Ref: clientId });
    expect(JSON.stringify(outputs.AgentTokenIssuer.Value)).toContain('cognito-idp');
  });
});

describe('OIDC federation', () => {
  it('adds the outside provider, maps email and name, and offers it to the Inbox client with the code flow', () => {
    const template = synth({
      agents: {
        domainPrefix: 'acme-gochat',
        callbackUrls: ['https://inbox.example.com/callback'],
        oidc: {
          name: 'Platform',
          issuerUrl: 'https://id.example.com',
          clientId: 'gochat',
          clientSecret: SecretValue.unsafePlainText('from-ops'),
        },
      },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'Platform',
      ProviderType: 'OIDC',
      ProviderDetails: Match.objectLike({
        oidc_issuer: 'https://id.example.com',
        authorize_scopes: 'openid email profile',
      }),
      AttributeMapping: { email: 'email', name: 'name' },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      SupportedIdentityProviders: ['COGNITO', 'Platform'],
      AllowedOAuthFlows: ['code'],
      CallbackURLs: ['https://inbox.example.com/callback'],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-gochat' });
  });
});
