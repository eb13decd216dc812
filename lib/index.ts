export { CONTEXT_KEYS, configFromContext } from './context.ts';
export { type FunctionNeeds, GoChat, type GoChatProps } from './go-chat.ts';
export { type DataAccess, type DataEncryption, GoChatData, type GoChatDataProps } from './go-chat-data.ts';
export { GoChatFunction, type GoChatFunctionProps } from './go-chat-function.ts';
export { GoChatStack, type GoChatStackProps } from './go-chat-stack.ts';
export { InboundRule, type RuleSetConfig } from './inbound-rule.ts';
