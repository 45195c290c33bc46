import type { CreateTableCommandInput, GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import type { EventKind, StreamEvent } from '../record';
import {
  laneFunction,
  markText,
  pushesOf,
  timeLaneOf,
  withMark,
  type Change,
  type LaneOf,
  type Mark,
  type PushMarks,
  type Pushes,
} from './pushes';

/**
 * One table holds everything (docs/behaviour.md §5):
 *
 * | item   | pk                     | sk           | notes                                            |
 * | ------ | ---------------------- | ------------ | ------------------------------------------------ |
 * | event  | `stream#<streamKey>`   | `event#<id>` | the record's fields; `timeKey` if paired by time; `notice` once announced |
 * | state  | `stream#<streamKey>`   | `state`      | `started`/`stopped` marks (`repaired`: those reconciliation made), live, since, current sessionId; `liveShard` while a push is open |
 * | logical state | `logical#<name>` | `state`   | the same, for a logical stream's members' pushes   |
 * | guard  | `guard#<provider>#<h>` | `guard`      | replay guard (h: the signature's SHA-256), TTL   |
 * | refusal | `refusal#<day>`       | `<receivedAt>#<id>` | a kept refusal (refusal.ts), TTL              |
 * | observed | `reconcile#<provider>` | `observed` | what reconciliation saw differ, since when (shared/reconcile) |
 *
 * A stream's events, sessions and state come back with one Query on its partition.
 * `timeKey` (`<kind>#<pairing key>#<occurredAt>#<id>`) is the sort key of the local index
 * `by-time`, which pairs stops with starts for vendors that send no session value. The
 * sparse global index `live-by-shard` (`liveShard`, `streamKey`) lists the streams that
 * are live now, and `recent-by-shard` (`recentShard`, `recentAt`) every event by the day
 * and time it was received, newest last, with the fields a listing shows. Both spread
 * their entries over {@link indexShards} partition values (docs/capacity.md): one value
 * would take every callback's index write, and a partition takes about 1,000 a second.
 */
export const tableIndexes = { byTime: 'by-time', liveStreams: 'live-by-shard', recent: 'recent-by-shard' } as const;

/**
 * The unsharded indexes of earlier versions, one partition value each (`live`, the day):
 * read beside the sharded ones while a stack moves (docs/deploy.md, `LIVEHOOKS_READ_LEGACY_INDEXES`).
 */
export const legacyIndexes = { liveStreams: 'live-streams', recent: 'recent' } as const;

/**
 * How many partition values each sharded index spreads over: 16 take about 16,000 index
 * writes a second, ten times a 100,000-callback minute (docs/capacity.md), and a listing
 * reads 16 partitions in parallel.
 */
export const indexShards = 16;

/** A stream's shard: from its key alone, so that all of a stream's entries share one (`00` to `15`). */
export const shardOf = (streamKey: string) =>
  String(createHash('sha256').update(streamKey).digest()[0]! % indexShards).padStart(2, '0');

/** The `live-by-shard` partition of a live stream (`live#07`). */
export const liveShardOf = (streamKey: string) => `live#${shardOf(streamKey)}`;

/** Every `live-by-shard` partition. */
export const liveShards = () => shardNames().map((shard) => `live#${shard}`);

/** Every `recent-by-shard` partition of one UTC day (`2026-11-30#07`). */
export const recentShards = (day: string) => shardNames().map((shard) => `${day}#${shard}`);

const shardNames = () => Array.from({ length: indexShards }, (_, shard) => String(shard).padStart(2, '0'));

/** The `recent-by-shard` keys of an event: its UTC day and stream's shard, then its receive time and id. */
export const recentKeysOf = (record: Pick<StreamEvent, 'receivedAt' | 'id' | 'streamKey'>) => ({
  recentShard: `${record.receivedAt.slice(0, 10)}#${shardOf(record.streamKey)}`,
  recentAt: `${record.receivedAt}#${record.id}`,
});

/** What the `recent` index keeps of an event besides its keys: enough for a listing. */
export const recentFields = ['provider', 'kind', 'streamKey', 'sessionId', 'occurredAt', 'receivedAt', 'id'];

/** The partition of the refusals kept on one UTC day (`2026-11-30`). */
export const refusalPk = (day: string) => `refusal#${day}`;

/** The partition of one stream: its events and its state. */
export const streamPk = (streamKey: string) => `stream#${streamKey}`;
/** The sort key of an event item, and the prefix that finds them all. */
export const eventSkPrefix = 'event#';
/** The sort key of a stream's state item. */
export const stateSk = 'state';

/** The `by-time` sort key of an event paired by time; the pairing key is %-encoded, so `#` stays a separator. */
export const timeKeyOf = (kind: EventKind, pairWithin: string, occurredAt: string, id: string) =>
  `${timeKeyPrefix(kind, pairWithin)}${occurredAt}#${id}`;
/** Where the `by-time` keys of one kind and pairing key begin. */
export const timeKeyPrefix = (kind: EventKind, pairWithin: string) => `${kind}#${encodeURIComponent(pairWithin)}#`;
/** The `occurredAt` inside a `timeKey`. */
export const occurredAtOf = (timeKey: string) => timeKey.split('#')[2]!;

/** An event item (unmarshalled) without its table attributes (those of the legacy index too): the record as the handler built it. */
export function recordOfItem(item: Record<string, unknown>): StreamEvent {
  const {
    pk: _pk,
    sk: _sk,
    timeKey: _timeKey,
    notice: _notice,
    recentShard: _recentShard,
    recentDay: _recentDay,
    recentAt: _recentAt,
    ...record
  } = item;
  return record as StreamEvent;
}

/**
 * The event item a record is stored as: the record, its keys, its `recent` index keys, and
 * for a vendor paired by time its `by-time` key. Only those events get one: an index entry
 * is one more write for the engine, and the other vendors' events are never looked up by time.
 */
export function eventItemOf(record: StreamEvent, pairWithin: string | undefined): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...record,
    pk: streamPk(record.streamKey),
    sk: eventSkPrefix + record.id,
    ...recentKeysOf(record),
  };
  if (pairWithin !== undefined) item.timeKey = timeKeyOf(record.kind, pairWithin, record.occurredAt, record.id);
  return item;
}

