import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { buildRecord, streamKeyOf, type EventDraft } from '../../../../shared/record';
import { createTestTable } from '../../../support/dynamo';
import { nowMs } from '../../../support/providers';

/** A record of stream cam1 at `second` (seconds after a fixed time), received at `receivedSecond`. */
const at = (second: number) => nowMs - 1_000_000 + second * 1000;
const iso = (second: number) => new Date(at(second)).toISOString();
const recordOf = (kind: 'start' | 'stop', second: number, sessionId?: string, receivedSecond = second) => {
  const draft: EventDraft = { kind, domain: 'd', app: 'live', stream: 'cam1', occurredAtMs: at(second) };
  if (sessionId) draft.sessionId = sessionId;
  return buildRecord(draft, {
    provider: 'p',
    streamKey: streamKeyOf('p', draft),
    raw: `{"received":${receivedSecond}}`,
    receivedAtMs: at(receivedSecond),
  });
};

const saveOf =
  (store: Awaited<ReturnType<typeof createTestTable>>['store'], pairWithin?: string) =>
  async (kind: 'start' | 'stop', second: number, sessionId?: string, receivedSecond?: number) =>
    await store.save(recordOf(kind, second, sessionId, receivedSecond), { nowMs: at(60), pairWithin, announce: true });

const pushAt = (sessionId: string, second: number) => ({ sessionId, startedAt: iso(second) });

describe('announcements of a vendor with session values', () => {
  it('tell what each callback changed, the state after it, and the session’s halves', async () => {
    const { store } = await createTestTable();
    const save = saveOf(store);
    const announce = async (kind: 'start' | 'stop', second: number, sessionId: string) => {
      const [told] = (await save(kind, second, sessionId)).announcements;
      return { type: told!.type, ...told!.notice };
    };

    expect(await announce('start', 10, 's1')).toEqual({
      type: 'stream.started',
      state: {
        live: true,
        since: iso(10),
        sessionId: 's1',
        openPushes: 1,
        pushes: [pushAt('s1', 10)],
        lastEventAt: iso(10),
        changed: true,
        order: 'v2#000000000001',
      },
      session: { sessionId: 's1', startedAt: iso(10) },
    });
    expect(await announce('stop', 20, 's1')).toEqual({
      type: 'stream.stopped',
      state: {
        live: false,
        since: iso(20),
        openPushes: 0,
        pushes: [],
        lastEventAt: iso(20),
        changed: true,
        order: 'v2#000000000002',
      },
      session: { sessionId: 's1', startedAt: iso(10), stoppedAt: iso(20), durationMs: 10_000 },
    });
    await announce('start', 30, 's2');
    // A late stop of an older push changes nothing: the newer push stays live.
    const late = await announce('stop', 5, 's0');
    expect(late).toMatchObject({ type: 'push.stopped', state: { live: true, sessionId: 's2', changed: false } });
    expect(late.session).toEqual({ sessionId: 's0', stoppedAt: iso(5) });
    // A stop that came before its start closes that push in advance: the late start does not open it.
    await announce('stop', 50, 's3');
    expect(await announce('start', 40, 's3')).toMatchObject({
      type: 'push.started',
      state: { live: true, sessionId: 's2', openPushes: 1, changed: false },
      session: { sessionId: 's3', startedAt: iso(40), stoppedAt: iso(50), durationMs: 10_000 },
    });
  });

  it('keep a stream live while any push is open, and name a failover', async () => {
    const { store } = await createTestTable();
    const save = saveOf(store);
    const type = async (kind: 'start' | 'stop', second: number, sessionId: string) =>
      (await save(kind, second, sessionId)).announcements[0]!.type;
    expect(await type('start', 10, 'a')).toBe('stream.started');
    // The publisher reconnected: b is now the current push.
    expect(await type('start', 20, 'b')).toBe('stream.failover');
    // The origin noticed a's dead connection late.
    expect(await type('stop', 25, 'a')).toBe('push.stopped');
    expect((await store.readStream(recordOf('start', 0).streamKey)).state).toMatchObject({
      live: true,
      since: iso(10),
      sessionId: 'b',
      openPushes: 1,
      pushes: [pushAt('b', 20)],
      lastEventAt: iso(25),
    });
    // Backup pushes: the current one stops, the other carries on.
    expect(await type('start', 30, 'c')).toBe('stream.failover');
    expect(await type('stop', 35, 'c')).toBe('stream.failover');
    expect(await type('stop', 40, 'b')).toBe('stream.stopped');
  });

  it('give a retry the record as first stored and the announcement of its first save, whatever happened since', async () => {
    const { store } = await createTestTable();
    const save = saveOf(store);
    const first = await save('start', 10, 's1');
    await save('stop', 20, 's1');
    // The vendor's retry, received later, with its own payload.
    const retry = await save('start', 10, 's1', 25);
    expect(retry.result).toBe('duplicate');
    expect(retry.record).toEqual(first.record);
    expect(retry.announcements).toEqual(first.announcements);
  });

  it('upgrade a state item of the previous version in place', async () => {
    const { store, tableName, client } = await createTestTable();
    const record = recordOf('start', 10, 'old');
    const previous = {
      pk: `stream#${record.streamKey}`,
      sk: 'state',
      streamKey: record.streamKey,
      provider: 'p',
      domain: 'd',
      app: 'live',
      stream: 'cam1',
      live: true,
      since: iso(10),
      sessionId: 'old',
      lastSessionId: 'old',
      lastEventId: record.id,
      lastAt: `${iso(10)}#0#${record.id}`,
      liveIndex: 'live',
    };
    await client.send(new PutItemCommand({ TableName: tableName, Item: marshall(previous) }));
    expect((await store.readStream(record.streamKey)).state).toMatchObject({
      live: true,
      openPushes: 1,
      sessionId: 'old',
    });
    // A second push, then the old one's stop: the stream stays live, and the item is of this version.
    expect((await saveOf(store)('start', 20, 'new')).announcements[0]!.type).toBe('stream.failover');
    const told = (await saveOf(store)('stop', 30, 'old')).announcements[0]!;
    expect(told).toMatchObject({ type: 'push.stopped', notice: { state: { live: true, sessionId: 'new' } } });
    expect(await store.listLiveStreams()).toMatchObject([{ streamKey: record.streamKey, openPushes: 1 }]);
  });
});

