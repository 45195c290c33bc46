import { describe, expect, it } from 'vitest';
import { createDynamoStore } from '../../../../shared/store/reader';
import { createTestTable } from '../../../support/dynamo';
import { clientWithInjectedFaults } from '../../../support/faults';
import { call, handlerFor, withFields } from '../../../support/harness';
import { nowSec, fixtureFor, startOf, type CallbackSpec } from '../../../support/providers';

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

  // More stops than one page of the store's query (25), so that a start's claims go past it.
  const pushes = Array.from({ length: 30 }, (_, index) => {
    const startSec = nowSec - 600 + index * 10;
    const start: CallbackSpec = { kind: 'start', stream: 'cam', sessionStartSec: startSec, timeSec: startSec };
    return { start, stop: { ...start, kind: 'stop' as const, timeSec: startSec + 5 } };
  });
  const expectedSessions = pushes.map(({ start, stop }) =>
    expect.objectContaining({
      startedAt: new Date(start.timeSec * 1000).toISOString(),
      stoppedAt: new Date(stop.timeSec * 1000).toISOString(),
    }),
  );

  it.each([
    ['oldest first', pushes],
    ['newest first', [...pushes].reverse()],
  ])('pairs thirty stops that arrived before their starts, the starts coming %s', async (_, starts) => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    for (const { stop } of pushes) expect((await call(handler, fixture.callback(stop))).status).toBe(200);
    for (const { start } of starts) expect((await call(handler, fixture.callback(start))).status).toBe(200);
    const { sessions, state } = await table.store.readStream('jdcloud/push.example.com/live/cam');
    expect(sessions).toEqual(expectedSessions);
    expect(state).toMatchObject({ live: false, since: new Date(pushes.at(-1)!.stop.timeSec * 1000).toISOString() });
  });

  it('gives a start every stop up to the next start, past a page of the query', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    for (const { stop } of pushes) expect((await call(handler, fixture.callback(stop))).status).toBe(200);
    // Only the first push's start arrives: every stop after it is its own.
    await call(handler, fixture.callback(pushes[0]!.start));
    const { events } = await table.store.readStream('jdcloud/push.example.com/live/cam');
    const start = events.find((event) => event.kind === 'start')!;
    const stops = events.filter((event) => event.kind === 'stop');
    expect(stops).toHaveLength(pushes.length);
    expect(new Set(stops.map((stop) => stop.sessionId))).toEqual(new Set([start.sessionId]));
  });

  it('lets a late start claim its own stop and look no further', async () => {
    const table = await createTestTable();
    const commands: string[] = [];
    const client = clientWithInjectedFaults(table.endpoint, (command) => (commands.push(command), false));
    const handler = handlerFor(fixture, createDynamoStore({ tableName: table.tableName, client }));
    for (const [index, { start, stop }] of pushes.entries()) {
      if (index > 0) await call(handler, fixture.callback(start));
      await call(handler, fixture.callback(stop));
    }
    commands.length = 0;
    expect((await call(handler, fixture.callback(pushes[0]!.start))).status).toBe(200);
    // The stream's state read, one write, one query of the stops after it, one claim of its
    // own stop: no query past the stop a later start holds.
    expect(commands.sort()).toEqual(['GetItemCommand', 'PutItemCommand', 'QueryCommand', 'UpdateItemCommand']);
    const { sessions } = await table.store.readStream('jdcloud/push.example.com/live/cam');
    expect(sessions).toEqual(expectedSessions);
  });
});