/** The partition of a logical stream (docs/behaviour.md §4): its state. */
export const logicalPk = (name: string) => `logical#${name}`;
/** The stream key a logical stream is known by in the read API and its notifications. */
export const logicalStreamKey = (name: string) => `logical/${name}`;
/** The provider a logical stream's state names. */
export const logicalProvider = 'logical';

/**
 * A push of a logical stream: its member and the member's push, and how the member pairs
 * (`t` by time, `k` by push id), one-to-one with the text.
 */
export const logicalPush = (member: string, push: string, pairedByTime: boolean) =>
  `${pairedByTime ? 't' : 'k'}${JSON.stringify([member, push])}`;

/** The member, push and pairing of a logical stream's push. */
export function readLogicalPush(text: string): { member: string; push: string; pairedByTime: boolean } {
  const [member, push] = JSON.parse(text.slice(1)) as [string, string];
  return { member, push, pairedByTime: text.startsWith('t') };
}

/** A logical stream's lanes: each member's own. */
const logicalLaneOf: LaneOf = (text) => {
  const { member, push, pairedByTime } = readLogicalPush(text);
  return pairedByTime ? `${member}\n${timeLaneOf(push)}` : undefined;
};

/** How the pushes of a state item pair. */
export const laneOfItem = (item: Record<string, unknown>): LaneOf =>
  item.provider === logicalProvider ? logicalLaneOf : laneFunction(item.pairedByTime === true);

/** The marks a state item holds; a state item of the previous version is read as the marks it implies. */
export function marksOfItem(item: Record<string, unknown> | undefined): PushMarks {
  if (!item) return { started: new Set(), stopped: new Set() };
  if (item.version !== undefined) {
    return {
      started: (item.started as Set<string> | undefined) ?? new Set(),
      stopped: (item.stopped as Set<string> | undefined) ?? new Set(),
      ...(item.repaired ? { repaired: item.repaired as Set<string> } : {}),
      forgottenUpTo: item.forgottenUpTo as string | undefined,
    };
  }
  // Version 1 kept the latest event only: its push, and nothing before it can come back.
  const since = String(item.since);
  const live = item.live === true;
  const stopped = !live && typeof item.lastSessionId === 'string' ? [markText(since, item.lastSessionId)] : [];
  return {
    started: new Set(live ? [markText(since, String(item.sessionId))] : []),
    stopped: new Set(stopped),
    forgottenUpTo: since,
  };
}

