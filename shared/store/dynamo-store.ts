import { awsClientSettings } from '../aws-client';
import type { AwsClientOptions } from '../aws/core';
import {
  createDynamoClient as createClient,
  marshall,
  unmarshall,
  type AttributeValue,
  type DynamoClient,
  type DynamoOperations,
} from '../aws/dynamodb';
import type { Announcement, StoreNotice } from '../notification';
import { orphanPrefix, type StreamEvent } from '../record';
import { sha256Hex } from '../signature';
import type { EventStore, SaveOptions, Saved, SignatureClaim } from './port';
import { changeOf, laneFunction, pushesOf, withMark, type Change, type LaneOf, type Mark, type Pushes } from './pushes';
import {
  eventItemOf,
  eventSkPrefix,
  laneOfItem,
  logicalPk,
  logicalProvider,
  logicalPush,
  logicalStreamKey,
  markOf,
  marksOfItem,
  occurredAtOf,
  recordOfItem,
  refusalPk,
  stateItem,
  stateOfItem,
  stateOrderOf,
  stateSk,
  streamPk,
  tableIndexes,
  timeKeyPrefix,
  type StateExtras,
  type StreamIdentity,
} from './table';
import { saveStartPairedByTime, saveStopPairedByTime, type PairingTable } from './time-pairing';

/** Options of the DynamoDB store. */
export interface DynamoStoreOptions {
  tableName: string;
  /** A client of your own (tests, other endpoints); by default one is made on first use. */
  client?: DynamoClient;
  /**
   * Upper bound on one callback's store work, in milliseconds. Alibaba waits 5 s for an
   * answer, so the default leaves room for the rest of the handler.
   */
  budgetMs?: number;
}

/**
 * Makes the DynamoDB client: endpoint and region come from the standard AWS variables
 * (`AWS_ENDPOINT_URL_DYNAMODB` for a local engine) unless `options` names them.
 */
export function createDynamoClient(options: AwsClientOptions = {}): DynamoClient {
  return createClient({ ...awsClientSettings, ...options });
}

/** The given client, or the default one made on first use. */
export function clientOf(options: DynamoStoreOptions): () => DynamoClient {
  let client: DynamoClient | undefined;
  return () => (client ??= options.client ?? createDynamoClient());
}

/** Attempts at a stream's state before a callback gives up (503, and the vendor retries): each fails only when another callback of the stream wrote in between. */
const stateAttempts = 10;

/**
 * The DynamoDB {@link EventStore} a deployed function writes with. There are no
 * transactions (dynalite has none): every write is conditional or idempotent, and a
 * callback always performs all of its writes, even when its event is already stored, so a
 * retry completes whatever a failed attempt left undone. A callback writes the stream's
 * state first (read, then put on the condition that nobody wrote since), then its event
 * with what it announces: a retry finds that announcement with the event.
 */
export function createDynamoEventStore(options: DynamoStoreOptions): EventStore {
  const { tableName, budgetMs = 3500 } = options;
  const client = clientOf(options);
  return {
    save: (record, saving) =>
      within(budgetMs, saving.abortSignal, (abortSignal) =>
        saveRecord(tableName, sender(client(), abortSignal), record, saving),
      ),
    claimSignature: (claim, nowMs, signal) =>
      within(budgetMs, signal, (abortSignal) => putGuard(tableName, sender(client(), abortSignal), claim, nowMs)),
    keepRefusal: (refusal, expiresAtMs, signal) =>
      within(budgetMs, signal, async (abortSignal) => {
        const item = {
          ...refusal,
          pk: refusalPk(refusal.receivedAt.slice(0, 10)),
          sk: `${refusal.receivedAt}#${refusal.id}`,
          expiresAt: Math.ceil(expiresAtMs / 1000),
        };
        await sender(client(), abortSignal)('PutItem', { TableName: tableName, Item: toAttributes(item) });
      }),
    openSessions: (streamKey, signal) =>
      within(budgetMs, signal, async (abortSignal) => {
        const { Item } = await sender(client(), abortSignal)('GetItem', {
          TableName: tableName,
          Key: toAttributes({ pk: streamPk(streamKey), sk: stateSk }),
          ConsistentRead: true,
        });
        const state = Item && unmarshall(Item);
        if (!state) return [];
        return pushesOf(marksOfItem(state), laneOfItem(state)).open.map((push) => push.push);
      }),
  };
}

