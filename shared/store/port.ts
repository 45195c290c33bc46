import type { StoreNotice } from '../notification';
import type { StreamEvent } from '../record';
import type { SignatureClaim } from '../provider';
import type { KeptRefusal } from '../refusal';

export type { SignatureClaim };

/** What a save did: whether the record was new, and the record as stored. */
export interface Saved {
  result: 'stored' | 'duplicate';
  /** The record as stored (for vendors paired by time, with the session it was paired into). */
  record: StreamEvent;
  /**
   * What to announce of the callback: the record as first stored, and the stream's state and
   * the callback's session as of its first save (a retry gets the notice kept then: see
   * {@link EventStore.keepNotice}). Asked only when there is someone to tell: it may cost a read.
   */
  announcement(): Promise<Announcement>;
}

/** A stored callback as it is announced; the same for every delivery once its notice is kept. */
export interface Announcement {
  /** The record as its first delivery stored it (a retry's own receive time and payload are not announced). */
  record: StreamEvent;
  notice: StoreNotice;
  /** Whether `notice` is the one kept with the event (else it is worked out now, and should be kept). */
  kept: boolean;
}

/**
 * What the pipeline needs of a store (the port; `dynamo-store.ts` is the DynamoDB
 * implementation, and a test or another database can supply its own). Every call takes an
 * optional abort signal: the pipeline's budget for a callback's store and publish work.
 */
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
  save(record: StreamEvent, pairWithin?: string, abortSignal?: AbortSignal): Promise<Saved>;
  /**
   * Keeps a callback's notice with its event (the first one kept stays), so that a retry
   * announces what its first attempt did. Called beside the publish of a new notification.
   */
  keepNotice(record: StreamEvent, notice: StoreNotice, abortSignal?: AbortSignal): Promise<void>;
  /**
   * Records that a signature was used for one identity. Resolves false when the same
   * signature was already used for another identity and has not expired: a replay.
   */
  claimSignature(claim: SignatureClaim, nowMs: number, abortSignal?: AbortSignal): Promise<boolean>;
  /** Keeps a refused callback's summary until `expiresAtMs` (for its operator: docs/observability.md). */
  keepRefusal(refusal: KeptRefusal, expiresAtMs: number, abortSignal?: AbortSignal): Promise<void>;
  /**
   * The session live on a stream now, or undefined when it is not live (or unknown). Read
   * only for the rare stop under a name `ALLOW_STREAMS` no longer admits, to tell the end
   * of a push recorded before the list narrowed from the end of one it refused. A store
   * without it records no such stop.
   */
  liveSession?(streamKey: string, abortSignal?: AbortSignal): Promise<string | undefined>;
}
