/**
 * A reconnect storm (issue: a CDN edge fails, 50,000 publishers drop and reconnect within a
 * minute: 100,000 callbacks) against DynamoDB's per-partition write limit, as the partition
 * model (test/support/partition-model.ts) holds it, with the vendors' retry schedules
 * (docs/vendors.md, "Delivery"). Two scales, honestly apart:
 *
 * - the whole storm on a virtual clock, through the model alone: each callback's writes
 *   charged to the partitions they touch, a throttled one retried on its vendor's
 *   schedule, until it lands or the vendor gives up;
 * - a 1/100 sample in CI (500 streams, 1,000 callbacks; `STORM_SCALE`, 250 by default: 200
 *   streams) through the real pipeline, store and dynalite, behind the model scaled by the
 *   same 1/100 (10 write units a second a partition): dynalite serves one request at a
 *   time, too slowly for 100,000 callbacks in a test. Every rate in the sample is the
 *   storm's divided by the scale, so each partition is as far over or under its scaled
 *   limit as in the storm. (At 1/500, two units a second, a partition's burst is a couple
 *   of writes, and the sample no longer stands for the storm.)
 *
 * The unsharded keys of earlier versions (`live`, the day) lose callbacks for good; the
 * sharded ones throttle nothing, and every callback lands once.
 */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../shared/handler';
import { createDynamoStore } from '../../shared/store/reader';
import { liveShardOf, recentKeysOf } from '../../shared/store/table';
import { createTestTable } from '../support/dynamo';
import {
  chargesOfPut,
  clientWithPartitionModel,
  createPartitionModel,
  partitionWriteUnits,
  type Charge,
  type Layout,
} from '../support/partition-model';
import { fixtureFor, nowMs, nowSec, type CallbackSpec } from '../support/providers';

/** What each vendor does after a 503, in milliseconds between attempts (docs/vendors.md, "Delivery"). */
const retryDelaysMs: Record<string, number[]> = {
  // Up to five retries a second apart.
  alibaba: [1000, 1000, 1000, 1000, 1000],
  // Waits of 1, 2, 4 and 8 s, five attempts in all.
  livekit: [1_000, 2_000, 4_000, 8_000],
  // 12 retries a minute apart.
  tencent: Array.from({ length: 12 }, () => 60_000),
  // Never retried: a 503 refuses the push (nginx-rtmp, OvenMediaEngine; Cloudflare documents none).
  'nginx-rtmp': [],
};

/** One callback of the storm: its stream, kind and the time (ms into the storm) its vendor first sends it. */
interface StormCallback {
  stream: number;
  kind: 'start' | 'stop';
  atMs: number;
}

/**
 * The storm: each stream's push drops at a time within the first 30 s (its stop), and the
 * publisher reconnects 1 to 30 s later (its start), all inside one minute. Seeded, so that
 * every run is the same storm.
 */
function reconnectStorm(streams: number, seed = 29): StormCallback[] {
  let state = seed;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: streams }, (_, stream) => {
    const stopAt = Math.floor(random() * 30_000);
    return [
      { stream, kind: 'stop' as const, atMs: stopAt },
      { stream, kind: 'start' as const, atMs: stopAt + 1000 + Math.floor(random() * 29_000) },
    ];
  }).flat();
}

/**
 * Delivers the storm on a virtual clock: attempts in time order; a callback that is not
 * taken comes again after its vendor's next delay, until none is left. Returns the
 * callbacks lost for good.
 */
async function deliver(
  storm: StormCallback[],
  delaysMs: number[],
  attempt: (callback: StormCallback, index: number, atMs: number) => boolean | Promise<boolean>,
): Promise<{ lost: StormCallback[]; attempts: number }> {
  // A binary heap of [time, callback index, retries so far], earliest first.
  const heap: [number, number, number][] = [];
  const before = (a: [number, number, number], b: [number, number, number]) =>
    a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const push = (entry: [number, number, number]) => {
    heap.push(entry);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = () => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const [left, right] = [2 * i + 1, 2 * i + 2];
        let least = i;
        if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
        if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
        if (least === i) break;
        [heap[i], heap[least]] = [heap[least]!, heap[i]!];
        i = least;
      }
    }
    return top;
  };
  storm.forEach((callback, index) => push([callback.atMs, index, 0]));
  const lost: StormCallback[] = [];
  let attempts = 0;
  while (heap.length > 0) {
    const [atMs, index, retries] = pop();
    attempts++;
    if (await attempt(storm[index]!, index, atMs)) continue;
    if (retries < delaysMs.length) push([atMs + delaysMs[retries]!, index, retries + 1]);
    else lost.push(storm[index]!);
  }
  return { lost, attempts };
}

const streamKeyOf = (stream: number) => `alibaba/live.example.com/live/cam-${stream}`;

/**
 * The storm through the model alone: each callback puts its stream's state (in or out of
 * the live index) and its event (into the recent index), as the store does; a retry does
 * again only what did not land.
 */