/** What a stream's state item names it by. */
export type StreamIdentity = Pick<StreamEvent, 'streamKey' | 'provider' | 'domain' | 'app' | 'stream'>;

/** What a state item keeps besides the stream's identity and marks. */
export interface StateExtras {
  pairedByTime: boolean;
  version: number;
  lastEventId: string;
  lastChange: Change;
  /** The provider's `STALE_AFTER`, in seconds, when set: the read API flags older open pushes. */
  staleAfter?: number | undefined;
  /** A logical stream's declared members. */
  members?: readonly string[] | undefined;
}

/**
 * The state item of a stream: its identity, its marks, and what follows from them (live,
 * since, the current push, how many are open, `liveShard` exactly while one is), with the
 * version that orders its writes.
 */
export function stateItem(
  pk: string,
  stream: StreamIdentity,
  marks: PushMarks,
  pushes: Pushes,
  extras: StateExtras,
): Record<string, unknown> {
  return {
    pk,
    sk: stateSk,
    streamKey: stream.streamKey,
    provider: stream.provider,
    domain: stream.domain,
    app: stream.app,
    stream: stream.stream,
    // A set is never empty in DynamoDB: an empty one is left out.
    ...(marks.started.size > 0 ? { started: marks.started } : {}),
    ...(marks.stopped.size > 0 ? { stopped: marks.stopped } : {}),
    ...(marks.repaired && marks.repaired.size > 0 ? { repaired: marks.repaired } : {}),
    ...(marks.forgottenUpTo ? { forgottenUpTo: marks.forgottenUpTo } : {}),
    ...(extras.pairedByTime ? { pairedByTime: true } : {}),
    version: extras.version,
    live: pushes.live,
    // With every mark forgotten (a first callback older than the retry horizon), the
    // watermark is the latest time the stream is known by.
    since: pushes.since ?? pushes.lastEventAt ?? marks.forgottenUpTo,
    lastEventAt: pushes.lastEventAt ?? marks.forgottenUpTo,
    openPushes: pushes.open.length,
    lastEventId: extras.lastEventId,
    lastChange: extras.lastChange,
    ...(extras.staleAfter ? { staleAfter: extras.staleAfter } : {}),
    ...(extras.members ? { members: [...extras.members] } : {}),
    ...(pushes.current ? { sessionId: pushes.current, liveShard: liveShardOf(stream.streamKey) } : {}),
  };
}

/** The state item of a stream whose one callback is `record` (the bench's floor writes it too). */
export function stateItemOf(record: StreamEvent, pairedByTime: boolean): Record<string, unknown> {
  const marks = marksOfItem(undefined);
  const { marks: next, after } = withMark(
    marks,
    markOf(record),
    laneFunction(pairedByTime),
    Date.parse(record.receivedAt),
  )!;
  const lastChange = record.kind === 'start' ? 'stream.started' : 'push.stopped';
  return stateItem(streamPk(record.streamKey), record, next, after, {
    pairedByTime,
    version: 1,
    lastEventId: record.id,
    lastChange,
  });
}

/** The mark a record adds to its stream: its time and its push as built (a stop paired by time keeps its own). */
export const markOf = (record: StreamEvent): Mark => ({
  kind: record.kind,
  at: record.occurredAt,
  push: record.sessionId,
  ...(record.origin === 'reconcile' ? { repaired: true } : {}),
});

/** The `order` of a state of `version`: fixed width, so that text order is version order. */
export const stateOrderOf = (version: number) => `v2#${String(version).padStart(12, '0')}`;

/** An open push as the read API and the notifications show it. */
export interface OpenPush {
  sessionId: string;
  startedAt: string;
  /** The member carrying it, for a logical stream. */
  streamKey?: string;
  /** Open for longer than the provider's `STALE_AFTER`: its stop may be lost. Flagged, never closed. */
  stale?: true;
}

/** A logical stream's member as its state shows it. */
export interface MemberState {
  streamKey: string;
  live: boolean;
  /** The member's current push, while live. */
  sessionId?: string;
}

