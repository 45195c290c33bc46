import type { Rejection, Reason } from './answer';
import type { FieldFormat } from './provider';
import { forEachFormPair, maxPayloadBytes, type RawRequest } from './request';

/**
 * A refused callback as kept for its operator ("did the vendor call us, and why did we
 * refuse it?"): who, when, the answer, and a summary of the request that holds nothing a
 * caller could replay: the field names, never a value, a key, a token, a signature or the body.
 */
export interface KeptRefusal {
  v: 1;
  id: string;
  provider: string;
  receivedAt: string;
  status: number;
  reason: Reason;
  message: string;
  /** The caller's address (the vendor's server), as the Function URL saw it: not a record's `clientIp`, the publisher's. */
  callerIp?: string;
  /** The stream key, when the refusal came after it could be read. */
  streamKey?: string;
  request: {
    method: string;
    contentType: string;
    bytes: number;
    /** The top-level field names present (at most {@link maxFieldNames}, each cut to 64 characters). */
    fields: string[];
  };
  /** Refusals of the same reason this container did not keep since the last it kept (the budget). */
  suppressed?: number;
}

/** How many field names a kept refusal lists. */
export const maxFieldNames = 32;

/** The top-level field names of a request, read the way its vendor sends them; none when unreadable. */
function fieldNamesOf(request: RawRequest, format: FieldFormat): string[] {
  let names: string[] = [];
  // Refused for its size: never read.
  if (request.bodyBytes > maxPayloadBytes || request.rawQuery.length > maxPayloadBytes) return names;
  try {
    if (format === 'json') {
      const parsed: unknown = request.bodyIsUtf8 ? JSON.parse(request.body) : undefined;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) names = Object.keys(parsed);
    } else {
      // A name without `=` (`&SECRET`) may itself be a publisher's secret: never listed.
      forEachFormPair(format === 'query' ? request.rawQuery : request.body, (name, _value, pair) => {
        if (pair.includes('=') && !names.includes(name)) names.push(name);
      });
    }
  } catch {
    // Not readable: the refusal says why; there are no names to list.
  }
  // The URL token's name is listed; its value, like every value, never is.
  return names.slice(0, maxFieldNames).map((name) => name.slice(0, 64));
}

/** What is kept of one refused callback. */
export function keptRefusalOf(
  provider: string,
  rejection: Rejection,
  request: RawRequest,
  format: FieldFormat,
  { nowMs, id }: { nowMs: number; id: string },
): KeptRefusal {
  return {
    v: 1,
    id,
    provider,
    receivedAt: new Date(nowMs).toISOString(),
    status: rejection.status,
    reason: rejection.reason,
    message: rejection.message,
    ...(request.clientIp ? { callerIp: request.clientIp } : {}),
    ...(rejection.streamKey ? { streamKey: rejection.streamKey } : {}),
    request: {
      method: request.method,
      contentType: request.contentType,
      bytes: request.bodyBytes,
      fields: fieldNamesOf(request, format),
    },
  };
}

/**
 * How many refusals one container keeps: at most `perMinute` of each reason in each
 * minute, the rest counted and reported on the next one kept. A flood of forged requests
 * is refused as fast as ever, but adds at most `perMinute` items per reason per container
 * per minute to the table, each expiring after the retention (docs/observability.md).
 */
export function refusalBudget(perMinute: number) {
  const windows = new Map<string, { minute: number; kept: number; suppressed: number }>();
  return {
    /** Whether to keep this one; when kept, how many of its reason were passed over since the last. */
    take(reason: string, nowMs: number): { keep: false } | { keep: true; suppressed: number } {
      const minute = Math.floor(nowMs / 60_000);
      let window = windows.get(reason);
      if (!window) windows.set(reason, (window = { minute, kept: 0, suppressed: 0 }));
      if (window.minute !== minute) Object.assign(window, { minute, kept: 0 });
      if (window.kept >= perMinute) {
        window.suppressed++;
        return { keep: false };
      }
      window.kept++;
      const suppressed = window.suppressed;
      window.suppressed = 0;
      return { keep: true, suppressed };
    },
  };
}
