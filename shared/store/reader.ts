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
  legacyIndexes,
  liveShardOf,
  liveShards,
  recentShards,
  shardOf,
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
import { switchSetting, type Env } from '../config';

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
  /** The streams that are live now, from the sparse `live-by-shard` index (`logical`: the logical streams). */
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

/** How a reader reads. */
export interface ReaderOptions {
  /**
   * Read the unsharded indexes of earlier versions too, merged with the sharded ones: while
   * a stack moves to them (docs/deploy.md; the read API's `LIVEHOOKS_READ_LEGACY_INDEXES=on`).
   */
  readLegacyIndexes?: boolean;
}

/** Whether to read the unsharded indexes too (`LIVEHOOKS_READ_LEGACY_INDEXES`, off by default). */
export const readLegacyIndexesSetting = (env: Env) =>
  switchSetting(env, 'LIVEHOOKS_READ_LEGACY_INDEXES', ['on', 'off'], false);

/** A DynamoDB store that writes as a receiver does and also reads back what was stored. */
export function createDynamoStore(options: DynamoStoreOptions & ReaderOptions): EventStore & StoreReader {
  const client = clientOf(options);
  return {
    ...createDynamoEventStore({ ...options, client: client() }),
    ...createStoreReader(options.tableName, client(), options),
  };
}

type Item = Record<string, unknown>;

/** One partition of an index that a listing reads. */
interface IndexPartition {
  index: string;
  /** The index's partition key attribute, and this partition's value of it. */
  name: string;
  value: string;
}