describe('announcements of a vendor paired by time', () => {
  it('name the push a stop belongs to, and a late start the stop that came first', async () => {
    const { store } = await createTestTable();
    const announce = async (kind: 'start' | 'stop', second: number) => {
      const saved = await saveOf(store, '')(kind, second);
      return { record: saved.record, ...saved.announcements[0]!.notice };
    };

    await announce('start', 10);
    const stop = await announce('stop', 20);
    expect(stop.record.sessionId).toBe(`start@${iso(10)}`);
    expect(stop.session).toEqual({
      sessionId: `start@${iso(10)}`,
      startedAt: iso(10),
      stoppedAt: iso(20),
      durationMs: 10_000,
    });
    // A stop whose start has not come yet belongs to the latest start before it, for now;
    // the start's announcement names it when it comes (a consumer keeps the earlier stop).
    const early = await announce('stop', 40);
    expect(early.session).toMatchObject({ sessionId: `start@${iso(10)}`, stoppedAt: iso(40) });
    const start = await announce('start', 30);
    expect(start.session).toEqual({
      sessionId: `start@${iso(30)}`,
      startedAt: iso(30),
      stoppedAt: iso(40),
      durationMs: 10_000,
    });
    // With no start before it at all, the stop waits under a session of its own.
    const { store: fresh } = await createTestTable();
    const alone = await saveOf(fresh, '')('stop', 40);
    expect(alone.announcements[0]!.notice.session).toEqual({ sessionId: `stop@${iso(40)}`, stoppedAt: iso(40) });
  });

  it('count the pushes open, whatever the order: two publishes and one publish_done leave one open', async () => {
    const { store } = await createTestTable();
    const save = saveOf(store, '');
    const streamKey = recordOf('start', 0).streamKey;
    await save('stop', 30);
    await save('start', 10);
    expect((await store.readStream(streamKey)).state).toMatchObject({ live: false });
    await save('start', 20);
    // One of the two pushes ended; which one, nothing in the callbacks says.
    expect((await store.readStream(streamKey)).state).toMatchObject({ live: true, openPushes: 1 });
    await save('stop', 40);
    expect((await store.readStream(streamKey)).state).toMatchObject({ live: false, openPushes: 0, since: iso(40) });
  });
});

