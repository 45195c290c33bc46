import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClientConfig,
  type CreateTableCommandInput,
  type PutItemCommandInput,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
// Types only: the writes use the low-level client, and the readers load lib-dynamodb on
// first use, so a deployed function never loads it.
import type { PutCommandInput, QueryCommandInput, ScanCommandInput, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { orphanPrefix, sessionIdFromStart, type StreamEvent } from './record';
import { sha256Hex } from './signature';
import { sessionsOf, type Session } from './sessions';

/**
 * One table holds everything (behaviour.md section 5):
 *
 * | item   | pk                     | sk           | notes                                            |
 * | ------ | ---------------------- | ------------ | ------------------------------------------------ |
 * | event  | `stream#<streamKey>`   | `event#<id>` | the record's fields; `timeKey` if paired by time |
 * | state  | `stream#<streamKey>`   | `state`      | live, since, sessionId; `liveIndex` when live    |
 * | guard  | `guard#<provider>#<h>` | `guard`      | replay guard (h: the signature's SHA-256), TTL   |
 *
 * A stream's events, sessions and state come back with one Query on its partition.
 * `timeKey` (`<kind>#<pairing key>#<occurredAt>#<id>`) is the sort key of the local index `by-time`, which
 * pairs stops with starts for vendors that send no session value. The sparse global index
 * `live-streams` lists the streams that are live now.
 *
 * There are no transactions (dynalite has none): every write is conditional or
 * idempotent, and a callback always performs all of its writes, even when its event is
 * already stored, so a retry completes whatever a failed attempt left undone.
 */
export const tableIndexes = { byTime: 'by-time', liveStreams: 'live-streams' } as const;

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
    ],
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

/** A replay guard: a signature may be seen again only with the same identity. */
export interface SignatureClaim {
  provider: string;
  /** The signature as presented; the table keeps only its digest. */
  signature: string;
  /** Everything the signature stands for, written so that two identities never read alike. */
  identity: string;
  expiresAtMs: number;
}

/** What the pipeline needs of a store. */
export interface EventStore {
  /**
   * Stores a record exactly once and brings the stream's state and session pairing up to
   * date. Resolves `duplicate` when the record was already stored (its other writes are
   * redone all the same). Rejects when the store fails; the caller answers 503.
   *
   * @param pairWithin - given when the vendor sends no session value: a stop belongs to
   *   the latest start at or before it with the same pairing key (`''` when the vendor has
   *   none), and a start adopts the stops up to the next such start
   */
  save(record: StreamEvent, pairWithin?: string): Promise<'stored' | 'duplicate'>;
  /**
   * Records that a signature was used for one identity. Resolves false when the same
   * signature was already used for another identity and has not expired: a replay.
   */
  claimSignature(claim: SignatureClaim, nowMs: number): Promise<boolean>;
}

/** Everything stored about one stream. */
export interface StreamView {
  state?: StreamState;
  /** Newest first, by the vendor's time. */
  events: StreamEvent[];
  sessions: Session[];
}

/** Reading back what the handlers stored: for the CLI, tests and your own tools. */
export interface StoreReader {
  /** One stream's state, events and sessions, from one Query on its partition. */
  readStream(streamKey: string): Promise<StreamView>;
  /** The streams that are live now, from the sparse `live-streams` index. */
  listLiveStreams(): Promise<StreamState[]>;
  /** Every stream's state, by stream key. A Scan: for tools and modest tables. */
  listStreams(): Promise<StreamState[]>;
  /** Every stored record, newest first by the vendor's time. A Scan: for tools and modest tables. */
  listEvents(): Promise<StreamEvent[]>;
}

/** Options of the DynamoDB store. */
export interface DynamoStoreOptions {
  tableName: string;
  /** A client of your own (tests, other endpoints); by default one is made on first use. */
  client?: DynamoDBClient;
  /**
   * Upper bound on one callback's store work, in milliseconds. Alibaba waits 5 s for an
   * answer, so the default leaves room for the rest of the handler.
   */
  budgetMs?: number;
}

const stateSk = 'state';
const eventSkPrefix = 'event#';
const streamPk = (streamKey: string) => `stream#${streamKey}`;
const kindRank = { start: 0, stop: 1 } as const;

/** Orders a stream's events: by the vendor's time, a start before a stop, then by id. */
function stateOrder(record: StreamEvent): string {
  return `${record.occurredAt}#${kindRank[record.kind]}#${record.id}`;
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as Error | undefined)?.name === 'ConditionalCheckFailedException'
  );
}

/**
 * Like `Promise.all`, but waits for every write to finish before throwing the first
 * failure: Lambda freezes the container once the answer is out, and a write still in
 * flight would land at some later thaw, after the vendor's retry.
 */
