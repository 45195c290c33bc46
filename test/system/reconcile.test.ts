/**
 * Reconciliation against the real table engine (dynalite): a run reads the open pushes
 * and what it saw before, and repairs through the store's own save (docs/behaviour.md §7).
 * The vendor's list here is the port itself holding a given answer; the vendors' list
 * clients are tested against their stand-ins, nginx-rtmp's against the real nginx.
 */
import { describe, expect, it } from 'vitest';
import { mux } from '../../shared/providers/mux';
import { createReconcileHandler } from '../../shared/reconcile/handler';
import { buildRecord, streamKeyOf, type EventDraft } from '../../shared/record';
import type { LiveList, LivePush } from '../../shared/reconcile/live-list';
import { reconcile } from '../../shared/reconcile/reconcile';
import { createReconcileTable } from '../../shared/reconcile/table';
import { muxLiveList } from '../../shared/vendor-api/mux-live';
import { createTestTable, storeClient, type TestTable } from '../support/dynamo';
import { checkedNotification, keepingPublisher } from '../support/notifications';
import { startMux } from '../support/vendor-apis/mux';

const t0 = Date.parse('2026-12-06T10:00:00.000Z');
const minute = 60_000;
const graceMs = 10 * minute;

const muxLike = { name: 'mux', pairByTime: false };
const nginxLike = { name: 'nginx-rtmp', pairByTime: true };
type Adapter = typeof muxLike;

/** A list that answers what `live` holds when it is read. */
const listOf = (live: { pushes: LivePush[] }): LiveList => ({ list: async () => [...live.pushes] });

/** Saves a callback as the pipeline does (a real one: no origin). */
async function callback(table: TestTable, adapter: Adapter, draft: EventDraft, atMs: number) {
  const record = buildRecord(draft, {
    provider: adapter.name,
    streamKey: streamKeyOf(adapter.name, draft),
    raw: '{}',
    receivedAtMs: atMs,
  });
  const pairWithin = adapter.pairByTime ? (draft.pairingKey ?? '') : undefined;
  return table.store.save(record, { nowMs: atMs, pairWithin });
}

/** A world of one table and one vendor list, and a run of reconciliation at a time. */
async function world(adapter: Adapter) {
  const table = await createTestTable();
  const live = { pushes: [] as LivePush[] };
  const { publisher, notifications } = keepingPublisher();
  let now = t0;
  const run = (atMs: number) => {
    now = atMs;
    return reconcile({
      adapter,
      list: listOf(live),
      table: createReconcileTable(table.tableName, storeClient(table.endpoint), () => now),
      observedStore: createReconcileTable(table.tableName, storeClient(table.endpoint)),
      store: table.store,
      publisher,
      nowMs: atMs,
      graceMs,
      signal: new AbortController().signal,
    });
  };
  /** The stream's state without what only says which write was last. */
  const state = async (streamKey: string) => {
    const { state: found } = await table.store.readStream(streamKey);
    const { lastEventId: _id, ...rest } = found!;
    return rest;
  };
  return { table, live, run, state, notifications };
}

const draft = (kind: 'start' | 'stop', stream: string, extra: Partial<EventDraft> = {}): EventDraft => ({
  kind,
  domain: 'd',
  app: 'live',
  stream,
  ...extra,
});

