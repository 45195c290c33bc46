import { describe, expect, it } from 'vitest';
import { createTestTable } from '../support/dynamo';
import { call, handlerFor, withFields } from '../support/harness';
import { nowSec, fixtureFor, startOf } from '../support/providers';

const fixture = fixtureFor('jdcloud');
const start = startOf('cam');

describe('jdcloud', () => {
  it('accepts the older format and an event name with stray case and spaces', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const older = withFields(fixture.callback(start), (fields) => {
      for (const name of Object.keys(fields)) delete fields[name];
      Object.assign(fields, {
        domain: 'push.example.com',
        app: 'live',
        stream: 'cam',
        event: ' Publish_Started ',
        status: 'success',
      });
    });
    expect((await call(handler, older)).status).toBe(200);
    const { state } = await table.store.readStream('jdcloud/push.example.com/live/cam');
    expect(state).toMatchObject({ live: true });
  });

  it('pairs a stop that carries no time with the push that is live', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    await call(handler, fixture.callback(start));
    const documentedStop = withFields(fixture.callback({ ...start, kind: 'stop' }), (fields) => {
      delete fields.eventTime;
      delete fields.clientIp;
      delete fields.pushParams;
    });
    expect((await call(handler, documentedStop)).status).toBe(200);
    const { sessions, state } = await table.store.readStream('jdcloud/push.example.com/live/cam');
    expect(sessions).toEqual([
      expect.objectContaining({
        startedAt: new Date(start.timeSec * 1000).toISOString(),
        stoppedAt: new Date(nowSec * 1000).toISOString(),
      }),
    ]);
    expect(state).toMatchObject({ live: false });
  });

  it('keeps pushParams as publisher parameters and never stores the URL token', async () => {
    const table = await createTestTable();
    const answer = await call(handlerFor(fixture, table.store), fixture.callback(start));
    const [record] = (await table.store.readStream('jdcloud/push.example.com/live/cam')).events;
    expect(record).toMatchObject({ id: answer.body.id, params: { room: '42', lang: 'en' }, clientIp: '198.51.100.20' });
    expect(JSON.stringify(await table.scanAll())).not.toContain('tok-');
  });
});