async function allSettled<T extends readonly unknown[]>(
  writes: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(writes);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

/** Swallows the one failure that means "someone already wrote this, or something newer". */
async function unlessConditionFails<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/**
 * Makes the DynamoDB client: endpoint and region come from the standard AWS variables
 * (`AWS_ENDPOINT_URL_DYNAMODB` for a local engine) unless `config` names them. Short
 * socket timeouts and two attempts keep a dead store from using up the vendor's patience.
 */
export function createDynamoClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({
    maxAttempts: 2,
    // Without throwOnRequestTimeout the SDK only warns when requestTimeout passes.
    requestHandler: { connectionTimeout: 1000, requestTimeout: 1500, throwOnRequestTimeout: true },
    ...config,
  });
}

/**
 * The DynamoDB-backed {@link EventStore} a deployed function writes with: no reading
 * back, so that the readers stay out of the function's bundle.
 */
export function createDynamoEventStore(options: DynamoStoreOptions): EventStore {
  return eventWriter(options, clientOf(options));
}

/** A DynamoDB-backed {@link EventStore} that also reads back what was stored. */
export function createDynamoStore(options: DynamoStoreOptions): EventStore & StoreReader {
  const client = clientOf(options);
  return { ...eventWriter(options, client), ...storeReader(options.tableName, documentsOf(client)) };
}

/** The given client, or the default one made on first use. */
function clientOf(options: DynamoStoreOptions): () => DynamoDBClient {
  let client: DynamoDBClient | undefined;
  return () => (client ??= options.client ?? createDynamoClient());
}

/**
 * Runs one callback's store work under an abort signal that fires after `budgetMs`. Unlike
 * `AbortSignal.timeout`, whose timer lives on for the whole budget, the timer is cleared
 * as soon as the work is done: a busy container keeps no pending timer per callback (and
 * on Node 20 a timeout signal alone costs tens of microseconds).
 */
async function withinBudget<T>(budgetMs: number, work: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    budgetMs,
  );
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