describe('a first callback older than the retry horizon', () => {
  it('leaves a state whose times are the watermark it was forgotten under, never a missing one', async () => {
    const { store } = await createTestTable();
    const old = recordOf('stop', 0);
    const saved = await store.save(old, { nowMs: at(0) + 3 * 86_400_000, pairWithin: '', announce: true });
    const { state } = saved.announcements[0]!.notice;
    expect({ since: state.since, lastEventAt: state.lastEventAt, live: state.live }).toEqual({
      since: old.occurredAt,
      lastEventAt: old.occurredAt,
      live: false,
    });
  });
});

describe('logical streams', () => {
  it('are live while any member is, and name the member carrying the current push', async () => {
    const { store } = await createTestTable();
    const members = ['p/d/live/cam1', 'q/d/live/cam1'];
    const logical = { name: 'show', members };
    const save = async (kind: 'start' | 'stop', second: number, sessionId: string, provider: 'p' | 'q') => {
      const draft: EventDraft = { kind, domain: 'd', app: 'live', stream: 'cam1', occurredAtMs: at(second), sessionId };
      const record = buildRecord(draft, {
        provider,
        streamKey: streamKeyOf(provider, draft),
        raw: '{}',
        receivedAtMs: at(second),
      });
      const saved = await store.save(record, { nowMs: at(60), logical });
      expect(saved.announcements.map((told) => told.streamKey)).toEqual([record.streamKey, 'logical/show']);
      return saved.announcements[1]!;
    };
    expect((await save('start', 10, 'a', 'p')).type).toBe('stream.started');
    const failover = await save('start', 20, 'b', 'q');
    expect(failover).toMatchObject({ type: 'stream.failover', notice: { state: { currentMember: 'q/d/live/cam1' } } });
    expect((await save('stop', 30, 'b', 'q')).notice.state).toMatchObject({
      live: true,
      currentMember: 'p/d/live/cam1',
    });
    expect((await store.readStream('logical/show')).state).toMatchObject({
      provider: 'logical',
      streamKey: 'logical/show',
      live: true,
      openPushes: 1,
      pushes: [{ sessionId: 'a', startedAt: iso(10), streamKey: 'p/d/live/cam1' }],
      members: [
        { streamKey: 'p/d/live/cam1', live: true, sessionId: 'a' },
        { streamKey: 'q/d/live/cam1', live: false },
      ],
      currentMember: 'p/d/live/cam1',
    });
    expect((await save('stop', 40, 'a', 'p')).type).toBe('stream.stopped');
  });
});

describe('events, newest first', () => {
  it('list events of the same second in the order they came, whatever their ids', async () => {
    const { store } = await createTestTable();
    // Three starts stamped with the same whole second, received a second apart, saved out of order.
    const [first, second, third] = ['s1', 's2', 's3'].map((sessionId, index) =>
      recordOf('start', 10, sessionId, 11 + index),
    );
    for (const record of [third!, first!, second!]) await store.save(record, { nowMs: at(60) });
    expect((await store.listEvents()).map((event) => event.sessionId)).toEqual(['s3', 's2', 's1']);
    expect((await store.readStream(first!.streamKey)).events.map((event) => event.sessionId)).toEqual([
      's3',
      's2',
      's1',
    ]);
  });
});
