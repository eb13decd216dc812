import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { GoChat, type GoChatProps } from './go-chat.ts';
import { WebHosting, type WebHostingProps } from './web-hosting.ts';

export interface GoChatStackProps extends StackProps {
  goChat: GoChatProps;
  /** The Inbox web app on CloudFront, with the API on the same origin (lib/web-hosting.ts). */
  web?: Omit<WebHostingProps, 'restApi'>;
  /** The end-user widget's built files (widget/dist/widget), served at `/widget/*` on the Inbox's distribution. */
  widget?: {
    sources: s3deploy.ISource[];
    /** Origins of the frame (the Inbox's domain) allowed to POST uploads to the mail bucket; any by default. */
    uploadOrigins?: string[];
  };
}

/** The ready-made stack: one {@link GoChat} (whose data construct is retained on stack deletion). */
export class GoChatStack extends Stack {
  readonly goChat: GoChat;
  readonly web?: WebHosting;

  constructor(scope: Construct, id: string, props: GoChatStackProps) {
    super(scope, id, props);
    this.goChat = new GoChat(this, 'GoChat', props.goChat);
    if (props.web) {
      // The Inbox signs agents in at the user pool's endpoint and listens on the live WebSocket.
      const cognitoEndpoint = `https://cognito-idp.${this.region}.amazonaws.com`;
      const liveUrl = this.goChat.live.stage.url;
      this.web = new WebHosting(this, 'Web', {
        restApi: this.goChat.restApi,
        ...props.web,
        appConfig: {
          cognitoEndpoint: `${cognitoEndpoint}/`,
          cognitoClientId: this.goChat.agents.client.userPoolClientId,
          liveUrl,
          ...props.web.appConfig,
        },
        connectSources: [cognitoEndpoint, liveUrl, ...(props.web.connectSources ?? [])],
        ...(props.widget ? { widgetFrame: true } : {}),
      });
    }
    // Notification mail links to the Inbox: its own URL when none is given.
    if (this.web && !props.goChat.inboxUrl) this.goChat.useInboxUrl(this.web.url);
    // The widget: widget.js and the frame app next to the Inbox (its frame document comes from /v1/widget/frame).
    if (props.widget && this.web) {
      this.web.addStaticSite('WidgetFiles', { pathPattern: '/widget/*', sources: props.widget.sources });
      // The frame posts end users' files straight to the mail bucket (a presigned POST, docs/widget.md). The
      // signed policy is the authorization: a multipart POST is a simple request that CORS never blocks, the
      // rule only lets the frame read the answer. The distribution's own domain would make a dependency
      // cycle (bucket → distribution → API → bucket), so the origins are given, or any.
      this.goChat.data.mailBucket.addCorsRule({
        allowedMethods: [s3.HttpMethods.POST],
        allowedOrigins: props.widget.uploadOrigins ?? ['*'],
        allowedHeaders: ['*'],
        maxAge: 3000,
      });
    }
    // What `gochat agent create` (AGENT_POOL_ID) and the Inbox's sign-in need.
    new CfnOutput(this, 'AgentUserPoolId', { value: this.goChat.agents.userPool.userPoolId });
    new CfnOutput(this, 'AgentUserPoolClientId', { value: this.goChat.agents.client.userPoolClientId });
    new CfnOutput(this, 'AgentTokenIssuer', { value: this.goChat.agents.issuer });
  }
}