function eventWriter(options: DynamoStoreOptions, client: () => DynamoDBClient): EventStore {
  const { tableName, budgetMs = 3500 } = options;
  const writes = {
    async save(record: StreamEvent, pairWithin: string | undefined, abortSignal: AbortSignal) {
      const put = (input: PutCommandInput) =>
        unlessConditionFails(client().send(new PutItemCommand(inAttributes(input)), { abortSignal }));
      const update = (input: UpdateCommandInput) =>
        unlessConditionFails(client().send(new UpdateItemCommand(inAttributes(input)), { abortSignal }));
      const pk = streamPk(record.streamKey);

      const putEvent = async (stored: StreamEvent) => {
        const written = await put({
          TableName: tableName,
          // Only events paired by time go into the `by-time` index: an index entry is one
          // more write for the engine, and the other vendors' events are never looked up by time.
          Item:
            pairWithin === undefined
              ? { ...stored, pk, sk: eventSkPrefix + stored.id }
              : {
                  ...stored,
                  pk,
                  sk: eventSkPrefix + stored.id,
                  timeKey: `${stored.kind}#${encodeURIComponent(pairWithin)}#${stored.occurredAt}#${stored.id}`,
                },
          ConditionExpression: 'attribute_not_exists(pk)',
        });
        return written ? 'stored' : 'duplicate';
      };

      const putState = (stored: StreamEvent) => {
        const live = stored.kind === 'start';
        // The whole state item, put rather than updated: the same item and the same
        // condition, without an update expression for the engine to parse on every callback.
        return put({
          TableName: tableName,
          Item: {
            pk,
            sk: stateSk,
            streamKey: stored.streamKey,
            provider: stored.provider,
            domain: stored.domain,
            app: stored.app,
            stream: stored.stream,
            live,
            since: stored.occurredAt,
            lastEventId: stored.id,
            lastAt: stateOrder(stored),
            ...(live ? { sessionId: stored.sessionId, liveIndex: 'live' } : {}),
          },
          // A retry of the event that last set the state leaves it as it is, even when the
          // retry's receive time (vendors without an event time) is later. `lastAt` and
          // `lastEventId` are always written together, so one existence test covers both
          // (and the shorter condition costs dynalite a third less time).
          ConditionExpression: 'attribute_not_exists(lastAt) OR (lastAt < :at AND lastEventId <> :id)',
          ExpressionAttributeValues: { ':id': stored.id, ':at': stateOrder(stored) },
        });
      };

      const writeEventAndState = async (stored: StreamEvent) => {
        const [outcome] = await allSettled([putEvent(stored), putState(stored)] as const);
        return outcome;
      };

      if (pairWithin === undefined) return writeEventAndState(record);

      type Key = Record<string, AttributeValue>;
      type TimeIndexPage = { items: { sk: string; timeKey: string; sessionId?: string }[]; next?: Key };
      const byTime = async (
        low: string,
        high: string,
        page: { newestFirst?: boolean; limit: number; startKey?: Key },
      ): Promise<TimeIndexPage> => {
        const result = await client().send(
          new QueryCommand({
            TableName: tableName,
            IndexName: tableIndexes.byTime,
            KeyConditionExpression: 'pk = :pk AND timeKey BETWEEN :low AND :high',
            ExpressionAttributeValues: toAttributes({ ':pk': pk, ':low': low, ':high': high }),
            ScanIndexForward: !page.newestFirst,
            Limit: page.limit,
            ExclusiveStartKey: page.startKey,
            ConsistentRead: true,
          }),
          { abortSignal },
        );
        return {
          items: (result.Items ?? []).map((item) => ({
            sk: item.sk!.S!,
            timeKey: item.timeKey!.S!,
            sessionId: item.sessionId?.S,
          })),
          next: result.LastEvaluatedKey,
        };
      };
      const starts = `start#${encodeURIComponent(pairWithin)}#`;
      const stops = `stop#${encodeURIComponent(pairWithin)}#`;

      /** The session id of the latest start at or before this stop. */
      const startBefore = async (stop: StreamEvent) => {
        const {
          items: [latest],
        } = await byTime(starts, `${starts}${stop.occurredAt}#~`, { newestFirst: true, limit: 1 });
        return latest && sessionIdFromStart(occurredAtOf(latest.timeKey), pairWithin);
      };

      /**
       * Points a stop at a session, unless it already points at a later start. Derived
       * session ids sort by their start's time, so starts that claim the same stop
       * concurrently settle on the latest one, whatever order their writes land in.
       */
      const assignStop = (stopSk: string, sessionId: string) =>
        update({
          TableName: tableName,
          Key: { pk, sk: stopSk },
          UpdateExpression: 'SET sessionId = :sessionId',
          ConditionExpression: 'attribute_exists(pk) AND (begins_with(sessionId, :orphan) OR sessionId < :sessionId)',
          ExpressionAttributeValues: { ':sessionId': sessionId, ':orphan': orphanPrefix },
        });

      if (record.kind === 'stop') {
        const sessionId = (await startBefore(record)) ?? record.sessionId;
        const outcome = await writeEventAndState({ ...record, sessionId });
        // Looked up again after writing, whatever the first look found: a later start
        // arriving meanwhile either sees this stop or is seen here, so the two can never
        // both miss each other.
        const lateStart = await startBefore(record);
        if (lateStart && lateStart !== sessionId) await assignStop(eventSkPrefix + record.id, lateStart);
        return outcome;
      }

      const outcome = await writeEventAndState(record);
      // The stops after this start, oldest first, are claimed up to the first one that a
      // later start holds: every stop after that one belongs to that start or a later one.
      // In the usual case (the newest start) this is one query that finds nothing. A stop
      // claimed here that belongs to a later start whose own claim is still on its way
      // ends up with that start all the same, since claims only move a stop to later starts.
      // (A table made before the index carried `sessionId` shows none: every later stop is
      // then claimed, which is slower and still right.)
      const laterStart = (sessionId: string | undefined) =>
        sessionId !== undefined && !sessionId.startsWith(orphanPrefix) && sessionId > record.sessionId;
      let startKey: Key | undefined;
      do {
        const page = await byTime(`${stops}${record.occurredAt}#`, `${stops}~`, { limit: 25, startKey });
        const held = page.items.findIndex((stop) => laterStart(stop.sessionId));
        const mine = (held === -1 ? page.items : page.items.slice(0, held)).filter(
          (stop) => stop.sessionId !== record.sessionId,
        );
        await allSettled(mine.map((stop) => assignStop(stop.sk, record.sessionId)));
        startKey = held === -1 ? page.next : undefined;
      } while (startKey);
      return outcome;
    },

    async claimSignature(claim: SignatureClaim, nowMs: number, abortSignal: AbortSignal) {
      const written = await unlessConditionFails(
        client().send(
          new PutItemCommand(
            inAttributes({
              TableName: tableName,
              Item: {
                // The signature's digest, not the signature: a reader of the table could replay it.
                pk: `guard#${claim.provider}#${sha256Hex(claim.signature.toLowerCase())}`,
                sk: 'guard',
                claimedFor: claim.identity,
                expiresAt: Math.ceil(claim.expiresAtMs / 1000),
              },
              // TTL deletion can lag by days, so an expired guard is overwritten here
              // rather than trusted to be gone.
              ConditionExpression: 'attribute_not_exists(pk) OR claimedFor = :identity OR expiresAt < :now',
              ExpressionAttributeValues: { ':identity': claim.identity, ':now': Math.floor(nowMs / 1000) },
            }),
          ),
          { abortSignal },
        ),
      );
      return written !== undefined;
    },
  };
  return {
    save: (record, pairWithin) => withinBudget(budgetMs, (signal) => writes.save(record, pairWithin, signal)),
    claimSignature: (claim, nowMs) => withinBudget(budgetMs, (signal) => writes.claimSignature(claim, nowMs, signal)),
  };
}

