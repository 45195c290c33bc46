import { describe, expect, it } from 'vitest';
import type { StreamNotification } from '../../shared/notification';
import { createTestTable } from '../support/dynamo';
import { eventBridgeFixtures } from '../support/event-bridge';
import { call, handlerFor } from '../support/harness';
import { keepingPublisher } from '../support/notifications';
import { nowSec, providerFixtures, type CallbackSpec } from '../support/providers';

/**
 * Issue 24's three cases, as the vendors send them (docs/behaviour.md §4): a stream is live
 * while any of its pushes is open. Each push is one session; `push(1)` starts 100 s ago.
 */
const push = (index: number) => ({ stream: 'cam', sessionStartSec: nowSec - 100 + index * 10 });
const start = (index: number, timeSec = push(index).sessionStartSec): CallbackSpec => ({
  kind: 'start',
  ...push(index),
  timeSec,
});
const stop = (index: number, timeSec: number): CallbackSpec => ({ kind: 'stop', ...push(index), timeSec });

const cases: [string, CallbackSpec[], { current: number }][] = [
  // The publisher reconnected (push 2); the origin noticed push 1's dead connection after.
  ['a reconnect, with the late interrupt of the old push', [start(1), start(2), stop(1, nowSec - 60)], { current: 2 }],
  // Primary (1) and backup (2) ingest of one stream; the backup stops first.
  ['primary and backup ingest, the backup stopping first', [start(1), start(2), stop(2, nowSec - 60)], { current: 1 }],
  // Alibaba's dual-stream recovery: two publishes of one name, then one publish_done.
  ['two publishes of one name and one publish_done', [start(2), start(1), stop(2, nowSec - 60)], { current: 1 }],
];

/** A source: its stream key and a delivery of one callback through its real handler. */
interface Source {
  name: string;
  /** The vendor sends a value that tells its pushes apart (a session value, or a pairing key per push). */
  tellsPushesApart: boolean;
  streamKey: string;
  deliverer(
    store: ReturnType<typeof keepingPublisher>['publisher'],
    table: Awaited<ReturnType<typeof createTestTable>>,
  ): (callback: CallbackSpec) => Promise<void>;
}

const pairingKeyVendors = new Set(['nginx-rtmp', 'ome']);
const sources: Source[] = [
  ...providerFixtures.map((fixture): Source => ({
    name: fixture.adapter.name,
    tellsPushesApart: !fixture.adapter.pairByTime || pairingKeyVendors.has(fixture.adapter.name),
    streamKey: fixture.streamKey('cam'),
    deliverer: (publisher, table) => async (callback) => {
      // Origins send no event time: the receive time is it.
      const now = fixture.sendsEventTime ? undefined : callback.timeSec * 1000;
      const handler = handlerFor(fixture, table.store, fixture.env, now, publisher);
      expect((await call(handler, fixture.callback(callback))).status).toBe(200);
    },
  })),
  ...eventBridgeFixtures.map((fixture): Source => ({
    name: fixture.adapter.name,
    tellsPushesApart: true,
    streamKey: fixture.streamKey('cam'),
    deliverer: (publisher, table) => {
      const handler = fixture.handler({ env: {}, store: table.store, publisher });
      return async (callback) => expect((await handler(fixture.event(callback))).code).toBe(0);
    },
  })),
];

describe.each(sources)('$name', (source) => {
  it.each(cases)('stays live through %s', async (_case, callbacks, { current }) => {
    const table = await createTestTable();
    const { publisher, notifications } = keepingPublisher();
    const deliver = source.deliverer(publisher, table);
    for (const callback of callbacks) await deliver(callback);

    const { state, sessions } = await table.store.readStream(source.streamKey);
    expect(state).toMatchObject({ live: true, openPushes: 1 });
    expect(state!.pushes).toHaveLength(1);
    expect(await table.store.listLiveStreams()).toMatchObject([{ streamKey: source.streamKey }]);
    const told = (notification: StreamNotification) => notification.streamKey === source.streamKey;
    const types = notifications.filter(told).map((notification) => notification.type);
    expect(types[0]).toBe('stream.started');
    expect(types).not.toContain('stream.stopped');
    expect(notifications.filter(told).at(-1)!.state).toMatchObject({ live: true, openPushes: 1 });
    if (source.tellsPushesApart) {
      // Which push is live is known: the one whose session began at `current`.
      const live = sessions.find((session) => session.stoppedAt === undefined);
      expect(live?.startedAt).toBe(new Date(push(current).sessionStartSec * 1000).toISOString());
      expect(state!.sessionId).toBe(live!.sessionId);
      expect(state!.pushes[0]).toEqual({ sessionId: live!.sessionId, startedAt: live!.startedAt });
    }

    // The last push's stop ends the stream, once.
    const other = callbacks.find(
      (callback) => callback.kind === 'start' && callback.sessionStartSec === push(current).sessionStartSec,
    )!;
    await deliver({ ...other, kind: 'stop', timeSec: nowSec - 50 });
    expect((await table.store.readStream(source.streamKey)).state).toMatchObject({
      live: false,
      openPushes: 0,
      pushes: [],
    });
    expect(await table.store.listLiveStreams()).toEqual([]);
    const all = notifications.filter(told).map((notification) => notification.type);
    expect(all.filter((type) => type === 'stream.started')).toHaveLength(1);
    expect(all.filter((type) => type === 'stream.stopped')).toHaveLength(1);
    expect(all.at(-1)).toBe('stream.stopped');
  });
});

/**
 * Three connections of one stream back to back, each closing as the next opens (a publisher
 * reconnecting every second), their callbacks in the order a property run found (seed
 * 49101209): a stop is counted only against a push of its own connection, so a stop whose
 * start has not arrived leaves another connection's push open (docs/behaviour.md §4).
 */
describe.each(sources.filter((source) => pairingKeyVendors.has(source.name)))('$name', (source) => {
  it('counts a stop only within its own connection, whatever arrives first', async () => {
    const table = await createTestTable();
    const { publisher } = keepingPublisher();
    const deliver = source.deliverer(publisher, table);
    const at = (index: number) => nowSec - 100 + index;
    const connection = (index: number) => ({ stream: 'cam', sessionStartSec: at(index) });
    const opening = (index: number): CallbackSpec => ({ kind: 'start', ...connection(index), timeSec: at(index) });
    const closing = (index: number): CallbackSpec => ({ kind: 'stop', ...connection(index), timeSec: at(index + 1) });
    const steps: [CallbackSpec, number][] = [
      [closing(1), 0],
      [closing(0), 0],
      // Connection 1's closing, at the same second, is not connection 2's.
      [opening(2), 1],
      // Connection 0's closing came first: its opening opens nothing.
      [opening(0), 1],
      [closing(2), 0],
      [opening(1), 0],
    ];
    for (const [callback, open] of steps) {
      await deliver(callback);
      const { state } = await table.store.readStream(source.streamKey);
      expect(state, JSON.stringify(callback)).toMatchObject({ live: open > 0, openPushes: open });
      if (callback === steps[2]![0]) expect(state!.pushes[0]!.startedAt).toBe(new Date(at(2) * 1000).toISOString());
    }
    const { sessions } = await table.store.readStream(source.streamKey);
    const iso = (sec: number) => new Date(sec * 1000).toISOString();
    expect(sessions.map(({ startedAt, stoppedAt }) => [startedAt, stoppedAt]).sort()).toEqual(
      [0, 1, 2].map((index) => [iso(at(index)), iso(at(index + 1))]),
    );
  });
});
