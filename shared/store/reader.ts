/**
 * Reading back what the receivers stored: for the read API (`functions/api.ts`), the CLI,
 * the tests and your own tools. No receiver imports it (a receiver only writes). It reads
 * in plain values (`documentsOf`, as lib-dynamodb's document client would); the listings a
 * deployed API serves are Queries, page by page, and the Scans are for tools and modest tables.
 */
import type { DynamoClient } from '../aws/dynamodb';
import { documentsOf, type DocumentInput } from '../aws/documents';
import type { StreamEvent } from '../record';
import { clientOf, createDynamoEventStore, type DynamoStoreOptions } from './dynamo-store';
import type { EventStore } from './port';
import {
  eventSkPrefix,
  recentFields,
  recordOfItem,
  refusalPk,
  stateSk,
  streamPk,
  tableIndexes,
  stateOfItem,
  laneOfItem,
  logicalPk,
  logicalProvider,
  logicalStreamKey,
  marksOfItem,
  readLogicalPush,
  type StreamState,
} from './table';
import { pushesOf } from './pushes';
import type { KeptRefusal } from '../refusal';
import { BadPageToken, cursorRules, decodeCursor, encodeCursor, type CursorRule } from './cursor';
import { sessionsOf, type Session } from '../sessions';

/** Everything stored about one stream. */
export interface StreamView {
  state?: StreamState;
  /** Newest first, by the vendor's time. */
  events: StreamEvent[];
  sessions: Session[];
}

/** Reading back what the handlers stored. */
export interface StoreReader {
  /** One stream's state, events and sessions, from one Query on its partition. */
  readStream(streamKey: string): Promise<StreamView>;
  /** The streams that are live now, from the sparse `live-streams` index (`logical`: the logical streams). */
  listLiveStreams(options?: { logical?: boolean }): Promise<StreamState[]>;
  /** Every stream's state, by stream key (`logical`: the logical streams'). A Scan: for tools and modest tables. */
  listStreams(options?: { logical?: boolean }): Promise<StreamState[]>;
  /** Every stored record, newest first by the vendor's time. A Scan: for tools and modest tables. */
  listEvents(): Promise<StreamEvent[]>;
  /** One stored record, payload included; undefined when there is none. */
  readEvent(streamKey: string, id: string): Promise<StreamEvent | undefined>;
  /** Streams' states, a page at a time: the live ones from their index, or all (a Scan). */
  streamsPage(options: PageOptions & { live?: boolean; logical?: boolean }): Promise<Page<StreamState>>;
  /** The latest deliveries of the last {@link recentDays} days, newest first, a page at a time. */
  deliveriesPage(options: PageOptions & { nowMs: number }): Promise<Page<Delivery>>;
  /** The latest kept refusals of the last {@link recentDays} days, newest first, a page at a time. */
  refusalsPage(options: PageOptions & { nowMs: number }): Promise<Page<KeptRefusal>>;
}

/** How many days back the recent listings go: the refusals' default retention. */
export const recentDays = 7;

/** Which page to read: how many items, and where the last page ended (its `next`). */
export interface PageOptions {
  limit: number;
  next?: string | undefined;
}

/** Items and, when there are more, the token of the next page. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** A stored event as the recent deliveries list it (the `recent` index's fields). */
export type Delivery = Pick<
  StreamEvent,
  'id' | 'provider' | 'kind' | 'streamKey' | 'sessionId' | 'occurredAt' | 'receivedAt'
>;

const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** A DynamoDB store that writes as a receiver does and also reads back what was stored. */
export function createDynamoStore(options: DynamoStoreOptions): EventStore & StoreReader {
  const client = clientOf(options);
  return {
    ...createDynamoEventStore({ ...options, client: client() }),
    ...createStoreReader(options.tableName, client()),
  };
}

type Item = Record<string, unknown>;