/** A {@link StoreReader} over a table. */
export function createStoreReader(
  tableName: string,
  client: DynamoClient,
  { readLegacyIndexes = false }: ReaderOptions = {},
): StoreReader {
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
  /** Up to `limit` items of a Query (page after page: a filter may leave a page short), and where it stopped. */
  const firstItems = async (input: DocumentInput<'Query'>, limit: number, from?: Item) => {
    const items: Item[] = [];
    let start = from;
    do {
      const page = await documents.query({ ...input, Limit: limit - items.length, ExclusiveStartKey: start });
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && items.length < limit);
    return { items, stoppedAt: start };
  };
  /**
   * The first `limit` items of several Queries together, in the order of `sortKey`: each is
   * read in parallel up to `limit` items of its own, so the first `limit` of them all are
   * among those. An item in two of them (an old and a new index, while a stack moves) counts
   * once. `more`: some Query has items left.
   */
  const fanOut = async (inputs: DocumentInput<'Query'>[], limit: number, sortKey: string, descending: boolean) => {
    const results = await Promise.all(inputs.map((input) => firstItems(input, limit)));
    const seen = new Set<string>();
    const keyOf = (item: Item) => JSON.stringify([item.pk, item.sk]);
    const items = results
      .flatMap((result) => result.items)
      .filter((item) => !seen.has(keyOf(item)) && Boolean(seen.add(keyOf(item))));
    items.sort((a, b) => byteOrder(String(a[sortKey]), String(b[sortKey])) * (descending ? -1 : 1));
    return { items: items.slice(0, limit), more: items.length > limit || results.some((result) => result.stoppedAt) };
  };
  /** The Query of one index partition, after a sort key when given. */
  const partitionQuery = (
    { index, name, value }: IndexPartition,
    sortKey: { name: string; after?: string | undefined; descending?: boolean },
    rest: Pick<DocumentInput<'Query'>, 'FilterExpression' | 'ExpressionAttributeValues'> = {},
  ): DocumentInput<'Query'> => ({
    TableName: tableName,
    IndexName: index,
    KeyConditionExpression: `${name} = :partition${sortKey.after === undefined ? '' : ` AND ${sortKey.name} ${sortKey.descending ? '<' : '>'} :after`}`,
    ...(rest.FilterExpression ? { FilterExpression: rest.FilterExpression } : {}),
    ExpressionAttributeValues: {
      ...rest.ExpressionAttributeValues,
      ':partition': value,
      ...(sortKey.after === undefined ? {} : { ':after': sortKey.after }),
    },
    ScanIndexForward: !sortKey.descending,
  });
  /** The partitions of the live streams: every shard (and the unsharded index's one, when read). */
  const livePartitions = (): IndexPartition[] => [
    ...liveShards().map((value) => ({ index: tableIndexes.liveStreams, name: 'liveShard', value })),
    ...(readLegacyIndexes ? [{ index: legacyIndexes.liveStreams, name: 'liveIndex', value: 'live' }] : []),
  ];
  /** The live streams' Queries after a stream key (`logical`: the logical streams'). */
  const liveQueries = (logical: boolean, after?: string) =>
    livePartitions().map((partition) =>
      partitionQuery(
        partition,
        { name: 'streamKey', after },
        { FilterExpression: kindFilter, ExpressionAttributeValues: { ':kind': kindPrefix(logical) } },
      ),
    );
  /** The partitions of one day's deliveries. */
  const recentPartitions = (day: string): IndexPartition[] => [
    ...recentShards(day).map((value) => ({ index: tableIndexes.recent, name: 'recentShard', value })),
    ...(readLegacyIndexes ? [{ index: legacyIndexes.recent, name: 'recentDay', value: day }] : []),
  ];

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
      if (live) {
        const cursor = decodeCursor(next, cursorRules.liveStreams);
        const { items, more } = await fanOut(liveQueries(logical, cursor.k?.streamKey), limit, 'streamKey', false);
        const last = String(items.at(-1)?.streamKey);
        return {
          items: items.map(toState),
          ...(more ? { next: encodeCursor({ k: { liveShard: liveShardOf(last), streamKey: last } }) } : {}),
        };
      }
      const cursor = decodeCursor(next, cursorRules.tableScan);
      const items: Item[] = [];
      let start: Item | undefined = cursor.k;
      do {
        const page = await documents.scan({
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
      byDay(options, cursorRules.recentDeliveries, async (day, limit, after) => {
        const inputs = recentPartitions(day).map((partition) =>
          partitionQuery(partition, { name: 'recentAt', after: after?.recentAt, descending: true }),
        );
        const { items, more } = await fanOut(inputs, limit, 'recentAt', true);
        const last = items.at(-1);
        // An entry of the unsharded index has no recentShard: its stream names the shard.
        const stoppedAt = last && {
          recentShard: `${day}#${shardOf(String(last.streamKey))}`,
          recentAt: String(last.recentAt),
        };
        return { items, ...(more ? { stoppedAt } : {}) };
      }).then(({ items, next }) => ({
        items: items.map((item) => Object.fromEntries(recentFields.map((name) => [name, item[name]])) as Delivery),
        ...(next ? { next } : {}),
      })),
    refusalsPage: (options) =>
      byDay(options, cursorRules.refusals, (day, limit, start) =>
        firstItems(
          {
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': refusalPk(day) },
            ScanIndexForward: false,
          },
          limit,
          start,
        ),
      ).then(({ items, next }) => ({
        items: items.map(
          ({ pk: _pk, sk: _sk, expiresAt: _expiresAt, ...refusal }) => refusal as unknown as KeptRefusal,
        ),
        ...(next ? { next } : {}),
      })),
    async listLiveStreams({ logical = false } = {}) {
      const shards = await Promise.all(liveQueries(logical).map(query));
      const seen = new Set<string>();
      const items = shards.flat().filter((item) => !seen.has(String(item.pk)) && Boolean(seen.add(String(item.pk))));
      return items.sort((a, b) => byteOrder(String(a.streamKey), String(b.streamKey))).map(toState);
    },
  };
}

/**
 * Reads day partitions newest first, today's and the {@link recentDays} before it, until a
 * page is full; the token says which day and where in it the next page begins. `read`
 * gives up to `limit` items of a day after a key, and the key it stopped at when the day
 * has more.
 */
async function byDay(
  { limit, next, nowMs }: PageOptions & { nowMs: number },
  rule: CursorRule,
  read: (
    day: string,
    limit: number,
    after: Record<string, string> | undefined,
  ) => Promise<{ items: Item[]; stoppedAt?: Record<string, unknown> | undefined }>,
): Promise<Page<Item>> {
  const cursor = decodeCursor(next, rule);
  const today = new Date(nowMs).toISOString().slice(0, 10);
  let oldest = today;
  for (let i = 1; i < recentDays; i++) oldest = dayBefore(oldest);
  if (cursor.d !== undefined && (cursor.d < oldest || cursor.d > today)) {
    throw new BadPageToken(`next is from a listing of other days than the last ${recentDays}; list again without next`);
  }
  let day = cursor.d ?? today;
  let after = cursor.k;
  const items: Item[] = [];
  for (;;) {
    const page = await read(day, limit - items.length, after);
    items.push(...page.items);
    after = page.stoppedAt as Record<string, string> | undefined;
    if (items.length >= limit) break;
    if (!after) {
      if (day <= oldest) return { items };
      day = dayBefore(day);
    }
  }
  return after || day > oldest
    ? { items, next: encodeCursor(after ? { d: day, k: after } : { d: dayBefore(day) }) }
    : { items };
}

/** DynamoDB's order of string keys: by their UTF-8 bytes (UTF-16 order differs past U+D7FF). */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Newest first by the vendor's time; at the same time a stop (which follows its start) first. */
/** Events newest first: by when they happened, then (vendors' times are often whole seconds) when they came. */
const newestFirst = (a: StreamEvent, b: StreamEvent) =>
  b.occurredAt.localeCompare(a.occurredAt) ||
  b.kind.localeCompare(a.kind) ||
  b.receivedAt.localeCompare(a.receivedAt) ||
  a.id.localeCompare(b.id);

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
