import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { GoChat, type GoChatProps } from './go-chat.ts';
import { WebHosting, type WebHostingProps } from './web-hosting.ts';

export interface GoChatStackProps extends StackProps {
  goChat: GoChatProps;
  /** The Inbox web app on CloudFront, with the API on the same origin (lib/web-hosting.ts). */
  web?: Omit<WebHostingProps, 'restApi'>;
}

/** The ready-made stack: one {@link GoChat} (whose data construct is retained on stack deletion). */
export class GoChatStack extends Stack {
  readonly goChat: GoChat;
  readonly web?: WebHosting;

  constructor(scope: Construct, id: string, props: GoChatStackProps) {
    super(scope, id, props);
    this.goChat = new GoChat(this, 'GoChat', props.goChat);
    if (props.web) this.web = new WebHosting(this, 'Web', { restApi: this.goChat.restApi, ...props.web });
  }
}
