/**
 * The agents' Cognito user pool: one user per person, a group `ws_<workspaceId>` per workspace (made by
 * `gochat agent create`), and one app client for the Inbox. The API verifies the pool's tokens itself
 * (functions/auth), so the same API also takes integration keys. Users are state: the pool is retained.
 * Federation with an outside OIDC provider is documented in docs/agents.md (`oidc` below wires one).
 */
import { Duration, RemovalPolicy, type SecretValue, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface AgentPoolProps {
  /** Where the Inbox receives the OAuth code (hosted sign-in or a federated provider). @default none: password sign-in only */
  callbackUrls?: string[];
  logoutUrls?: string[];
  /** A Cognito domain prefix for the hosted sign-in (needed for federation). */
  domainPrefix?: string;
  /** An outside OIDC identity provider (the platform's own sign-in). */
  oidc?: {
    name: string;
    issuerUrl: string;
    clientId: string;
    /** The client secret, e.g. `SecretValue.secretsManager('gochat/oidc')`: resolved at deploy time, never in the template. */
    clientSecret: SecretValue;
    scopes?: string[];
  };
}

export class AgentPool extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  /** The `iss` of the pool's tokens: `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: AgentPoolProps = {}) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Agents are invited by ops (gochat agent create), never self-registered.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const providers: cognito.UserPoolClientIdentityProvider[] = [cognito.UserPoolClientIdentityProvider.COGNITO];
    let oidcProvider: cognito.UserPoolIdentityProviderOidc | undefined;
    if (props.oidc) {
      oidcProvider = new cognito.UserPoolIdentityProviderOidc(this, 'Oidc', {
        userPool: this.userPool,
        name: props.oidc.name,
        issuerUrl: props.oidc.issuerUrl,
        clientId: props.oidc.clientId,
        // The OIDC provider takes a string: a SecretValue resolves to a dynamic reference, not plain text.
        clientSecret: props.oidc.clientSecret.unsafeUnwrap(),
        scopes: props.oidc.scopes ?? ['openid', 'email', 'profile'],
        attributeMapping: {
          email: cognito.ProviderAttribute.other('email'),
          fullname: cognito.ProviderAttribute.other('name'),
        },
      });
      providers.push(cognito.UserPoolClientIdentityProvider.custom(props.oidc.name));
    }
    if (props.domainPrefix) this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });

    this.client = this.userPool.addClient('InboxClient', {
      userPoolClientName: 'gochat-inbox',
      generateSecret: false,
      // The Inbox sends the password itself (USER_PASSWORD_AUTH, TLS to Cognito's endpoint, no SDK); SRP stays for SDK clients.
      authFlows: { userSrp: true, userPassword: true },
      preventUserExistenceErrors: true,
      supportedIdentityProviders: providers,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      ...(props.callbackUrls?.length
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true },
              scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
              callbackUrls: props.callbackUrls,
              ...(props.logoutUrls ? { logoutUrls: props.logoutUrls } : {}),
            },
          }
        : { oAuth: { flows: { authorizationCodeGrant: false, implicitCodeGrant: false } } }),
    });
    if (oidcProvider) this.client.node.addDependency(oidcProvider);

    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
