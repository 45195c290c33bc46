import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { awsClientSettings } from '../aws-client';
import type { StoreNotice } from '../notification';
import { orphanPrefix, type StreamEvent } from '../record';
import { sha256Hex } from '../signature';
import type { Announcement, EventStore, Saved, SignatureClaim } from './port';
import {
  eventItemOf,
  eventSkPrefix,
  occurredAtOf,
  recordOfItem,
  refusalPk,
  stateItemOf,
  stateOrder,
  stateSk,
  streamPk,
  tableIndexes,
  timeKeyPrefix,
} from './table';
import { allSettled } from '../all-settled';
import { saveStartPairedByTime, saveStopPairedByTime, type PairingTable } from './time-pairing';

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
    save: (record, pairWithin, signal) =>
      within(budgetMs, signal, async (abortSignal) => {
        const stream = streamTable(tableName, client(), abortSignal, record.streamKey, pairWithin);
        if (pairWithin === undefined) return savedOf(record, await stream.writeEventAndState(record));
        if (record.kind === 'stop') {
          const { written, stored } = await saveStopPairedByTime(stream, record, pairWithin);
          const startedAt = startTimeOf(stored.sessionId);
          return savedOf(stored, written, startedAt ? { startedAt } : {});
        }
        const { written, stoppedAt } = await saveStartPairedByTime(stream, record);
        return savedOf(record, written, stoppedAt ? { stoppedAt } : {});
      }),
    keepNotice: (record, notice, signal) =>
      within(budgetMs, signal, async (abortSignal) => {
        await unlessConditionFails(
          client().send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: toAttributes({ pk: streamPk(record.streamKey), sk: eventSkPrefix + record.id }),
              UpdateExpression: 'SET notice = :notice',
              // The first notice kept stays: a retry announces what its first attempt did.
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(notice)',
              ExpressionAttributeValues: toAttributes({ ':notice': notice }),
            }),
            { abortSignal },
          ),
        );
      }),
    claimSignature: (claim, nowMs, signal) =>
      within(budgetMs, signal, (abortSignal) => putGuard(tableName, client(), abortSignal, claim, nowMs)),
    keepRefusal: (refusal, expiresAtMs, signal) =>
      within(budgetMs, signal, async (abortSignal) => {
        const item = {
          ...refusal,
          pk: refusalPk(refusal.receivedAt.slice(0, 10)),
          sk: `${refusal.receivedAt}#${refusal.id}`,
          expiresAt: Math.ceil(expiresAtMs / 1000),
        };
        await client().send(new PutItemCommand({ TableName: tableName, Item: toAttributes(item) }), { abortSignal });
      }),
    liveSession: (streamKey, signal) =>
      within(budgetMs, signal, async (abortSignal) => {
        const { Item } = await client().send(
          new GetItemCommand({
            TableName: tableName,
            Key: toAttributes({ pk: streamPk(streamKey), sk: stateSk }),
            ConsistentRead: true,
            ProjectionExpression: 'live, sessionId',
          }),
          { abortSignal },
        );
        const state = Item && unmarshall(Item);
        return state?.live === true && typeof state.sessionId === 'string' ? state.sessionId : undefined;
      }),
  };
}

/**
 * What one callback's two writes found: the event as stored before (a duplicate's), and the
 * state beside it. Where a condition failed and the engine did not hand the item back
 * (DynamoDB does, dynalite does not), it is read when it is asked for.
 */
interface Written {
  result: 'stored' | 'duplicate';
  /** The event item already stored, for a duplicate. */
  storedEvent?: () => Promise<Item | undefined>;
  /** Whether this callback's event now sets the stream's state. */
  stateWritten: boolean;
  /** The state before this callback's put (when it was written), or the state that stays (when not). */
  state: () => Promise<Item | undefined>;
}

type Item = Record<string, AttributeValue>;

/** The time of the start a derived session id (`start@<time>[#key]`) names. */
const startTimeOf = (sessionId: string) =>
  sessionId.startsWith('start@') ? sessionId.slice('start@'.length).split('#')[0] : undefined;

/**
 * A save's result. Its announcement is the record as first stored with the notice kept
 * beside it, else the stream's state and the session as the writes found them. What a
 * vendor without session values paired the callback with (`paired`) is known from the
 * pairing; a session vendor's other half, from the state beside the write (a start's stop
 * that came first, a stop's live start).
 */
function savedOf(
  record: StreamEvent,
  written: Written,
  paired: { startedAt?: string; stoppedAt?: string } = {},
): Saved {
  return { result: written.result, record, announcement: () => announcementOf(record, written, paired) };
}