type Item = Record<string, AttributeValue>;
type Send = <Op extends keyof DynamoOperations>(
  operation: Op,
  input: DynamoOperations[Op][0],
) => Promise<DynamoOperations[Op][1]>;

/** The one way this store talks to DynamoDB: one API operation, under the callback's abort signal. */
const sender =
  (client: DynamoClient, abortSignal: AbortSignal): Send =>
  (operation, input) =>
    client.send(operation, input, { abortSignal });

/** The notice kept with an event: what its first save announced of its own stream. */
type KeptNotice = StoreNotice & { type: Change };

/** A stream's state after a callback, and what the callback changed (undefined: nothing, its mark was there). */
interface StateWrite {
  item: Record<string, unknown>;
  change: Change | undefined;
}

/** What a callback's event write found. */
interface EventWrite {
  result: 'stored' | 'duplicate';
  /** The event as stored before, for a duplicate (when the engine hands it back). */
  stored?: Record<string, unknown>;
}

async function saveRecord(tableName: string, send: Send, record: StreamEvent, saving: SaveOptions): Promise<Saved> {
  const { pairWithin, nowMs } = saving;
  const pairedByTime = pairWithin !== undefined;
  const laneOf = laneFunction(pairedByTime);
  const writeState = () =>
    updateState(tableName, send, streamPk(record.streamKey), record, markOf(record), laneOf, nowMs, {
      pairedByTime,
      staleAfter: saving.staleAfter,
    });

  let state: StateWrite;
  let event: EventWrite;
  let stored = record;
  let notice: KeptNotice;
  if (!pairedByTime) {
    state = await writeState();
    const told = noticeOf(state, record, nowMs, (pushes) => sessionFromMarks(pushes, record));
    event = await putEvent(tableName, send, record, undefined, saving.announce ? told : undefined);
    notice = keptNoticeOf(event) ?? told;
  } else {
    // Pairing by time writes the event, then looks again; the notice is kept once it knows the push.
    const table = pairingTable(tableName, send, record.streamKey, pairWithin, async (paired) => {
      const wrote = await writeState();
      return { state: wrote, event: await putEvent(tableName, send, paired, pairWithin, undefined) };
    });
    let paired: { startedAt?: string; stoppedAt?: string };
    let written: { state: StateWrite; event: EventWrite };
    if (record.kind === 'stop') {
      const saved = await saveStopPairedByTime(table, record, pairWithin);
      ({ written } = saved);
      stored = saved.stored;
      const startedAt = startTimeOf(stored.sessionId);
      paired = startedAt ? { startedAt } : {};
    } else {
      const saved = await saveStartPairedByTime(table, record);
      ({ written } = saved);
      paired = saved.stoppedAt ? { stoppedAt: saved.stoppedAt } : {};
    }
    ({ state, event } = written);
    const kept = keptNoticeOf(event);
    notice = kept ?? noticeOf(state, stored, nowMs, () => sessionOf(stored, paired));
    if (!kept && saving.announce) await keepNotice(tableName, send, record, notice);
  }
  const first = event.stored ? recordOfItem(event.stored) : stored;
  const { type, ...ownNotice } = notice;
  const told: Announcement[] = [{ id: record.id, type, streamKey: record.streamKey, notice: ownNotice }];
  if (saving.logical) {
    const { name, members } = saving.logical;
    const mark: Mark = {
      kind: record.kind,
      at: record.occurredAt,
      push: logicalPush(record.streamKey, record.sessionId, pairedByTime),
      ...(record.origin === 'reconcile' ? { repaired: true } : {}),
    };
    const identity = {
      streamKey: logicalStreamKey(name),
      provider: logicalProvider,
      domain: '',
      app: '',
      stream: name,
    };
    const logical = await updateState(
      tableName,
      send,
      logicalPk(name),
      { ...identity, id: record.id },
      mark,
      laneOfItem(identity),
      nowMs,
      {
        pairedByTime: false,
        staleAfter: saving.staleAfter,
        members,
      },
    );
    const logicalNotice = noticeOf(logical, record, nowMs, () => ownNotice.session);
    const { type: logicalType, ...rest } = logicalNotice;
    told.push({ id: logicalIdOf(name, record.id), type: logicalType, streamKey: identity.streamKey, notice: rest });
  }
  return {
    result: event.result,
    record: first.kind ? { ...first, sessionId: notice.session.sessionId } : first,
    announcements: told,
  };
}