function stormThroughModel(layout: Layout, delaysMs: number[], storm = reconnectStorm(50_000)) {
  const model = createPartitionModel();
  const landed = new Map<number, number>();
  const writesOf = (callback: StormCallback, index: number): Charge[][] => {
    const streamKey = streamKeyOf(callback.stream);
    const pk = `stream#${streamKey}`;
    const receivedAt = new Date(nowMs + callback.atMs).toISOString();
    const live = callback.kind === 'start' ? { liveShard: liveShardOf(streamKey) } : {};
    return [
      chargesOfPut({ pk, sk: 'state', streamKey, ...live }, layout),
      chargesOfPut({ pk, sk: `event#${index}`, ...recentKeysOf({ receivedAt, id: String(index), streamKey }) }, layout),
    ];
  };
  return deliver(storm, delaysMs, (callback, index, atMs) => {
    const writes = writesOf(callback, index);
    for (let next = landed.get(index) ?? 0; next < writes.length; next++) {
      if (model.write(writes[next]!, atMs)) return false;
      landed.set(index, next + 1);
    }
    return true;
  }).then((result) => ({ ...result, throttled: model.throttled }));
}

describe('a reconnect storm of 100,000 callbacks in a minute, on a virtual clock', () => {
  it('loses callbacks for good on the unsharded keys, with Alibaba’s five retries a second apart', async () => {
    const { lost, throttled } = await stormThroughModel('unsharded', retryDelaysMs.alibaba!);
    expect(lost.length).toBeGreaterThan(1000);
    // Only the two keys every callback writes under (the live one, written first, takes most).
    const day = new Date(nowMs).toISOString().slice(0, 10);
    expect(throttled.get('live-streams/live')).toBeGreaterThan(1000);
    expect([...throttled.keys()].filter((key) => key !== 'live-streams/live' && key !== `recent/${day}`)).toEqual([]);
  }, 120_000);

  it.each(Object.keys(retryDelaysMs))(
    'throttles nothing on the sharded keys (%s’s retries)',
    async (vendor) => {
      const { lost, throttled, attempts } = await stormThroughModel('sharded', retryDelaysMs[vendor]!);
      expect(lost).toEqual([]);
      expect(throttled.size).toBe(0);
      expect(attempts).toBe(100_000);
    },
    120_000,
  );
});

/** `STORM_SCALE`: the sample is 1/scale of the storm; 100 in CI, 250 by default. */
const scale = Number(process.env.STORM_SCALE ?? 250);
if (!Number.isInteger(scale) || 50_000 % scale !== 0 || scale < 100 || scale > 250) {
  throw new Error(`STORM_SCALE must divide 50,000 and lie in 100..250, got "${process.env.STORM_SCALE}"`);
}

describe(`a 1/${scale} sample of the storm through the pipeline and dynalite`, () => {
  const fixture = fixtureFor('alibaba');
  const streams = 50_000 / scale;
  const spec = (stream: number, kind: 'start' | 'stop', atMs: number): CallbackSpec => ({
    kind,
    stream: `cam-${stream}`,
    // The push that drops began an hour ago; the new one begins when its publisher reconnects.
    sessionStartSec: kind === 'stop' ? nowSec - 3600 : nowSec + Math.floor(atMs / 1000),
    timeSec: nowSec + Math.floor(atMs / 1000),
  });

  /** Every stream live before the storm (no model), then the storm behind the model of `layout`. */
  async function sample(layout: Layout) {
    const table = await createTestTable();
    const before = createHandler(fixture.adapter, {
      env: fixture.env,
      store: table.store,
      now: () => nowMs - 3_600_000,
    });
    for (let stream = 0; stream < streams; stream++) {
      const answer = await before(
        fixture.callback({ ...spec(stream, 'start', 0), sessionStartSec: nowSec - 3600, timeSec: nowSec - 3600 }),
        {} as Context,
      );
      expect(answer.statusCode).toBe(200);
    }
    let clockMs = 0;
    const model = createPartitionModel(partitionWriteUnits / scale);
    const client = clientWithPartitionModel(model, layout, () => clockMs, table.endpoint);
    const store = createDynamoStore({ tableName: table.tableName, client });
    const handler = createHandler(fixture.adapter, { env: fixture.env, store, now: () => nowMs + clockMs });
    const statuses = new Map<number, number>();
    const { lost, attempts } = await deliver(
      reconnectStorm(streams),
      retryDelaysMs.alibaba!,
      async (callback, _, atMs) => {
        clockMs = atMs;
        const answer = await handler(
          fixture.callback(spec(callback.stream, callback.kind, callback.atMs)),
          {} as Context,
        );
        const status = answer.statusCode!;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 503) expect(JSON.parse(answer.body!)).toMatchObject({ reason: 'throttled' });
        else expect(status).toBe(200);
        return status === 200;
      },
    );
    const events = (await table.scanAll()).filter((item) => String(item.sk).startsWith('event#'));
    return { lost, attempts, statuses, events, table, throttled: model.throttled };
  }

  it('loses callbacks on the unsharded keys: each lost one is missing from the table', async () => {
    const { lost, statuses, events } = await sample('unsharded');
    expect(lost.length).toBeGreaterThan(0);
    expect(statuses.get(503)).toBeGreaterThan(0);
    expect(events).toHaveLength(streams + 2 * streams - lost.length);
  }, 300_000);

  it('lands every callback once on the sharded keys, and lists every stream live', async () => {
    const { lost, attempts, events, table, throttled } = await sample('sharded');
    expect(lost).toEqual([]);
    expect(throttled.size).toBe(0);
    expect(attempts).toBe(2 * streams);
    // The first start, the stop and the new start of every stream, once each.
    expect(events).toHaveLength(3 * streams);
    expect(new Set(events.map((item) => item.id)).size).toBe(3 * streams);
    const live = await table.store.listLiveStreams();
    expect(live).toHaveLength(streams);
    expect(live.every((state) => state.openPushes === 1)).toBe(true);
  }, 300_000);
});
