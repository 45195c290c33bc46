/**
 * The load test's two honest parts: a callback is signed when it is sent, as vendors sign
 * (a token signed up front expires on a long run: LiveKit's lasts five minutes), and the
 * audit counts as lost only what was accepted and then missing, with refusals apart.
 */
import type { VendorRequest } from '../../shared/provider';
import { providerOf } from '../../tools/providers';

/** One push's start or stop, as its vendor sends it: the fields, not yet signed. */
export interface LoadCallback {
  provider: string;
  streamKey: string;
  kind: 'start' | 'stop';
  /** When the event happened, Unix seconds. */
  atSec: number;
  fields: Record<string, unknown>;
}

/**
 * The request the vendor sends for `callback` at `sendSec` (each retry signs anew), signed
 * with `key`. Where the signed time is also the event's time (Huawei, Twitch's offline), it stays the event's
 * second: that is the stop's stored time, and it keeps two pushes' signatures apart.
 */
export function requestAt(callback: LoadCallback, sendSec: number, key: string | undefined): VendorRequest {
  const { samples } = providerOf(callback.provider);
  // In the signed time's own form: Unix seconds (Huawei), or RFC 3339 (Twitch).
  const eventTime =
    samples.signedTime?.format === 'rfc3339' ? new Date(callback.atSec * 1000).toISOString() : String(callback.atSec);
  return samples.sign(callback.fields, {
    key,
    nowSec: sendSec,
    ...(samples.signedTimeIsEventTime ? { signedTime: eventTime } : {}),
  });
}

/** What became of the callbacks: accepted ones lost, and the refused ones by reason. */
export interface DeliveryAudit {
  /** Callbacks answered 200 with an id at least once. */
  accepted: number;
  /** Accepted callbacks none of whose ids is in the table. */
  lost: number;
  /** Callbacks never accepted (every delivery of them refused). */
  refused: number;
  /** Refused deliveries, by the reason they were answered with (or the status). */
  refusals: Record<string, number>;
}

/**
 * Counts, per callback, what its deliveries were answered (`answers`: the ids it was
 * accepted with; `refusals`: the reasons it was turned away with) against the ids stored.
 */
export function auditDeliveries<Callback>(
  callbacks: readonly Callback[],
  answers: ReadonlyMap<Callback, ReadonlySet<string>>,
  refusals: ReadonlyMap<Callback, readonly string[]>,
  storedIds: ReadonlySet<string>,
): DeliveryAudit {
  const audit: DeliveryAudit = { accepted: 0, lost: 0, refused: 0, refusals: {} };
  for (const callback of callbacks) {
    for (const reason of refusals.get(callback) ?? []) audit.refusals[reason] = (audit.refusals[reason] ?? 0) + 1;
    const ids = [...(answers.get(callback) ?? [])];
    if (ids.length === 0) {
      audit.refused += 1;
      continue;
    }
    audit.accepted += 1;
    if (!ids.some((id) => storedIds.has(id))) audit.lost += 1;
  }
  return audit;
}
