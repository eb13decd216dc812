import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, effectiveSettings } from '#core/settings.ts';
import { ConfigError, loadConfig } from '#functions/config.ts';

const base = { TABLE_NAME: 't', MAIL_BUCKET: 'b' };

describe('loadConfig', () => {
  it('fails fast on a missing variable', () => {
    expect(() => loadConfig({ MAIL_BUCKET: 'b' })).toThrow(ConfigError);
    expect(() => loadConfig(base, ['stateMachine'])).toThrow('STATE_MACHINE_ARN');
    expect(() => loadConfig(base, ['replyToken'])).toThrow('REPLY_TOKEN_SECRET');
  });

  it('uses the product default policy when ops configured none', () => {
    const config = loadConfig(base);
    expect(config.defaultPolicy).toEqual(DEFAULT_SETTINGS.policy);
    expect(config.defaultSettings).toEqual(DEFAULT_SETTINGS);
  });

  it('applies DEFAULT_POLICY (a partial policy, as the stack sets it) over the product default', () => {
    const config = loadConfig({ ...base, DEFAULT_POLICY: JSON.stringify({ reminders: 0, afterWaiting: 'closed' }) });
    expect(config.defaultPolicy).toEqual({ ...DEFAULT_SETTINGS.policy, reminders: 0, afterWaiting: 'closed' });
    expect(config.defaultSettings).toEqual({ ...DEFAULT_SETTINGS, policy: config.defaultPolicy });
  });

  it.each([
    ['not JSON', '{reminders: 1'],
    ['not an object', '[1]'],
    ['a negative count', '{"reminders":-1}'],
    ['an unknown key', '{"reminderz":1}'],
    ['a delay over a year', '{"waitingDelaySeconds":99999999999}'],
    ['a bad afterWaiting', '{"afterWaiting":"archived"}'],
  ])('refuses a DEFAULT_POLICY that is %s, at cold start', (_why, value) => {
    expect(() => loadConfig({ ...base, DEFAULT_POLICY: value })).toThrow(ConfigError);
  });

  it('refuses a MAX_MAIL_BYTES that is not a positive integer, and reads INBOUND_PREFIX', () => {
    expect(() => loadConfig({ ...base, MAX_MAIL_BYTES: '30MB' })).toThrow(ConfigError);
    expect(loadConfig({ ...base, MAX_MAIL_BYTES: '1000', INBOUND_PREFIX: 'mail/' })).toMatchObject({
      maxMailBytes: 1000,
      inboundPrefix: 'mail/',
    });
  });
});

describe('effectiveSettings', () => {
  it("lays a workspace's stored settings over the deploy-time defaults, the policy field by field", () => {
    const defaults = loadConfig({ ...base, DEFAULT_POLICY: '{"reminders":1,"afterWaiting":"closed"}' }).defaultSettings;
    expect(effectiveSettings(undefined, defaults)).toEqual(defaults);
    expect(effectiveSettings({ sendCapPerAddress: 5, policy: { reminders: 3 } as never }, defaults)).toEqual({
      ...defaults,
      sendCapPerAddress: 5,
      policy: { ...defaults.policy, reminders: 3 },
    });
    expect(effectiveSettings({})).toEqual(DEFAULT_SETTINGS);
  });
});