/** What the readers need of lib-dynamodb: every item of a Query or a Scan, page after page. */
interface Documents {
  queryAll(input: QueryCommandInput): Promise<Item[]>;
  scanAll(input: ScanCommandInput): Promise<Item[]>;
}

/** The readers' document client over `client`, lib-dynamodb loaded on first use. */
function documentsOf(client: () => DynamoDBClient): () => Promise<Documents> {
  let documents: Promise<Documents> | undefined;
  return () =>
    (documents ??= import('@aws-sdk/lib-dynamodb').then(
      ({ DynamoDBDocumentClient, QueryCommand: Query, ScanCommand: Scan }) => {
        const db = DynamoDBDocumentClient.from(client(), { marshallOptions: { removeUndefinedValues: true } });
        return {
          queryAll: (input) => collect((start) => db.send(new Query({ ...input, ExclusiveStartKey: start }))),
          scanAll: (input) =>
            collect((start) => db.send(new Scan({ ...input, ExclusiveStartKey: start, ConsistentRead: true }))),
        };
      },
    ));
}

function storeReader(tableName: string, documents: () => Promise<Documents>): StoreReader {
  const queryAll = async (input: QueryCommandInput) => (await documents()).queryAll(input);
  const scanAll = async (input: ScanCommandInput) => (await documents()).scanAll(input);
  return {
    async readStream(streamKey) {
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': streamPk(streamKey) },
        ConsistentRead: true,
      });
      const events = items.filter((item) => String(item.sk).startsWith(eventSkPrefix)).map(toRecord);
      const stateItem = items.find((item) => item.sk === stateSk);
      return {
        ...(stateItem ? { state: toState(stateItem) } : {}),
        events: events.sort(newestFirst),
        sessions: sessionsOf(events),
      };
    },

    async listStreams() {
      const items = await scanAll({
        TableName: tableName,
        FilterExpression: 'sk = :state',
        ExpressionAttributeValues: { ':state': stateSk },
      });
      return items.map(toState).sort((a, b) => a.streamKey.localeCompare(b.streamKey));
    },

    async listEvents() {
      const items = await scanAll({
        TableName: tableName,
        FilterExpression: 'begins_with(sk, :event)',
        ExpressionAttributeValues: { ':event': eventSkPrefix },
      });
      return items.map(toRecord).sort(newestFirst);
    },

    async listLiveStreams() {
      const items = await queryAll({
        TableName: tableName,
        IndexName: tableIndexes.liveStreams,
        KeyConditionExpression: 'liveIndex = :live',
        ExpressionAttributeValues: { ':live': 'live' },
      });
      return items.map(toState);
    },
  };
}

type Item = Record<string, unknown>;

const newestFirst = (a: StreamEvent, b: StreamEvent) =>
  b.occurredAt.localeCompare(a.occurredAt) || a.id.localeCompare(b.id);

/** Every item of a Query or Scan, page after page. */
async function collect(page: (start: Item | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>) {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const result = await page(start);
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Plain values as attribute values, as lib-dynamodb would send them, undefined ones left out. */
const toAttributes = (values: Item) => marshall(values, { removeUndefinedValues: true });

/** A document-style command input with its item, key and values as attribute values. */
function inAttributes(input: PutCommandInput | UpdateCommandInput): PutItemCommandInput & UpdateItemCommandInput {
  const {
    Item: item,
    Key: key,
    ExpressionAttributeValues: values,
    ...rest
  } = input as PutCommandInput & UpdateCommandInput;
  return {
    ...rest,
    ...(item ? { Item: toAttributes(item) } : {}),
    ...(key ? { Key: toAttributes(key) } : {}),
    ...(values ? { ExpressionAttributeValues: toAttributes(values) } : {}),
  } as PutItemCommandInput & UpdateItemCommandInput;
}

/** An event item without its table keys: the record as the handler built it. */
export function toRecord(item: Item): StreamEvent {
  const { pk: _pk, sk: _sk, timeKey: _timeKey, ...record } = item;
  return record as StreamEvent;
}

function toState(item: Item): StreamState {
  const { streamKey, provider, domain, app, stream, live, since, sessionId, lastEventId } =
    item as unknown as StreamState;
  return { streamKey, provider, domain, app, stream, live, since, ...(sessionId ? { sessionId } : {}), lastEventId };
}

/** The `occurredAt` inside a `timeKey` (`<kind>#<pairing key>#<occurredAt>#<id>`). */
function occurredAtOf(timeKey: string): string {
  return timeKey.split('#')[2]!;
}