/** A {@link StoreReader} over a table. */
export function createStoreReader(tableName: string, client: DynamoClient): StoreReader {
  const documents = documentsOf(client);
  /** Every item of a Query or a Scan, page after page. */
  const all = async (page: (start: Item | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>) => {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const result = await page(start);
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
    } while (start);
    return items;
  };
  const query = (input: DocumentInput<'Query'>) =>
    all((start) => documents.query({ ...input, ExclusiveStartKey: start }));
  const scan = (input: DocumentInput<'Scan'>) =>
    all((start) => documents.scan({ ...input, ExclusiveStartKey: start, ConsistentRead: true }));

  return {
    async readStream(streamKey) {
      const items = await query({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partitionOf(streamKey) },
        ConsistentRead: true,
      });
      const events = items.filter((item) => String(item.sk).startsWith(eventSkPrefix)).map(recordOfItem);
      const stateItem = items.find((item) => item.sk === stateSk);
      return {
        ...(stateItem ? { state: toState(stateItem) } : {}),
        events: events.sort(newestFirst),
        // A logical stream keeps no events of its own: its sessions are its members' pushes.
        sessions: stateItem?.provider === logicalProvider ? logicalSessionsOf(stateItem) : sessionsOf(events),
      };
    },
    async listStreams({ logical = false } = {}) {
      const items = await scan({
        TableName: tableName,
        FilterExpression: `sk = :state AND ${kindFilter}`,
        ExpressionAttributeValues: { ':state': stateSk, ':kind': kindPrefix(logical) },
      });
      return items.map(toState).sort((a, b) => a.streamKey.localeCompare(b.streamKey));
    },
    async listEvents() {
      const items = await scan({
        TableName: tableName,
        FilterExpression: 'begins_with(sk, :event)',
        ExpressionAttributeValues: { ':event': eventSkPrefix },
      });
      return items.map(recordOfItem).sort(newestFirst);
    },
    async readEvent(streamKey, id) {
      const { Item } = await documents.get({
        TableName: tableName,
        Key: { pk: streamPk(streamKey), sk: eventSkPrefix + id },
      });
      return Item ? recordOfItem(Item) : undefined;
    },
    async streamsPage({ live, logical = false, limit, next }) {
      const cursor = decodeCursor(next, live ? cursorRules.liveStreams : cursorRules.tableScan);
      const items: Item[] = [];
      let start: Item | undefined = cursor.k;
      do {
        const page = live
          ? await documents.query({
              TableName: tableName,
              IndexName: tableIndexes.liveStreams,
              KeyConditionExpression: 'liveIndex = :live',
              FilterExpression: kindFilter,
              ExpressionAttributeValues: { ':live': 'live', ':kind': kindPrefix(logical) },
              Limit: limit - items.length,
              ExclusiveStartKey: start,
            })
          : await documents.scan({
              TableName: tableName,
              FilterExpression: `sk = :state AND ${kindFilter}`,
              ExpressionAttributeValues: { ':state': stateSk, ':kind': kindPrefix(logical) },
              Limit: limit,
              ExclusiveStartKey: start,
            });
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start && items.length < limit);
      return { items: items.slice(0, limit).map(toState), ...(start ? { next: encodeCursor({ k: start }) } : {}) };
    },
    deliveriesPage: (options) =>
      byDay(options, cursorRules.recentDeliveries, (day, limit, start) =>
        documents.query({
          TableName: tableName,
          IndexName: tableIndexes.recent,
          KeyConditionExpression: 'recentDay = :day',
          ExpressionAttributeValues: { ':day': day },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: start,
        }),
      ).then(({ items, next }) => ({
        items: items.map((item) => Object.fromEntries(recentFields.map((name) => [name, item[name]])) as Delivery),
        ...(next ? { next } : {}),
      })),
    refusalsPage: (options) =>
      byDay(options, cursorRules.refusals, (day, limit, start) =>
        documents.query({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': refusalPk(day) },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: start,
        }),
      ).then(({ items, next }) => ({
        items: items.map(
          ({ pk: _pk, sk: _sk, expiresAt: _expiresAt, ...refusal }) => refusal as unknown as KeptRefusal,
        ),
        ...(next ? { next } : {}),
      })),
    async listLiveStreams({ logical = false } = {}) {
      const items = await query({
        TableName: tableName,
        IndexName: tableIndexes.liveStreams,
        KeyConditionExpression: 'liveIndex = :live',
        FilterExpression: kindFilter,
        ExpressionAttributeValues: { ':live': 'live', ':kind': kindPrefix(logical) },
      });
      return items.map(toState);
    },
  };
}

/**
 * Reads day partitions newest first, today's and the {@link recentDays} before it, until a
 * page is full; the token says which day and where in it the next page begins.
 */
async function byDay(
  { limit, next, nowMs }: PageOptions & { nowMs: number },
  rule: CursorRule,
  query: (day: string, limit: number, start: Item | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>,
): Promise<Page<Item>> {
  const cursor = decodeCursor(next, rule);
  const today = new Date(nowMs).toISOString().slice(0, 10);
  let oldest = today;
  for (let i = 1; i < recentDays; i++) oldest = dayBefore(oldest);
  if (cursor.d !== undefined && (cursor.d < oldest || cursor.d > today)) {
    throw new BadPageToken(`next is from a listing of other days than the last ${recentDays}; list again without next`);
  }
  let day = cursor.d ?? today;
  let start: Item | undefined = cursor.k;
  const items: Item[] = [];
  for (;;) {
    const page = await query(day, limit - items.length, start);
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
    if (items.length >= limit) break;
    if (!start) {
      if (day <= oldest) return { items };
      day = dayBefore(day);
    }
  }
  return start || day > oldest
    ? { items, next: encodeCursor(start ? { d: day, k: start } : { d: dayBefore(day) }) }
    : { items };
}

/** Newest first by the vendor's time; at the same time a stop (which follows its start) first. */
const newestFirst = (a: StreamEvent, b: StreamEvent) =>
  b.occurredAt.localeCompare(a.occurredAt) || b.kind.localeCompare(a.kind) || a.id.localeCompare(b.id);

/** Streams, or logical streams: by the partition's prefix. */
const kindFilter = 'begins_with(pk, :kind)';
const kindPrefix = (logical: boolean) => (logical ? logicalPk('') : streamPk(''));

/** The partition of a stream key: a stream's, or a logical stream's (`logical/<name>`). */
const partitionOf = (streamKey: string) =>
  streamKey.startsWith(logicalPrefix) ? logicalPk(streamKey.slice(logicalPrefix.length)) : streamPk(streamKey);
const logicalPrefix = logicalStreamKey('');

/** A logical stream's sessions: each member push its marks still hold, by start. */
function logicalSessionsOf(item: Item): Session[] {
  const { all } = pushesOf(marksOfItem(item), laneOfItem(item));
  const sessions = [...all.values()].map(({ push, startedAt, stoppedAt }): Session => {
    const { member, push: sessionId } = readLogicalPush(push);
    return {
      streamKey: member,
      sessionId,
      ...(startedAt ? { startedAt } : {}),
      ...(stoppedAt ? { stoppedAt } : {}),
      ...(startedAt && stoppedAt ? { durationMs: Date.parse(stoppedAt) - Date.parse(startedAt) } : {}),
    };
  });
  return sessions.sort((a, b) => (a.startedAt ?? a.stoppedAt!).localeCompare(b.startedAt ?? b.stoppedAt!));
}

/** A stream's state as of now (stale pushes flagged by the clock of this reader). */
const toState = (item: Item): StreamState => stateOfItem(item, Date.now());
