import { Stack, type StackProps } from 'aws-cdk-lib';
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
  }
}
