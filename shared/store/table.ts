import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { EventKind, StreamEvent } from '../record';

/**
 * One table holds everything (docs/behaviour.md §5):
 *
 * | item   | pk                     | sk           | notes                                            |
 * | ------ | ---------------------- | ------------ | ------------------------------------------------ |
 * | event  | `stream#<streamKey>`   | `event#<id>` | the record's fields; `timeKey` if paired by time; `notice` once announced |
 * | state  | `stream#<streamKey>`   | `state`      | live, since, sessionId; `liveIndex` when live    |
 * | guard  | `guard#<provider>#<h>` | `guard`      | replay guard (h: the signature's SHA-256), TTL   |
 * | refusal | `refusal#<day>`       | `<receivedAt>#<id>` | a kept refusal (refusal.ts), TTL              |
 *
 * A stream's events, sessions and state come back with one Query on its partition.
 * `timeKey` (`<kind>#<pairing key>#<occurredAt>#<id>`) is the sort key of the local index
 * `by-time`, which pairs stops with starts for vendors that send no session value. The
 * sparse global index `live-streams` lists the streams that are live now, and `recent`
 * (`recentDay`, `recentAt`) every event by the day and time it was received, newest
 * last, with the fields a listing shows.
 */
export const tableIndexes = { byTime: 'by-time', liveStreams: 'live-streams', recent: 'recent' } as const;

/** The `recent` index's keys of an event: the UTC day it was received, then its receive time and id. */
export const recentKeysOf = (record: Pick<StreamEvent, 'receivedAt' | 'id'>) => ({
  recentDay: record.receivedAt.slice(0, 10),
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

/** An event item (unmarshalled) without its table attributes: the record as the handler built it. */
export function recordOfItem(item: Record<string, unknown>): StreamEvent {
  const {
    pk: _pk,
    sk: _sk,
    timeKey: _timeKey,
    notice: _notice,
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

/** The state item a record sets: the stream, live or not since when, and the order it holds (`lastAt`). */
export function stateItemOf(record: StreamEvent, pairedByTime: boolean): Record<string, unknown> {
  const live = record.kind === 'start';
  return {
    pk: streamPk(record.streamKey),
    sk: stateSk,
    streamKey: record.streamKey,
    provider: record.provider,
    domain: record.domain,
    app: record.app,
    stream: record.stream,
    live,
    since: record.occurredAt,
    lastEventId: record.id,
    // The session of a vendor's own session value, for the notice of its other half.
    // (Not for pairing by time: a stop's session may change after it is written.)
    ...(pairedByTime ? {} : { lastSessionId: record.sessionId }),
    lastAt: stateOrder(record),
    ...(live ? { sessionId: record.sessionId, liveIndex: 'live' } : {}),
  };
}

/** A stream's current state: the latest event by the vendor's time decides it. */
export interface StreamState {
  streamKey: string;
  provider: string;
  domain: string;
  app: string;
  stream: string;
  live: boolean;
  /** When the stream went live, or when it stopped. */
  since: string;
  /** The session that is live; absent when the stream is not. */
  sessionId?: string;
  lastEventId: string;
}

const kindRank = { start: 0, stop: 1 } as const;

/** Orders a stream's events: by the vendor's time, a start before a stop, then by id. */
export const stateOrder = (record: StreamEvent) => `${record.occurredAt}#${kindRank[record.kind]}#${record.id}`;

/** The table's definition, for tests and the local server; serverless.yml mirrors it. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'timeKey', AttributeType: 'S' },
      { AttributeName: 'liveIndex', AttributeType: 'S' },
      { AttributeName: 'streamKey', AttributeType: 'S' },
      { AttributeName: 'recentDay', AttributeType: 'S' },
      { AttributeName: 'recentAt', AttributeType: 'S' },
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
    GlobalSecondaryIndexes: [
      {
        IndexName: tableIndexes.liveStreams,
        KeySchema: [
          { AttributeName: 'liveIndex', KeyType: 'HASH' },
          { AttributeName: 'streamKey', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: tableIndexes.recent,
        KeySchema: [
          { AttributeName: 'recentDay', KeyType: 'HASH' },
          { AttributeName: 'recentAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: recentFields },
      },
    ],
  };
}
