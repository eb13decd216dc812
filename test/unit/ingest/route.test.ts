/** Step 2 of ingest (functions/core/ingest/route.ts): which workspaces a mail is for. */
import { describe, expect, it } from 'vitest';
import { RecipientRouter } from '#core/ingest/route.ts';
import { MemoryDirectory } from '../ingest-fakes.ts';

describe('RecipientRouter', () => {
  const setup = () => {
    const directory = new MemoryDirectory();
    directory.addresses.set('support@acme.example', 'WS1');
    directory.addresses.set('help@acme.example', 'WS1');
    directory.addresses.set('desk@other.example', 'WS2');
    let now = Date.parse('2026-11-23T10:00:00Z');
    const clock = { now: () => new Date(now) };
    return { directory, router: new RecipientRouter(directory, clock, 1000), tick: (ms: number) => (now += ms) };
  };

  it('groups recipients by workspace, a reply token by its base address, and drops unknown ones', async () => {
    const { router } = setup();
    const out = await router.route([
      'support@acme.example',
      ' support+t.abc@acme.example ',
      'desk@other.example',
      'nobody@acme.example',
      '',
    ]);
    expect([...out]).toEqual([
      ['WS1', ['support@acme.example', 'support+t.abc@acme.example']],
      ['WS2', ['desk@other.example']],
    ]);
  });

  it('reads an address once while its answer is fresh, and again after', async () => {
    const { router, directory, tick } = setup();
    await router.route(['support@acme.example', 'nobody@acme.example']);
    await router.route(['support+x@acme.example', 'nobody@acme.example']);
    expect(directory.calls).toEqual(['routeAddress', 'routeAddress']);
    tick(1001);
    directory.addresses.set('nobody@acme.example', 'WS3');
    expect([...(await router.route(['nobody@acme.example']))]).toEqual([['WS3', ['nobody@acme.example']]]);
    expect(directory.calls).toHaveLength(3);
  });
});
