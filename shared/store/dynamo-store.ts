import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { awsClientSettings } from '../aws-client';
import { orphanPrefix, type StreamEvent } from '../record';
import { sha256Hex } from '../signature';
import type { EventStore, SignatureClaim } from './port';
import {
  eventSkPrefix,
  occurredAtOf,
  stateOrder,
  stateSk,
  streamPk,
  tableIndexes,
  timeKeyOf,
  timeKeyPrefix,
} from './table';
import { allSettled, saveStartPairedByTime, saveStopPairedByTime, type PairingTable } from './time-pairing';

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

/**
 * Makes the DynamoDB client: endpoint and region come from the standard AWS variables
 * (`AWS_ENDPOINT_URL_DYNAMODB` for a local engine) unless `config` names them.
 */
export function createDynamoClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({ ...awsClientSettings, ...config });
}

/** The given client, or the default one made on first use. */
export function clientOf(options: DynamoStoreOptions): () => DynamoDBClient {
  let client: DynamoDBClient | undefined;
  return () => (client ??= options.client ?? createDynamoClient());
}

/**
 * The DynamoDB {@link EventStore} a deployed function writes with. There are no
 * transactions (dynalite has none): every write is conditional or idempotent, and a
 * callback always performs all of its writes, even when its event is already stored, so a
 * retry completes whatever a failed attempt left undone.
 */
export function createDynamoEventStore(options: DynamoStoreOptions): EventStore {
  const { tableName, budgetMs = 3500 } = options;
  const client = clientOf(options);
  return {
    save: (record, pairWithin) =>
      withinBudget(budgetMs, (abortSignal) => {
        const stream = streamTable(tableName, client(), abortSignal, record.streamKey, pairWithin);
        if (pairWithin === undefined) return stream.writeEventAndState(record);
        return record.kind === 'stop'
          ? saveStopPairedByTime(stream, record, pairWithin)
          : saveStartPairedByTime(stream, record);
      }),
    claimSignature: (claim, nowMs) =>
      withinBudget(budgetMs, (abortSignal) => putGuard(tableName, client(), abortSignal, claim, nowMs)),
  };
}

