import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { GoChat, type GoChatProps } from './go-chat.ts';

export interface GoChatStackProps extends StackProps {
  goChat: GoChatProps;
}

/** The ready-made stack: one {@link GoChat} (whose data construct is retained on stack deletion). */
export class GoChatStack extends Stack {
  readonly goChat: GoChat;

  constructor(scope: Construct, id: string, props: GoChatStackProps) {
    super(scope, id, props);
    this.goChat = new GoChat(this, 'GoChat', props.goChat);
    // What `gochat agent create` (AGENT_POOL_ID) and the Inbox's sign-in need.
    new CfnOutput(this, 'AgentUserPoolId', { value: this.goChat.agents.userPool.userPoolId });
    new CfnOutput(this, 'AgentUserPoolClientId', { value: this.goChat.agents.client.userPoolClientId });
    new CfnOutput(this, 'AgentTokenIssuer', { value: this.goChat.agents.issuer });
  }
}