/** A stream's current state: live while at least one of its pushes is open (docs/behaviour.md §4). */
export interface StreamState {
  streamKey: string;
  provider: string;
  domain: string;
  app: string;
  stream: string;
  live: boolean;
  /** Live: when the run of overlapping pushes still open began. Not live: the latest stop. */
  since: string;
  /** The current push (the latest started that is still open); absent when the stream is not live. */
  sessionId?: string;
  /** How many pushes are open. */
  openPushes: number;
  /** The open pushes, oldest first. */
  pushes: OpenPush[];
  /** The latest vendor time among the stream's callbacks. */
  lastEventAt: string;
  /** The last callback that changed the state. */
  lastEventId: string;
  /** A logical stream's members. */
  members?: MemberState[];
  /** For a logical stream: the member carrying the current push. */
  currentMember?: string;
}

/** A stream's state from its state item (of this version or the previous one), stale pushes flagged as of `nowMs`. */
export function stateOfItem(item: Record<string, unknown>, nowMs: number): StreamState {
  const pushes = pushesOf(marksOfItem(item), laneOfItem(item));
  const logical = item.provider === logicalProvider;
  const staleBefore = typeof item.staleAfter === 'number' ? new Date(nowMs - item.staleAfter * 1000).toISOString() : '';
  const open = pushes.open.map(({ push, startedAt }): OpenPush => {
    const stale = startedAt < staleBefore ? { stale: true as const } : {};
    if (!logical) return { sessionId: push, startedAt, ...stale };
    const { member, push: sessionId } = readLogicalPush(push);
    return { sessionId, startedAt, streamKey: member, ...stale };
  });
  const current = open.at(-1);
  const state: StreamState = {
    streamKey: String(item.streamKey),
    provider: String(item.provider),
    domain: String(item.domain),
    app: String(item.app),
    stream: String(item.stream),
    live: pushes.live,
    since: pushes.since ?? String(item.since),
    ...(current ? { sessionId: current.sessionId } : {}),
    openPushes: open.length,
    pushes: open,
    lastEventAt: pushes.lastEventAt ?? String(item.lastEventAt ?? item.since),
    lastEventId: String(item.lastEventId),
  };
  if (logical) {
    const members = (item.members as string[] | undefined) ?? [];
    state.members = members.map((streamKey) => {
      const carried = open.filter((push) => push.streamKey === streamKey).at(-1);
      return { streamKey, live: carried !== undefined, ...(carried ? { sessionId: carried.sessionId } : {}) };
    });
    if (current?.streamKey) state.currentMember = current.streamKey;
  }
  return state;
}

/** The live and recent global indexes, named `names` and partitioned by `liveKey` and `recentKey`. */
const indexesOf = (
  names: { liveStreams: string; recent: string },
  liveKey: string,
  recentKey: string,
): GlobalSecondaryIndex[] => [
  {
    IndexName: names.liveStreams,
    KeySchema: [
      { AttributeName: liveKey, KeyType: 'HASH' },
      { AttributeName: 'streamKey', KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  },
  {
    IndexName: names.recent,
    KeySchema: [
      { AttributeName: recentKey, KeyType: 'HASH' },
      { AttributeName: 'recentAt', KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: recentFields },
  },
];

/** The sharded global indexes, as the table declares them. */
const shardedIndexes = indexesOf(tableIndexes, 'liveShard', 'recentShard');

/** The unsharded global indexes of earlier versions: a table in the middle of its move has both. */
const unshardedIndexes = indexesOf(legacyIndexes, 'liveIndex', 'recentDay');

/**
 * The table's definition, for tests and the local server; serverless.yml mirrors it.
 * `legacyIndexes`: with the unsharded indexes too, as a stack in the middle of its move (tests).
 */
export function tableDefinition(tableName: string, { legacyIndexes = false } = {}): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'timeKey', AttributeType: 'S' },
      { AttributeName: 'liveShard', AttributeType: 'S' },
      { AttributeName: 'streamKey', AttributeType: 'S' },
      { AttributeName: 'recentShard', AttributeType: 'S' },
      { AttributeName: 'recentAt', AttributeType: 'S' },
      ...(legacyIndexes
        ? [
            { AttributeName: 'liveIndex', AttributeType: 'S' as const },
            { AttributeName: 'recentDay', AttributeType: 'S' as const },
          ]
        : []),
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: tableIndexes.byTime,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'timeKey', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['sessionId'] },
      },
    ],
    GlobalSecondaryIndexes: [...shardedIndexes, ...(legacyIndexes ? unshardedIndexes : [])],
  };
}