describe('reconcile', () => {
  it('stops a push whose stop was lost, after the grace period, once, announced with origin reconcile', async () => {
    const { table, run, state, notifications } = await world(muxLike);
    await callback(table, muxLike, draft('start', 'cam', { sessionId: 's1', occurredAtMs: t0 }), t0);
    expect((await run(t0 + minute)).stops).toEqual([]);
    expect((await run(t0 + 5 * minute)).stops).toEqual([]);
    const repaired = await run(t0 + 11 * minute);
    expect(repaired.stops.map((stop) => [stop.sessionId, stop.origin])).toEqual([['s1', 'reconcile']]);
    expect(repaired.stored).toBe(1);
    expect(await state('mux/d/live/cam')).toMatchObject({ live: false, openPushes: 0 });
    const told = notifications.map((notification) => checkedNotification(JSON.stringify(notification)));
    expect(told.map((notification) => [notification.type, notification.record.origin])).toEqual([
      ['stream.stopped', 'reconcile'],
    ]);
    // Running again, and again the same observation: nothing new.
    const before = await table.contents();
    expect((await run(t0 + 12 * minute)).stops).toEqual([]);
    const again = await run(t0 + 11 * minute);
    expect(again.stored).toBe(0);
    expect((await table.contents()).filter((item) => !String(item.pk).startsWith('reconcile#'))).toEqual(
      before.filter((item) => !String(item.pk).startsWith('reconcile#')),
    );
  });

  it('starts a push whose start was lost, dated by the vendor', async () => {
    const { live, run, state } = await world(muxLike);
    live.pushes = [{ domain: 'd', app: 'live', stream: 'cam', sessionId: 's2', startedAtMs: t0 - minute }];
    await run(t0);
    expect((await run(t0 + 10 * minute)).starts.map((start) => start.origin)).toEqual(['reconcile']);
    expect(await state('mux/d/live/cam')).toMatchObject({
      live: true,
      sessionId: 's2',
      since: new Date(t0 - minute).toISOString(),
    });
  });

  it('a dry run says what it would repair and writes nothing', async () => {
    const { table, run } = await world(muxLike);
    await callback(table, muxLike, draft('start', 'cam', { sessionId: 's1', occurredAtMs: t0 }), t0);
    await run(t0);
    const before = await table.contents();
    const dry = await reconcile({
      adapter: muxLike,
      list: listOf({ pushes: [] }),
      table: createReconcileTable(table.tableName, storeClient(table.endpoint)),
      observedStore: createReconcileTable(table.tableName, storeClient(table.endpoint)),
      nowMs: t0 + 11 * minute,
      graceMs,
      dryRun: true,
      signal: new AbortController().signal,
    });
    expect(dry.stops.map((stop) => stop.sessionId)).toEqual(['s1']);
    expect(await table.contents()).toEqual(before);
  });

  for (const adapter of [muxLike, nginxLike]) {
    const push = adapter.pairByTime ? { pairingKey: '7' } : { sessionId: 's1' };
    it(`${adapter.name}: a real stop after a synthetic one leaves the state it leaves alone`, async () => {
      const repaired = await world(adapter);
      const alone = await world(adapter);
      const streamKey = streamKeyOf(adapter.name, draft('start', 'cam'));
      for (const { table } of [repaired, alone]) {
        await callback(table, adapter, draft('start', 'cam', { ...push, occurredAtMs: t0 }), t0);
      }
      repaired.live.pushes = [{ domain: 'd', app: 'live', stream: 'cam', ...push }];
      await repaired.run(t0 + minute);
      repaired.live.pushes = [];
      await repaired.run(t0 + 2 * minute);
      expect((await repaired.run(t0 + 12 * minute)).stops).toHaveLength(1);
      expect((await repaired.state(streamKey)).live).toBe(false);
      // The real stop was only late: it happened after the last list that showed the push.
      for (const { table } of [repaired, alone]) {
        await callback(table, adapter, draft('stop', 'cam', { ...push, occurredAtMs: t0 + 90_000 }), t0 + 13 * minute);
      }
      const withRepair = await repaired.state(streamKey);
      expect(withRepair).toEqual(await alone.state(streamKey));
    });

    it(`${adapter.name}: a real start after a synthetic one is the same push`, async () => {
      const repaired = await world(adapter);
      const alone = await world(adapter);
      const streamKey = streamKeyOf(adapter.name, draft('start', 'cam'));
      repaired.live.pushes = [{ domain: 'd', app: 'live', stream: 'cam', ...push, startedAtMs: t0 + 2_000 }];
      await repaired.run(t0 + minute);
      expect((await repaired.run(t0 + 11 * minute)).starts).toHaveLength(1);
      for (const { table } of [repaired, alone]) {
        await callback(table, adapter, draft('start', 'cam', { ...push, occurredAtMs: t0 }), t0 + 12 * minute);
      }
      const withRepair = await repaired.state(streamKey);
      expect(withRepair).toEqual(await alone.state(streamKey));
      expect(withRepair).toMatchObject({ live: true, openPushes: 1 });
    });
  }
});

describe("a cloud provider's reconcile function, end to end", () => {
  it("mux: a push live in the table but not in Mux's list is stopped after the grace, origin reconcile", async () => {
    const vendor = await startMux('token-id', 'token-secret');
    const table = await createTestTable();
    try {
      const environmentId = 'env-1';
      // Mux lists another stream live; `cam`, live in the table, is not in its list.
      vendor.liveStreams.push({ id: 'other', status: 'active', active_asset_id: 'asset-other' });
      await callback(
        table,
        muxLike,
        { kind: 'start', domain: environmentId, app: '', stream: 'cam', sessionId: 'asset-1', occurredAtMs: t0 },
        t0,
      );
      const { publisher, notifications } = keepingPublisher();
      let now = t0;
      const run = createReconcileHandler(mux, muxLiveList, {
        env: {
          LIVEHOOKS_TABLE: table.tableName,
          LIVEHOOKS_RECONCILE_INTERVAL: '300',
          LIVEHOOKS_MUX_API_TOKEN_ID: 'token-id',
          LIVEHOOKS_MUX_API_TOKEN_SECRET: 'token-secret',
          LIVEHOOKS_MUX_API_ENVIRONMENT_ID: environmentId,
        },
        client: storeClient(table.endpoint),
        store: table.store,
        publisher,
        now: () => now,
        endpoint: vendor.url,
      });
      const at = async (ms: number) => {
        now = ms;
        const result = await run();
        if ('off' in result) throw new Error('reconciliation is off: the credentials were not read');
        return result;
      };
      const first = await at(t0 + minute);
      expect([first.listed, first.open, first.stops.length]).toEqual([1, 1, 0]);
      // Within the grace (two intervals: 10 minutes) nothing is cut.
      expect((await at(t0 + 6 * minute)).stops).toEqual([]);
      const repaired = await at(t0 + 12 * minute);
      expect(repaired.stops.map((stop) => [stop.streamKey, stop.sessionId, stop.origin])).toEqual([
        [streamKeyOf('mux', { domain: environmentId, app: '', stream: 'cam' }), 'asset-1', 'reconcile'],
      ]);
      const { state } = await table.store.readStream(repaired.stops[0]!.streamKey);
      expect(state).toMatchObject({ live: false, openPushes: 0 });
      const told = notifications.map((notification) => checkedNotification(JSON.stringify(notification)));
      expect(told.filter((notification) => notification.type === 'stream.stopped').map((n) => n.record.origin)).toEqual(
        ['reconcile'],
      );
      // Mux's listed stream, never started in the table, is started by the same run.
      expect(repaired.starts.map((start) => [start.sessionId, start.origin])).toEqual([['asset-other', 'reconcile']]);
    } finally {
      await vendor.close();
    }
  });
});
