import type { StreamEvent } from '../shared/record';

/** One push: its start and stop as far as they have arrived. */
export interface Session {
  streamKey: string;
  sessionId: string;
  startedAt?: string;
  stoppedAt?: string;
  /** Milliseconds from start to stop, when both are known. */
  durationMs?: number;
  startEventId?: string;
  stopEventId?: string;
  reason?: StreamEvent['reason'];
}

const byOccurrence = (a: StreamEvent, b: StreamEvent) =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Pairs a stream's events into sessions by their session id. A session is kept from its
 * first arriving half, so a stop that came before its start still shows. When a vendor
 * without session values sent two stops for one push, the earlier one counts.
 */
export function sessionsOf(events: readonly StreamEvent[]): Session[] {
  const sessions = new Map<string, Session>();
  for (const event of [...events].sort(byOccurrence)) {
    let session = sessions.get(event.sessionId);
    if (!session) {
      session = { streamKey: event.streamKey, sessionId: event.sessionId };
      sessions.set(event.sessionId, session);
    }
    if (event.kind === 'start' && session.startedAt === undefined) {
      session.startedAt = event.occurredAt;
      session.startEventId = event.id;
    } else if (event.kind === 'stop' && session.stoppedAt === undefined) {
      session.stoppedAt = event.occurredAt;
      session.stopEventId = event.id;
      if (event.reason) session.reason = event.reason;
    }
  }
  for (const session of sessions.values()) {
    if (session.startedAt && session.stoppedAt) {
      session.durationMs = Date.parse(session.stoppedAt) - Date.parse(session.startedAt);
    }
  }
  return [...sessions.values()].sort((a, b) =>
    (a.startedAt ?? a.stoppedAt!).localeCompare(b.startedAt ?? b.stoppedAt!),
  );
}