/** One stream's items, for one callback's writes and queries. */
function streamTable(
  tableName: string,
  client: DynamoDBClient,
  abortSignal: AbortSignal,
  streamKey: string,
  pairWithin: string | undefined,
): PairingTable {
  const pk = streamPk(streamKey);
  const send = <T>(command: PutItemCommand | UpdateItemCommand | QueryCommand) =>
    client.send(command as never, { abortSignal }) as Promise<T>;

  /** The event, once: a second put of the same id fails its condition, and that is a duplicate. */
  const putEvent = async (record: StreamEvent) => {
    // Only events paired by time go into the `by-time` index: an index entry is one more
    // write for the engine, and the other vendors' events are never looked up by time.
    const item: Record<string, unknown> = { ...record, pk, sk: eventSkPrefix + record.id };
    if (pairWithin !== undefined) item.timeKey = timeKeyOf(record.kind, pairWithin, record.occurredAt, record.id);
    const written = await unlessConditionFails(
      send(
        new PutItemCommand({
          TableName: tableName,
          Item: toAttributes(item),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return written ? ('stored' as const) : ('duplicate' as const);
  };

  /**
   * The whole state item, put rather than updated (the same item and condition, without an
   * update expression for the engine to parse). A retry of the event that last set the state
   * leaves it as it is, even when the retry's receive time is later; `lastAt` and
   * `lastEventId` are always written together, so one existence test covers both.
   */
  const putState = (record: StreamEvent) => {
    const live = record.kind === 'start';
    return unlessConditionFails(
      send(
        new PutItemCommand({
          TableName: tableName,
          Item: toAttributes({
            pk,
            sk: stateSk,
            streamKey: record.streamKey,
            provider: record.provider,
            domain: record.domain,
            app: record.app,
            stream: record.stream,
            live,
            since: record.occurredAt,
            lastEventId: record.id,
            lastAt: stateOrder(record),
            ...(live ? { sessionId: record.sessionId, liveIndex: 'live' } : {}),
          }),
          ConditionExpression: 'attribute_not_exists(lastAt) OR (lastAt < :at AND lastEventId <> :id)',
          ExpressionAttributeValues: toAttributes({ ':id': record.id, ':at': stateOrder(record) }),
        }),
      ),
    );
  };

  /** One page of the `by-time` index between two keys. */
  const byTime = async (low: string, high: string, page: { newestFirst?: boolean; limit: number; after?: unknown }) => {
    const result = await send<{ Items?: Record<string, AttributeValue>[]; LastEvaluatedKey?: unknown }>(
      new QueryCommand({
        TableName: tableName,
        IndexName: tableIndexes.byTime,
        KeyConditionExpression: 'pk = :pk AND timeKey BETWEEN :low AND :high',
        ExpressionAttributeValues: toAttributes({ ':pk': pk, ':low': low, ':high': high }),
        ScanIndexForward: !page.newestFirst,
        Limit: page.limit,
        ExclusiveStartKey: page.after as Record<string, AttributeValue> | undefined,
        ConsistentRead: true,
      }),
    );
    return { items: result.Items ?? [], next: result.LastEvaluatedKey };
  };
  const starts = timeKeyPrefix('start', pairWithin ?? '');
  const stops = timeKeyPrefix('stop', pairWithin ?? '');

  return {
    async writeEventAndState(record) {
      const [outcome] = await allSettled([putEvent(record), putState(record)] as const);
      return outcome;
    },
    async latestStartAtOrBefore(at) {
      const { items } = await byTime(starts, `${starts}${at}#~`, { newestFirst: true, limit: 1 });
      return items[0] && occurredAtOf(items[0].timeKey!.S!);
    },
    async stopsFrom(at, after) {
      const { items, next } = await byTime(`${stops}${at}#`, `${stops}~`, { limit: 25, after });
      return { stops: items.map((item) => ({ sk: item.sk!.S!, sessionId: item.sessionId?.S })), next };
    },
    async assignStop(stopSk, sessionId) {
      await unlessConditionFails(
        send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: toAttributes({ pk, sk: stopSk }),
            UpdateExpression: 'SET sessionId = :sessionId',
            // Derived session ids sort by their start's time: only a later start may take a stop.
            ConditionExpression: 'attribute_exists(pk) AND (begins_with(sessionId, :orphan) OR sessionId < :sessionId)',
            ExpressionAttributeValues: toAttributes({ ':sessionId': sessionId, ':orphan': orphanPrefix }),
          }),
        ),
      );
    },
  };
}

/** Claims a signature for one identity; false when another identity holds it unexpired. */
async function putGuard(
  tableName: string,
  client: DynamoDBClient,
  abortSignal: AbortSignal,
  claim: SignatureClaim,
  nowMs: number,
): Promise<boolean> {
  const written = await unlessConditionFails(
    client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toAttributes({
          // The signature's digest, not the signature: a reader of the table could replay it.
          pk: `guard#${claim.provider}#${sha256Hex(claim.signature.toLowerCase())}`,
          sk: 'guard',
          claimedFor: claim.identity,
          expiresAt: Math.ceil(claim.expiresAtMs / 1000),
        }),
        // TTL deletion can lag by days, so an expired guard is overwritten here rather than
        // trusted to be gone.
        ConditionExpression: 'attribute_not_exists(pk) OR claimedFor = :identity OR expiresAt < :now',
        ExpressionAttributeValues: toAttributes({ ':identity': claim.identity, ':now': Math.floor(nowMs / 1000) }),
      }),
      { abortSignal },
    ),
  );
  return written !== undefined;
}

/**
 * Runs one callback's store work under an abort signal that fires after `budgetMs`. Unlike
 * `AbortSignal.timeout`, whose timer lives on for the whole budget, the timer is cleared
 * as soon as the work is done: a busy container keeps no pending timer per callback.
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

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as Error | undefined)?.name === 'ConditionalCheckFailedException'
  );
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

/** Plain values as attribute values, undefined ones left out. */
const toAttributes = (values: Record<string, unknown>) => marshall(values, { removeUndefinedValues: true });
