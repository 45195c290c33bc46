import type * as v from 'valibot';
import type { ProviderConfig } from './config';
import type { EventDraft, EventKind } from './record';
import type { RawRequest } from './request';
import type { SignatureClaim } from './store/port';
import type { TimeWindow } from './time-window';

/** Where a vendor puts a callback's fields. */
export type FieldFormat = 'query' | 'json' | 'form';

/** What a signature check gets: the request, the provider's settings and "now". */
export interface VerifyContext {
  request: RawRequest;
  config: ProviderConfig;
  nowMs: number;
}

/**
 * One vendor: how its callbacks arrive, how their authenticity is checked, their schema,
 * and how they become records. Adding a provider means writing one of these and a
 * three-line handler; nothing else changes.
 */
export interface ProviderAdapter<Message> {
  /** The route and record `provider` value, e.g. `tencent`. */
  name: string;
  method: 'GET' | 'POST';
  format: FieldFormat;
  /** Whether the vendor signs callbacks with a key (`LIVEHOOKS_<PROVIDER>_KEYS`). */
  signed: boolean;
  /**
   * The documented window of the vendor's signed time field. Absent when it signs no
   * time: its event times may then lie at most 60 s ahead.
   */
  defaultWindow?: TimeWindow;
  /** The field holding the vendor's own time of the event, for refusals; absent when it sends none. */
  eventTimeField?: string;
  /** Fields that carry the vendor's signature: redacted from the stored payload. */
  signatureFields?: readonly string[];
  /** The vendor sends no session value: stops are paired with starts by time. */
  pairByTime: boolean;
  /** Stream names are case-insensitive at this vendor: the stream key folds them. */
  foldStreamCase?: boolean;
  /**
   * Checks the vendor's signature and time fields on the parsed, not yet validated fields
   * (so nothing about the schema is revealed to an unauthenticated caller). Throws a
   * `Rejection`. May return a claim that the store must accept, to stop a signature
   * being replayed for another identity.
   */
  verify?(fields: Record<string, unknown>, context: VerifyContext): SignatureClaim | undefined;
  /**
   * Whether the callback is a start or a stop, read before the schema so that any other
   * event type (recording, snapshot, ...) is acknowledged and ignored, never refused for
   * not matching a start's schema. Throws a `Rejection` when the type field is missing.
   */
  kindOf(fields: Record<string, unknown>): EventKind | null;
  /** The valibot schema of a start or stop callback. */
  schema: v.GenericSchema<unknown, Message>;
  /**
   * The record draft of a validated start or stop; `nowMs` is the receive time. The
   * pipeline adds the payload (`raw`) and redacts credentials from `params` itself.
   */
  normalize(message: Message, kind: EventKind, nowMs: number): EventDraft;
}
