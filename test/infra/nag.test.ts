import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import type { GoChatProps } from '#lib/go-chat.ts';
import { GoChatStack } from '#lib/go-chat-stack.ts';

// cdk-nag 3 is a policy-validation plugin: app.synth() fails on an unacknowledged error, and
// validateScope() returns every unacknowledged finding, warnings included. Both must be clean.
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

function nagFindings(goChat: GoChatProps) {
  const app = new App({ context: NO_BUNDLING });
  new GoChatStack(app, 'GoChatNag', { goChat });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.map((v) => ({
    rule: v.ruleName,
    severity: v.severity,
    at: v.violatingResources.map((r) => r.constructPath),
  }));
}

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged finding with a created and activated rule set', () => {
    expect(nagFindings({ mailDomain: 'support.example.com', alarmEmail: 'ops@example.com' })).toEqual([]);
  });

  it('has no unacknowledged finding when joining a rule set, with a customer-managed key', () => {
    expect(
      nagFindings({
        mailDomain: 'support.example.com',
        ruleSet: { mode: 'existing', ruleSetName: 'ops-rules' },
        encryption: 'customer-managed',
      }),
    ).toEqual([]);
  });
});