/** A logical stream's notification id for one member callback: stable, and apart from the record's own. */
const logicalIdOf = (name: string, recordId: string) => sha256Hex(`logical\n${name}\n${recordId}`).slice(0, 32);

/**
 * Adds a callback's mark to a stream's state: read the state, work out the next one, and
 * put it on the condition that its version is still the one read (another callback of the
 * stream that wrote in between makes this one read again). Each mark is added by exactly
 * one write, so what it changed is worked out once. A mark already there, or one of those
 * forgotten, writes nothing (a state of the previous version is written all the same: it
 * is upgraded).
 */
async function updateState(
  tableName: string,
  send: Send,
  pk: string,
  stream: StreamIdentity & { id: string },
  mark: Mark,
  laneOf: LaneOf,
  nowMs: number,
  extras: Pick<StateExtras, 'pairedByTime' | 'staleAfter' | 'members'>,
): Promise<StateWrite> {
  for (let attempt = 0; attempt < stateAttempts; attempt++) {
    const { Item } = await send('GetItem', {
      TableName: tableName,
      Key: toAttributes({ pk, sk: stateSk }),
      ConsistentRead: true,
    });
    const old: Record<string, unknown> | undefined = Item && unmarshall(Item);
    const marks = marksOfItem(old);
    const next = withMark(marks, mark, laneOf, nowMs);
    const upgrade = old !== undefined && old.version === undefined;
    if (!next && !upgrade) return { item: old!, change: undefined };
    const version = Number(old?.version ?? 0) + 1;
    const item = stateItem(pk, stream, next?.marks ?? marks, next?.after ?? pushesOf(marks, laneOf), {
      ...extras,
      version,
      lastEventId: next ? stream.id : String(old!.lastEventId),
      lastChange: next ? changeOf(next.before, next.after, mark.kind) : ((old!.lastChange as Change) ?? 'push.started'),
    });
    try {
      await send('PutItem', {
        TableName: tableName,
        Item: toAttributes(item),
        ConditionExpression: old
          ? upgrade
            ? 'attribute_not_exists(version) AND lastEventId = :last'
            : 'version = :version'
          : 'attribute_not_exists(pk)',
        ...(old
          ? {
              ExpressionAttributeValues: toAttributes(
                upgrade ? { ':last': old.lastEventId } : { ':version': old.version },
              ),
            }
          : {}),
      });
      return { item, change: next ? (item.lastChange as Change) : undefined };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  throw new Error(`the state of ${stream.streamKey} changed under ${stateAttempts} attempts in a row`);
}

/**
 * What a callback announces of a stream, from the state after it: what it changed (a
 * retry of the callback that last changed the state says what that did), the state, and
 * the push.
 */
function noticeOf(
  { item, change }: StateWrite,
  record: StreamEvent,
  nowMs: number,
  session: (pushes: Pushes) => StoreNotice['session'],
): KeptNotice {
  const type: Change =
    change ??
    (item.lastEventId === record.id
      ? (item.lastChange as Change)
      : record.kind === 'start'
        ? 'push.started'
        : 'push.stopped');
  const state = stateOfItem(item, nowMs);
  return {
    type,
    state: {
      live: state.live,
      since: state.since,
      ...(state.sessionId ? { sessionId: state.sessionId } : {}),
      openPushes: state.openPushes,
      pushes: state.pushes.map(({ sessionId, startedAt, streamKey }) => ({
        sessionId,
        startedAt,
        ...(streamKey ? { streamKey } : {}),
      })),
      ...(state.currentMember ? { currentMember: state.currentMember } : {}),
      lastEventAt: state.lastEventAt,
      changed: type.startsWith('stream.'),
      order: stateOrderOf(Number(item.version)),
    },
    session: session(pushesOf(marksOfItem(item), laneOfItem(item))),
  };
}

/** A push's session as the stream's marks tell it (vendors with a push id). */
function sessionFromMarks(pushes: Pushes, record: StreamEvent): StoreNotice['session'] {
  const known = pushes.all.get(record.sessionId);
  const own = record.kind === 'start' ? { startedAt: record.occurredAt } : { stoppedAt: record.occurredAt };
  return sessionOf(record, {
    ...(known?.startedAt ? { startedAt: known.startedAt } : {}),
    ...(known?.stoppedAt ? { stoppedAt: known.stoppedAt } : {}),
    ...own,
  });
}

/** A session from its halves, as far as known. */
function sessionOf(record: StreamEvent, halves: { startedAt?: string; stoppedAt?: string }): StoreNotice['session'] {
  const startedAt = record.kind === 'start' ? record.occurredAt : halves.startedAt;
  const stoppedAt = record.kind === 'stop' ? record.occurredAt : halves.stoppedAt;
  return {
    sessionId: record.sessionId,
    ...(startedAt ? { startedAt } : {}),
    ...(stoppedAt ? { stoppedAt } : {}),
    ...(startedAt && stoppedAt ? { durationMs: Date.parse(stoppedAt) - Date.parse(startedAt) } : {}),
  };
}

/** The notice kept with an event already stored, if it is one of this version. */
function keptNoticeOf(event: EventWrite): KeptNotice | undefined {
  const notice = event.stored?.notice as KeptNotice | undefined;
  return notice?.type ? notice : undefined;
}

/**
 * The event, once, with the notice its save announces: a second put of the same id fails
 * its condition, and that is a duplicate. DynamoDB hands the stored event back with the
 * failure (a local engine's client that does not is given a wrapper that reads it).
 */
async function putEvent(
  tableName: string,
  send: Send,
  record: StreamEvent,
  pairWithin: string | undefined,
  notice: KeptNotice | undefined,
): Promise<EventWrite> {
  try {
    await send('PutItem', {
      TableName: tableName,
      Item: toAttributes({ ...eventItemOf(record, pairWithin), ...(notice ? { notice } : {}) }),
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    return { result: 'stored' };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const item = (error as { Item?: Item }).Item;
    return { result: 'duplicate', ...(item ? { stored: unmarshall(item) } : {}) };
  }
}

/** Keeps a notice with an event paired by time, once its push is known (the first one kept stays). */
async function keepNotice(tableName: string, send: Send, record: StreamEvent, notice: KeptNotice): Promise<void> {
  await unlessConditionFails(
    send('UpdateItem', {
      TableName: tableName,
      Key: toAttributes({ pk: streamPk(record.streamKey), sk: eventSkPrefix + record.id }),
      UpdateExpression: 'SET notice = :notice',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(notice)',
      ExpressionAttributeValues: toAttributes({ ':notice': notice }),
    }),
  );
}

/** The time of the start a derived session id (`start@<time>[#key]`) names. */
const startTimeOf = (sessionId: string) =>
  sessionId.startsWith('start@') ? sessionId.slice('start@'.length).split('#')[0] : undefined;

/** One stream's items, for pairing by time. */
function pairingTable<Written>(
  tableName: string,
  send: Send,
  streamKey: string,
  pairWithin: string,
  writeEventAndState: (record: StreamEvent) => Promise<Written>,
): PairingTable<Written> {
  const pk = streamPk(streamKey);
  /** One page of the `by-time` index between two keys. */
  const byTime = async (low: string, high: string, page: { newestFirst?: boolean; limit: number; after?: unknown }) => {
    const result = await send('Query', {
      TableName: tableName,
      IndexName: tableIndexes.byTime,
      KeyConditionExpression: 'pk = :pk AND timeKey BETWEEN :low AND :high',
      ExpressionAttributeValues: toAttributes({ ':pk': pk, ':low': low, ':high': high }),
      ScanIndexForward: !page.newestFirst,
      Limit: page.limit,
      ExclusiveStartKey: page.after as Record<string, AttributeValue> | undefined,
      ConsistentRead: true,
    });
    return { items: result.Items ?? [], next: result.LastEvaluatedKey };
  };
  const startKeys = timeKeyPrefix('start', pairWithin);
  const stopKeys = timeKeyPrefix('stop', pairWithin);

  return {
    writeEventAndState,
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
        send('UpdateItem', {
          TableName: tableName,
          Key: toAttributes({ pk, sk: stopSk }),
          UpdateExpression: 'SET sessionId = :sessionId',
          // Derived session ids sort by their start's time: only a later start may take a stop.
          ConditionExpression: 'attribute_exists(pk) AND (begins_with(sessionId, :orphan) OR sessionId < :sessionId)',
          ExpressionAttributeValues: toAttributes({ ':sessionId': sessionId, ':orphan': orphanPrefix }),
        }),
      );
    },
  };
}

/** Claims a signature for one identity; false when another identity holds it unexpired. */
async function putGuard(tableName: string, send: Send, claim: SignatureClaim, nowMs: number): Promise<boolean> {
  const written = await unlessConditionFails(
    send('PutItem', {
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
  return (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
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
const toAttributes = (values: Record<string, unknown>) => marshall(values);
