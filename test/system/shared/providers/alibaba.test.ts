import { describe, expect, it } from 'vitest';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor } from '../../../support/harness';
import { nowSec, fixtureFor, startOf } from '../../../support/providers';

const fixture = fixtureFor('alibaba');
const start = startOf('Room42');

describe('alibaba', () => {
  it('checks the signature over the configured ingest domains when there are any', async () => {
    const { store } = await createTestTable();
    // The fixture signs over push.example.com, which is also the callback's `app`.
    const elsewhere = handlerFor(fixture, store, { ...fixture.env, LIVEHOOKS_ALIBABA_DOMAINS: 'ingest.example.net' });
    expect(await call(elsewhere, fixture.callback(start))).toMatchObject({
      status: 401,
      body: { reason: 'bad_signature' },
    });
    const listed = handlerFor(fixture, store, {
      ...fixture.env,
      LIVEHOOKS_ALIBABA_DOMAINS: 'ingest.example.net, push.example.com',
    });
    expect((await call(listed, fixture.callback(start))).status).toBe(200);
  });

  it('keeps the stream name as sent and pairs its start and stop case-insensitively', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    await call(handler, fixture.callback(start));
    await call(handler, fixture.callback({ ...start, kind: 'stop', stream: 'room42', timeSec: nowSec - 5 }));
    const { events, sessions } = await table.store.readStream('alibaba/push.example.com/live/room42');
    expect(events.map((event) => event.stream).sort()).toEqual(['Room42', 'room42']);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ durationMs: 25_000 });
    expect(events[0]).toMatchObject({
      node: 'cdnvideocenter010207116011.cm3',
      params: { vhost: 'push.example.com', room: '42' },
    });
  });

  it('stores a token-bearing query without the token', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store, { ...fixture.env, LIVEHOOKS_ALIBABA_TOKENS: 'secret-token-1' });
    expect((await call(handler, fixture.callback(start, { token: 'secret-token-1' }))).status).toBe(200);
    expect(JSON.stringify(await table.scanAll())).not.toContain('secret-token-1');
  });
});
