/**
 * The comparison at the heart of reconciliation (docs/behaviour.md §7): the pushes the
 * table holds open for one provider against the vendor's own list of live pushes. A
 * difference is repaired only once it has lasted the grace period, counted from the first
 * list that showed it; what was seen since when is kept between runs ({@link Observed}).
 * Pure: the caller reads the table and the list, and saves what this returns.
 */
import { timeLaneOf } from '../store/pushes';
import type { LivePush } from './live-list';

/** A push the table holds open, with its stream. */
export interface TablePush {
  streamKey: string;
  domain: string;
  app: string;
  stream: string;
  /** The push as the state names it (`sessionId` of an open push). */
  sessionId: string;
  /** When it started, ISO 8601. */
  startedAt: string;
}

/** One difference seen, and since when. */
export interface Difference {
  /** The first list that showed it (ms). */
  sinceMs: number;
  /** A push the table holds open: the latest time it is known live (ms). */
  lastSeenMs?: number;
  /** Set once it was repaired: it is not repaired again while it lasts. */
  repaired?: true;
}

/** What reconciliation remembers between two runs for one provider. */
export interface Observed {
  /** When the last list was read (ms). */
  listedAtMs?: number;
  /** Open in the table, not listed: by {@link stopKey}. */
  absent: Record<string, Difference>;
  /** Listed, not open in the table: by {@link startKey}. */
  present: Record<string, Difference>;
}

/** A synthetic stop to record. */
export interface StopRepair {
  kind: 'stop';
  push: TablePush;
  /** The stop's time: when the push was last known live (ms). */
  atMs: number;
}

/** A synthetic start to record. */
export interface StartRepair {
  kind: 'start';
  streamKey: string;
  push: LivePush;
  /** The start's time: the vendor's, else the first list that showed it (ms). */
  atMs: number;
}

/** How one provider's pushes compare. */
export interface CompareOptions {
  /** The provider's stream key of a listed push, as its receiver makes it (`streamKeyOf`). */
  streamKeyOf: (push: LivePush) => string;
  /** Whether the provider pairs its pushes by time (no push id in its callbacks). */
  pairedByTime: boolean;
  nowMs: number;
  /** How long a difference must last before it is repaired (ms). */
  graceMs: number;
}

/** What one run repairs, and what it remembers for the next. */
export interface Comparison {
  stops: StopRepair[];
  starts: StartRepair[];
  observed: Observed;
}

/**
 * How much the vendor's clock may run ahead of ours: a synthetic stop is dated this much
 * before the last list that showed the push, so that the real stop, if it comes, is later.
 */
export const clockSkewMs = 10_000;

/** Nothing seen yet. */
export const nothingObserved = (): Observed => ({ absent: {}, present: {} });

/** The key of a table push in {@link Observed.absent}. */
export const stopKey = (push: Pick<TablePush, 'streamKey' | 'sessionId'>) => `${push.streamKey}\n${push.sessionId}`;

/** The key of a listed push in {@link Observed.present}. */
export const startKey = (streamKey: string, push: LivePush) =>
  `${streamKey}\n${push.sessionId ?? ''}\n${push.pairingKey ?? ''}`;

/**
 * Whether a listed push is the table's push: by push id when both have one (vendors with a
 * push id), by pairing key (the lane a push paired by time is in) when the list gives one,
 * else any push of the stream.
 */
function isSamePush(table: TablePush, listed: LivePush, pairedByTime: boolean): boolean {
  if (!pairedByTime && listed.sessionId !== undefined) return table.sessionId === listed.sessionId;
  if (pairedByTime && listed.pairingKey !== undefined) return timeLaneOf(table.sessionId) === `#${listed.pairingKey}`;
  return true;
}

/**
 * Compares the table's open pushes of a provider with its vendor's live list. A push open
 * in the table and missing from the list for at least `graceMs` becomes a stop, dated when
 * it was last known live; a listed push the table does not hold open for as long becomes a
 * start, dated when the vendor says it began. A difference that ends is forgotten; one
 * repaired is not repaired again while it lasts.
 */
export function compare(
  table: readonly TablePush[],
  listed: readonly LivePush[],
  observed: Observed,
  { streamKeyOf, pairedByTime, nowMs, graceMs }: CompareOptions,
): Comparison {
  const listedByStream = new Map<string, LivePush[]>();
  for (const push of listed) {
    const key = streamKeyOf(push);
    listedByStream.set(key, [...(listedByStream.get(key) ?? []), push]);
  }
  const tableByStream = new Map<string, TablePush[]>();
  for (const push of table) tableByStream.set(push.streamKey, [...(tableByStream.get(push.streamKey) ?? []), push]);

  const next = nothingObserved();
  next.listedAtMs = nowMs;
  const stops: StopRepair[] = [];
  const starts: StartRepair[] = [];
  const lasted = (difference: Difference) => !difference.repaired && nowMs - difference.sinceMs >= graceMs;

  for (const push of table) {
    const shown = listedByStream.get(push.streamKey)?.some((live) => isSamePush(push, live, pairedByTime));
    if (shown) continue;
    const key = stopKey(push);
    const startedMs = Date.parse(push.startedAt);
    const seen = observed.absent[key] ?? {
      sinceMs: nowMs,
      lastSeenMs: Math.min(nowMs, Math.max(startedMs, (observed.listedAtMs ?? startedMs) - clockSkewMs)),
    };
    if (lasted(seen)) {
      stops.push({ kind: 'stop', push, atMs: seen.lastSeenMs ?? startedMs });
      next.absent[key] = { ...seen, repaired: true };
    } else next.absent[key] = seen;
  }

  for (const [streamKey, pushes] of listedByStream) {
    const open = tableByStream.get(streamKey) ?? [];
    for (const push of pushes) {
      if (open.some((known) => isSamePush(known, push, pairedByTime))) continue;
      const key = startKey(streamKey, push);
      if (next.present[key]) continue;
      const seen = observed.present[key] ?? { sinceMs: nowMs };
      if (lasted(seen)) {
        starts.push({ kind: 'start', streamKey, push, atMs: push.startedAtMs ?? seen.sinceMs });
        next.present[key] = { ...seen, repaired: true };
      } else next.present[key] = seen;
    }
  }
  return { stops, starts, observed: next };
}
