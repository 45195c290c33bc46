import { describe, expect, it } from 'vitest';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor, withFields } from '../../../support/harness';
import { nowMs, nowSec, fixtureFor, startOf } from '../../../support/providers';

const fixture = fixtureFor('huawei');
const start = startOf('cam');

describe('huawei', () => {
  it('refuses the same auth_sign presented with another publish_timestamp, and writes nothing', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const original = fixture.callback(start);
    expect((await call(handler, original)).status).toBe(200);
    const before = await table.scanAll();

    const replay = withFields(original, (fields) => (fields.publish_timestamp = String(nowSec - 10)));
    expect(await call(handler, replay)).toMatchObject({ status: 401, body: { reason: 'replayed' } });
    expect(await table.scanAll()).toEqual(before);

    // The vendor's own retry of the original is no replay.
    expect(await call(handler, original)).toMatchObject({ status: 200, body: { duplicate: true } });
  });

  it('lets an expired guard be claimed again without trusting TTL to have deleted it', async () => {
    const { store } = await createTestTable();
    const claim = { provider: 'huawei', signature: 'ab'.repeat(32), identity: '1', expiresAtMs: nowMs };
    expect(await store.claimSignature(claim, nowMs - 1000)).toBe(true);
    expect(await store.claimSignature({ ...claim, identity: '2' }, nowMs - 1000)).toBe(false);
    expect(await store.claimSignature({ ...claim, identity: '2' }, nowMs + 2000)).toBe(true);
  });

  it('pairs by publish_timestamp, even when the stop comes first', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    await call(handler, fixture.callback({ ...start, kind: 'stop', timeSec: nowSec - 2 }));
    await call(handler, fixture.callback(start));
    const { sessions, state } = await table.store.readStream('huawei/push.example.com/live/cam');
    expect(sessions).toEqual([
      expect.objectContaining({
        sessionId: String(start.sessionStartSec),
        startedAt: new Date((nowSec - 30) * 1000).toISOString(),
        stoppedAt: new Date((nowSec - 2) * 1000).toISOString(),
        durationMs: 28_000,
      }),
    ]);
    expect(state?.live).toBe(false);
  });
});
