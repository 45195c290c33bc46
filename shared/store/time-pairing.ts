import { orphanPrefix, sessionIdFromStart, type StreamEvent } from '../record';
import { allSettled } from '../all-settled';
import { eventSkPrefix } from './table';

/** A stop, as the `by-time` index shows it: where it is, when it happened, the session it points at now. */
export interface IndexedStop {
  sk: string;
  occurredAt: string;
  sessionId?: string;
}

/**
 * What pairing by time needs of the table; `dynamo-store.ts` implements it for one stream.
 * `Written` is whatever the table reports of a callback's writes.
 */
export interface PairingTable<Written> {
  /** Writes the event (once) and the stream's state, both together. */
  writeEventAndState(record: StreamEvent): Promise<Written>;
  /** The time (ISO) of the latest start at or before `at` with this pairing key, if any. */
  latestStartAtOrBefore(at: string): Promise<string | undefined>;
  /** The stops at or after `at`, oldest first, a page at a time (`after` continues a page). */
  stopsFrom(at: string, after?: unknown): Promise<{ stops: IndexedStop[]; next?: unknown }>;
  /** Points a stop at a session, unless it already points at a later start's. */
  assignStop(stopSk: string, sessionId: string): Promise<void>;
}

/**
 * Saves a stop of a vendor without session values (docs/behaviour.md §4): it belongs to
 * the latest start at or before it. That start is looked up before the writes (so that the
 * stop is stored in its session when the start is there) and again after them: a start
 * arriving meanwhile either sees this stop or is seen here, so the two never miss each
 * other.
 */
export async function saveStopPairedByTime<Written>(
  table: PairingTable<Written>,
  stop: StreamEvent,
  pairWithin: string,
): Promise<{ written: Written; stored: StreamEvent }> {
  const sessionOf = async () => {
    const startedAt = await table.latestStartAtOrBefore(stop.occurredAt);
    return startedAt && sessionIdFromStart(startedAt, pairWithin);
  };
  const stored = { ...stop, sessionId: (await sessionOf()) ?? stop.sessionId };
  const written = await table.writeEventAndState(stored);
  const lateStart = await sessionOf();
  if (!lateStart || lateStart === stored.sessionId) return { written, stored };
  await table.assignStop(eventSkPrefix + stop.id, lateStart);
  return { written, stored: { ...stored, sessionId: lateStart } };
}

/**
 * Saves a start of a vendor without session values: after its writes it claims the stops
 * after it, oldest first, up to the first one that a later start holds (every stop after
 * that one belongs to that start or a later one). For the newest start this is one query
 * that finds nothing. A stop claimed here that belongs to a later start whose own claim is
 * still on its way ends up with that start all the same: derived session ids sort by their
 * start's time, and a claim only ever moves a stop to a later start. (A table made before
 * the index carried `sessionId` shows none: every later stop is claimed, slower and still
 * right.)
 */
export async function saveStartPairedByTime<Written>(
  table: PairingTable<Written>,
  start: StreamEvent,
): Promise<{ written: Written; stoppedAt?: string }> {
  const written = await table.writeEventAndState(start);
  const heldByLaterStart = (stop: IndexedStop) =>
    stop.sessionId !== undefined && !stop.sessionId.startsWith(orphanPrefix) && stop.sessionId > start.sessionId;
  let page: { stops: IndexedStop[]; next?: unknown } | undefined;
  // The first stop after the start, unless a later start holds it, is this push's stop.
  let stoppedAt: string | undefined;
  do {
    page = await table.stopsFrom(start.occurredAt, page?.next);
    const held = page.stops.findIndex(heldByLaterStart);
    const ours = held === -1 ? page.stops : page.stops.slice(0, held);
    stoppedAt ??= ours[0]?.occurredAt;
    const mine = ours.filter((stop) => stop.sessionId !== start.sessionId);
    await allSettled(mine.map((stop) => table.assignStop(stop.sk, start.sessionId)));
    if (held !== -1) break;
  } while (page.next);
  return { written, ...(stoppedAt ? { stoppedAt } : {}) };
}
