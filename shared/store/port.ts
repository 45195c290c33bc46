import type { Announcement } from '../notification';
import type { StreamEvent } from '../record';
import type { SignatureClaim } from '../provider';
import type { KeptRefusal } from '../refusal';

export type { SignatureClaim };

/** How to save one record. */
export interface SaveOptions {
  /** The callback's receive time, in milliseconds: what the state forgets is counted from it. */
  nowMs: number;
  /**
   * Given when the vendor sends no session value: a stop belongs to the latest start at or
   * before it with the same pairing key (`''` when the vendor has none), and a start adopts
   * the stops up to the next such start.
   */
  pairWithin?: string | undefined;
  /** The logical stream the record's stream is a member of (docs/behaviour.md §4), with all its members. */
  logical?: { name: string; members: readonly string[] } | undefined;
  /** The provider's `STALE_AFTER` in seconds, kept on the state for the read API. */
  staleAfter?: number | undefined;
  /**
   * Whether the announcements are sent (a destination is configured): only then is the
   * announcement kept with the event for a retry, which makes the event item larger.
   */
  announce?: boolean | undefined;
  /** The pipeline's budget for the callback's store and publish work. */
  abortSignal?: AbortSignal | undefined;
}

/** What a save did, and what to announce. */
export interface Saved {
  result: 'stored' | 'duplicate';
  /**
   * The record as its first delivery stored it (a retry's own receive time and payload are
   * not announced), with the session it was paired into for a vendor paired by time.
   */
  record: StreamEvent;
  /**
   * What to announce: the record's own stream, then the logical stream it is a member of.
   * The same for every delivery once a first one was saved: a retry gets what its first
   * attempt announced of its own stream, kept with its event.
   */
  announcements: Announcement[];
}

/**
 * What the pipeline needs of a store (the port; `dynamo-store.ts` is the DynamoDB
 * implementation, and a test or another database can supply its own). Every call takes an
 * optional abort signal: the pipeline's budget for a callback's store and publish work.
 */
export interface EventStore {
  /**
   * Stores a record exactly once, brings the stream's state (and its logical stream's) and
   * session pairing up to date, and says what to announce, in one call. Resolves
   * `duplicate` when the record was already stored (its other writes are redone all the
   * same). Rejects when the store fails; the caller answers 503.
   */
  save(record: StreamEvent, options: SaveOptions): Promise<Saved>;
  /**
   * Records that a signature was used for one identity. Resolves false when the same
   * signature was already used for another identity and has not expired: a replay.
   */
  claimSignature(claim: SignatureClaim, nowMs: number, abortSignal?: AbortSignal): Promise<boolean>;
  /** Keeps a refused callback's summary until `expiresAtMs` (for its operator: docs/observability.md). */
  keepRefusal(refusal: KeptRefusal, expiresAtMs: number, abortSignal?: AbortSignal): Promise<void>;
  /**
   * The sessions of the pushes open on a stream now (none when it is not live, or unknown).
   * Read only for the rare stop under a name `ALLOW_STREAMS` no longer admits, to tell the
   * end of a push recorded before the list narrowed from the end of one it refused. A
   * store without it records no such stop.
   */
  openSessions?(streamKey: string, abortSignal?: AbortSignal): Promise<string[]>;
}
