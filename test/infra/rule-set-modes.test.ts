import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_KEYS, ContextError, configFromContext } from '#lib/context.ts';
import { GoChatStack } from '#lib/go-chat-stack.ts';
import { offDomainRecipients } from '#lib/mail-domain.ts';

// Bundling is covered by go-chat.test.ts; here it is skipped to keep the synthesis fast.
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

describe('joining an existing rule set', () => {
  let resources: Record<string, any>;
  let stack: GoChatStack;

  beforeAll(() => {
    const app = new App({ context: NO_BUNDLING });
    stack = new GoChatStack(app, 'GoChatExisting', {
      goChat: {
        mailDomain: 'support.example.com',
        recipients: ['support@example.com', 'help.example.com'],
        ruleSet: { mode: 'existing', ruleSetName: 'ops-rules', after: 'spam-filter' },
        requireTls: true,
      },
    });
    resources = Template.fromStack(stack).toJSON().Resources;
  });

  const ofType = (type: string) => Object.values(resources).filter((r: any) => r.Type === type);

  it('adds the rule to the named rule set, after the named rule', () => {
    const [rule] = ofType('AWS::SES::ReceiptRule');
    expect(rule.Properties.RuleSetName).toBe('ops-rules');
    expect(rule.Properties.After).toBe('spam-filter');
    expect(rule.Properties.Rule.Recipients).toEqual(['support@example.com', 'help.example.com']);
    expect(rule.Properties.Rule.TlsPolicy).toBe('Require');
    expect(rule.Properties.Rule.Actions.map((a: any) => Object.keys(a)[0])).toEqual(['S3Action', 'LambdaAction']);
  });

  it('warns at synth that mailboxes off the mail domain cannot send (SES sends only from that identity)', () => {
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp(
        'receipt recipients support@example.com, help.example.com are not on the mail domain support.example.com',
      ),
    );
    expect(offDomainRecipients('support.example.com', ['a@support.example.com', 'eu.support.example.com'])).toEqual([]);
    expect(offDomainRecipients('support.example.com', ['a@example.com', 'support.example.com.evil.test'])).toEqual([
      'a@example.com',
      'support.example.com.evil.test',
    ]);
  });

  it('neither creates nor activates a rule set', () => {
    expect(ofType('AWS::SES::ReceiptRuleSet')).toEqual([]);
    expect(ofType('Custom::AWS')).toEqual([]);
  });
});

describe('configuration from CDK context', () => {
  const nodeWith = (context: Record<string, unknown>) => new App({ context }).node;

  it('needs a mail domain', () => {
    expect(() => configFromContext(nodeWith({}))).toThrow(ContextError);
  });

  it('defaults to creating and activating a rule set for the mail domain', () => {
    const config = configFromContext(nodeWith({ [CONTEXT_KEYS.mailDomain]: 'support.example.com' }));
    expect(config.stackName).toBe('GoChat');
    expect(config.goChat.ruleSet).toEqual({ mode: 'create-and-activate' });
    expect(config.goChat.recipients).toBeUndefined();
  });

  it('reads every key, from -c strings as from cdk.json values', () => {
    const config = configFromContext(
      nodeWith({
        [CONTEXT_KEYS.stackName]: 'GoChatProd',
        [CONTEXT_KEYS.region]: 'eu-west-1',
        [CONTEXT_KEYS.mailDomain]: 'support.example.com',
        [CONTEXT_KEYS.recipients]: 'support@example.com, help@example.com',
        [CONTEXT_KEYS.ruleSet]: 'existing',
        [CONTEXT_KEYS.ruleSetName]: 'ops-rules',
        [CONTEXT_KEYS.requireTls]: 'true',
        [CONTEXT_KEYS.alarmEmail]: 'ops@example.com',
        [CONTEXT_KEYS.encryption]: 'customer-managed',
        [CONTEXT_KEYS.policy]: '{"reminders":0,"afterWaiting":"closed"}',
        [CONTEXT_KEYS.logLevel]: 'DEBUG',
        [CONTEXT_KEYS.logRetentionDays]: '14',
        [CONTEXT_KEYS.ingestReservedConcurrency]: '10',
      }),
    );
    expect(config).toMatchObject({
      stackName: 'GoChatProd',
      region: 'eu-west-1',
      goChat: {
        recipients: ['support@example.com', 'help@example.com'],
        ruleSet: { mode: 'existing', ruleSetName: 'ops-rules' },
        requireTls: true,
        alarmEmail: 'ops@example.com',
        encryption: 'customer-managed',
        policyDefaults: { reminders: 0, afterWaiting: 'closed' },
        logLevel: 'DEBUG',
        logRetention: 14,
        ingestReservedConcurrency: 10,
      },
    });
  });

  it('rejects an existing rule set without a name, and unknown values', () => {
    const base = { [CONTEXT_KEYS.mailDomain]: 'support.example.com' };
    expect(() => configFromContext(nodeWith({ ...base, [CONTEXT_KEYS.ruleSet]: 'existing' }))).toThrow(/ruleSetName/);
    expect(() => configFromContext(nodeWith({ ...base, [CONTEXT_KEYS.ruleSet]: 'activate' }))).toThrow(ContextError);
    expect(() => configFromContext(nodeWith({ ...base, [CONTEXT_KEYS.encryption]: 'kms' }))).toThrow(ContextError);
    expect(() => configFromContext(nodeWith({ ...base, [CONTEXT_KEYS.logRetentionDays]: '2' }))).toThrow(ContextError);
    expect(() => configFromContext(nodeWith({ ...base, [CONTEXT_KEYS.policy]: '{' }))).toThrow(ContextError);
  });
});
