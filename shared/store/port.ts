import type { StreamEvent } from '../record';

/** A replay guard: a signature may be seen again only with the same identity. */
export interface SignatureClaim {
  provider: string;
  /** The signature as presented; the table keeps only its digest. */
  signature: string;
  /** Everything the signature stands for, written so that two identities never read alike. */
  identity: string;
  /** When the signature's window closes: after this the claim may be given to another identity. */
  expiresAtMs: number;
}

/**
 * What the pipeline needs of a store (the port; `dynamo-store.ts` is the DynamoDB
 * implementation, and a test or another database can supply its own).
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
  save(record: StreamEvent, pairWithin?: string): Promise<'stored' | 'duplicate'>;
  /**
   * Records that a signature was used for one identity. Resolves false when the same
   * signature was already used for another identity and has not expired: a replay.
   */
  claimSignature(claim: SignatureClaim, nowMs: number): Promise<boolean>;
}
