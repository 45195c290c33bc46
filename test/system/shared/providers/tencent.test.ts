import { describe, expect, it } from 'vitest';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor, withFields } from '../../../support/harness';
import { nowSec, fixtureFor, startOf } from '../../../support/providers';

const fixture = fixtureFor('tencent');
const start = startOf('cam');

describe('tencent', () => {
  it('accepts t and sequence sent as strings or numbers, and keeps the interruption code', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const asString = withFields(fixture.callback(start), (fields) => (fields.t = String(fields.t)));
    expect((await call(handler, asString)).status).toBe(200);
    const stop = withFields(
      fixture.callback({ ...start, kind: 'stop', timeSec: nowSec - 1 }),
      (fields) => (fields.sequence = 987654321),
    );
    const stopped = await call(handler, stop);
    expect(stopped.status).toBe(200);
    const { events } = await table.store.readStream('tencent/push.example.com/live/cam');
    expect(events.find((event) => event.id === stopped.body.id)).toMatchObject({
      sessionId: '987654321',
      reason: { code: '1', message: 'recv rtmp deleteStream' },
      params: { txTime: '5C2E1B7F' },
    });
  });

  it('acknowledges unknown event types without failing on their fields', async () => {
    const { store, scanAll } = await createTestTable();
    const handler = handlerFor(fixture, store);
    for (const eventType of [200, 314, 999, '332']) {
      const event = withFields(fixture.ignored()[0]!, (fields) => (fields.event_type = eventType));
      expect(await call(handler, event)).toEqual({ status: 200, body: { code: 0, ignored: true } });
    }
    expect(await scanAll()).toEqual([]);
  });
});