async function announcementOf(
  retried: StreamEvent,
  written: Written,
  paired: { startedAt?: string; stoppedAt?: string },
): Promise<Announcement> {
  const stored = await written.storedEvent?.();
  const first = stored && unmarshall(stored);
  const record = first ? recordOfItem(first) : retried;
  if (first?.notice) {
    // The session as announced then: a later start may since have taken a stop paired by time.
    const notice = first.notice as StoreNotice;
    return { record: { ...record, sessionId: notice.session.sessionId }, notice, kept: true };
  }
  const stateItem = await written.state();
  const other = stateItem && (unmarshall(stateItem) as Record<string, unknown>);
  const state: StoreNotice['state'] =
    written.stateWritten || !other
      ? {
          live: record.kind === 'start',
          since: record.occurredAt,
          ...(record.kind === 'start' ? { sessionId: record.sessionId } : {}),
          changed: true,
          order: stateOrder(record),
        }
      : {
          live: other.live === true,
          since: String(other.since),
          ...(other.sessionId ? { sessionId: String(other.sessionId) } : {}),
          // A retry of the event that set the state: it is still the one that changed it.
          changed: other.lastEventId === record.id,
          order: String(other.lastAt),
        };
  // The other half of a session vendor's push, when the state beside the write is it.
  const otherHalf = other?.lastSessionId === record.sessionId && other?.lastEventId !== record.id ? other : undefined;
  const startedAt =
    record.kind === 'start'
      ? record.occurredAt
      : (paired.startedAt ?? (otherHalf?.live === true ? String(otherHalf.since) : undefined));
  const stoppedAt =
    record.kind === 'stop'
      ? record.occurredAt
      : (paired.stoppedAt ?? (otherHalf?.live === false ? String(otherHalf.since) : undefined));
  const session: StoreNotice['session'] = {
    sessionId: record.sessionId,
    ...(startedAt ? { startedAt } : {}),
    ...(stoppedAt ? { stoppedAt } : {}),
    ...(startedAt && stoppedAt ? { durationMs: Date.parse(stoppedAt) - Date.parse(startedAt) } : {}),
  };
  return { record, notice: { state, session }, kept: false };
}

/** One stream's items, for one callback's writes and queries. */
function streamTable(
  tableName: string,
  client: DynamoDBClient,
  abortSignal: AbortSignal,
  streamKey: string,
  pairWithin: string | undefined,
): PairingTable<Written> {
  const pk = streamPk(streamKey);
  const send = <T>(command: PutItemCommand | UpdateItemCommand | QueryCommand | GetItemCommand) =>
    client.send(command as never, { abortSignal }) as Promise<T>;

  /** An item as it stands, when a write's condition failed: as the engine handed it back, or read when asked. */
  const current = (sk: string, failure: unknown) => {
    const handedBack = (failure as { Item?: Item }).Item;
    return async () =>
      handedBack ??
      (
        await send<{ Item?: Item }>(
          new GetItemCommand({ TableName: tableName, Key: toAttributes({ pk, sk }), ConsistentRead: true }),
        )
      ).Item;
  };

  /** The event, once: a second put of the same id fails its condition, and that is a duplicate. */
  const putEvent = async (record: StreamEvent): Promise<Pick<Written, 'result' | 'storedEvent'>> => {
    try {
      await send(
        new PutItemCommand({
          TableName: tableName,
          Item: toAttributes(eventItemOf(record, pairWithin)),
          ConditionExpression: 'attribute_not_exists(pk)',
          // DynamoDB hands the stored event back (dynalite does not: then it is read).
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { result: 'stored' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { result: 'duplicate', storedEvent: current(eventSkPrefix + record.id, error) };
    }
  };

  /**
   * The whole state item, put rather than updated (the same item and condition, without an
   * update expression for the engine to parse). A retry of the event that last set the state
   * leaves it as it is, even when the retry's receive time is later; `lastAt` and
   * `lastEventId` are always written together, so one existence test covers both. What was
   * there before, or what stays, comes back for the notice.
   */
  const putState = async (record: StreamEvent): Promise<Pick<Written, 'stateWritten' | 'state'>> => {
    try {
      const { Attributes } = await send<{ Attributes?: Item }>(
        new PutItemCommand({
          TableName: tableName,
          Item: toAttributes(stateItemOf(record, pairWithin !== undefined)),
          ConditionExpression: 'attribute_not_exists(lastAt) OR (lastAt < :at AND lastEventId <> :id)',
          ExpressionAttributeValues: toAttributes({ ':id': record.id, ':at': stateOrder(record) }),
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { stateWritten: true, state: async () => Attributes };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { stateWritten: false, state: current(stateSk, error) };
    }
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
  const startKeys = timeKeyPrefix('start', pairWithin ?? '');
  const stopKeys = timeKeyPrefix('stop', pairWithin ?? '');

  return {
    async writeEventAndState(record) {
      const [event, state] = await allSettled([putEvent(record), putState(record)] as const);
      return { ...event, ...state };
    },
    async latestStartAtOrBefore(at) {
      const { items } = await byTime(startKeys, `${startKeys}${at}#~`, { newestFirst: true, limit: 1 });
      return items[0] && occurredAtOf(items[0].timeKey!.S!);
    },
    async stopsFrom(at, after) {
      const { items, next } = await byTime(`${stopKeys}${at}#`, `${stopKeys}~`, { limit: 25, after });
      const stops = items.map((item) => ({
        sk: item.sk!.S!,
        occurredAt: occurredAtOf(item.timeKey!.S!),
        sessionId: item.sessionId?.S,
      }));
      return { stops, next };
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
 * Runs one callback's store work under `signal` (the pipeline's budget for the callback's
 * store and publish work), or, without one, under an abort signal that fires after
 * `budgetMs`. Unlike `AbortSignal.timeout`, whose timer lives on for the whole budget, the
 * timer is cleared as soon as the work is done: a busy container keeps no pending timer.
 */
export async function within<T>(
  budgetMs: number,
  signal: AbortSignal | undefined,
  work: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (signal) return work(signal);
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
