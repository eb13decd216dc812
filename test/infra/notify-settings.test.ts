/**
 * Notification mail on AWS (lib/notify-settings.ts): its From is a no-reply address on the verified mail
 * domain (SES refuses any other), its links go to the Inbox's CloudFront URL or the one given. The
 * distribution's URL goes to the dispatcher, not the workflow step: given to the workflow step, it closes
 * a cycle (distribution → API stage → API function → its policy → lifecycle state machine → workflow step),
 * which Template.fromStack refuses as "undeployable" (checked by hand when this was written).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Source } from 'aws-cdk-lib/aws-s3-deployment';
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEYS, ContextError, configFromContext } from '#lib/context.ts';
import { GoChat } from '#lib/go-chat.ts';
import { GoChatStack } from '#lib/go-chat-stack.ts';
import { inboxUrlOf, notifyFromOf } from '#lib/notify-settings.ts';

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const DOMAIN = 'support.example.com';

type Resources = Record<string, { Type: string; Properties?: any; DependsOn?: string | string[] }>;

const envOf = (resources: Resources, service: string): Record<string, unknown> => {
  const fn = Object.values(resources).find(
    (r) =>
      r.Type === 'AWS::Lambda::Function' && r.Properties?.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === service,
  );
  if (!fn) throw new Error(`no function ${service}`);
  return fn.Properties.Environment.Variables;
};

const webStack = (goChat: { inboxUrl?: string; notifyFrom?: string } = {}) => {
  const app = new App({ context: NO_BUNDLING });
  const stack = new GoChatStack(app, 'GoChatNotify', {
    goChat: { mailDomain: DOMAIN, ...goChat },
    web: { appSource: Source.data('index.html', '<!doctype html><title>Inbox</title>') },
  });
  return { resources: Template.fromStack(stack).toJSON().Resources as Resources };
};

describe('notification mail settings', () => {
  it('the From defaults to no-reply on the mail domain; one off the domain (or not an address) is refused clearly', () => {
    expect(notifyFromOf(DOMAIN)).toBe('Go!Chat <no-reply@support.example.com>');
    expect(notifyFromOf(DOMAIN, 'Acme support <alerts@mail.support.example.com>')).toBe(
      'Acme support <alerts@mail.support.example.com>',
    );
    expect(notifyFromOf(DOMAIN, 'no-reply@SUPPORT.example.com')).toBe('no-reply@SUPPORT.example.com');
    expect(() => notifyFromOf(DOMAIN, 'no-reply@gochat.invalid')).toThrow(
      /not on the mail domain support\.example\.com/,
    );
    expect(() => notifyFromOf(DOMAIN, 'no-reply@evilsupport.example.com')).toThrow(/not on the mail domain/);
    expect(() => notifyFromOf(DOMAIN, 'Go!Chat')).toThrow(/must be an address/);
    expect(inboxUrlOf('https://inbox.example.com/')).toBe('https://inbox.example.com');
    expect(() => inboxUrlOf('http://inbox.example.com')).toThrow(/must be https/);
    expect(() => inboxUrlOf('inbox.example.com')).toThrow(/must be a URL/);
  });

  it('reads gochat:notifyFrom and gochat:inboxUrl from context, failing synth with the key named', () => {
    const nodeWith = (context: Record<string, string>) => new App({ context }).node;
    const base = { [CONTEXT_KEYS.mailDomain]: DOMAIN };
    const config = configFromContext(
      nodeWith({
        ...base,
        [CONTEXT_KEYS.notifyFrom]: 'Acme <no-reply@support.example.com>',
        [CONTEXT_KEYS.inboxUrl]: 'https://inbox.acme.example',
      }),
    );
    expect(config.goChat).toMatchObject({
      notifyFrom: 'Acme <no-reply@support.example.com>',
      inboxUrl: 'https://inbox.acme.example',
    });
    expect(configFromContext(nodeWith(base)).goChat.notifyFrom).toBeUndefined();
    expect(() => configFromContext(nodeWith({ ...base, [CONTEXT_KEYS.notifyFrom]: 'x@other.example' }))).toThrow(
      ContextError,
    );
    expect(() => configFromContext(nodeWith({ ...base, [CONTEXT_KEYS.inboxUrl]: 'ftp://x' }))).toThrow(
      /gochat:inboxUrl: inboxUrl must be https/,
    );
  });

  it('the stack: the workflow step sends from no-reply@<domain>; the dispatcher carries the Inbox CloudFront URL; no cycle', () => {
    const { resources } = webStack();
    const step = envOf(resources, 'gochat-workflow-step');
    expect(step.NOTIFY_FROM).toBe('Go!Chat <no-reply@support.example.com>');
    // The distribution depends (API → state machine) on the workflow step: the URL goes to the dispatcher.
    expect(step.INBOX_URL).toBeUndefined();
    const dispatchUrl = JSON.stringify(envOf(resources, 'gochat-dispatch').INBOX_URL);
    const [distribution] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::CloudFront::Distribution') ?? [];
    expect(dispatchUrl).toContain('https://');
    expect(dispatchUrl).toContain(`"${distribution}","DomainName"`);
    // Template.fromStack refuses a template with a dependency cycle ("undeployable"): reaching here means none.
  });

  it('a given Inbox URL and From go to both functions as written', () => {
    const { resources } = webStack({
      inboxUrl: 'https://inbox.acme.example/',
      notifyFrom: 'Acme <alerts@support.example.com>',
    });
    expect(envOf(resources, 'gochat-workflow-step')).toMatchObject({
      NOTIFY_FROM: 'Acme <alerts@support.example.com>',
      INBOX_URL: 'https://inbox.acme.example',
    });
    expect(envOf(resources, 'gochat-dispatch').INBOX_URL).toBe('https://inbox.acme.example');
  });

  it('a GoChat used alone without an Inbox URL warns at synth', () => {
    const app = new App({ context: NO_BUNDLING });
    const stack = new Stack(app, 'Alone');
    new GoChat(stack, 'GoChat', { mailDomain: DOMAIN });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('no Inbox URL: notification mail would link'));
  });
});
