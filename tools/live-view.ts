/**
 * What a consumer of notifications keeps: who is live, and each push's start and stop,
 * from notifications alone, in any order and however often each arrives (docs/notifications.md).
 * The load test and the tests rebuild their views with it; a consumer in TypeScript can too.
 */
import type { StreamNotification } from '../shared/notification';
import { orphanPrefix } from '../shared/record';

/** One stream's state as the notifications tell it. */
export interface LiveState {
  live: boolean;
  since: string;
  /** The current push, while live. */
  sessionId?: string;
  openPushes: number;
  /** For a logical stream: the member carrying the current push. */
  currentMember?: string;
  /** The `state.order` it came with: a state with a greater one replaces it. */
  order: string;
}

/** One push as the notifications tell it. */
export interface NotifiedSession {
  streamKey: string;
  sessionId: string;
  startedAt?: string;
  stoppedAt?: string;
}

/** Streams by key, and the pushes of each by session id. */
export interface LiveView {
  streams: Map<string, LiveState>;
  sessions: Map<string, NotifiedSession>;
}

/** An empty view. */
export const emptyLiveView = (): LiveView => ({ streams: new Map(), sessions: new Map() });

/**
 * Takes one notification into the view, under the stream it is about (a member's, or its
 * logical stream's). The state with the greatest `order` holds, so
 * duplicates and any order of arrival give the same view; a session's halves are merged
 * from whichever notifications carry them (the earlier, as the table's sessions count
 * them, when a vendor sent one twice at different times). A stop not yet paired with its start (a
 * `stop@` session) is left for the start's notification, which names the stop's time.
 */
export function applyNotification(view: LiveView, { streamKey, record, state, session }: StreamNotification): LiveView {
  if (state) {
    const known = view.streams.get(streamKey);
    if (!known || state.order > known.order) {
      const { live, since, sessionId, openPushes, currentMember, order } = state;
      view.streams.set(streamKey, {
        live,
        since,
        ...(sessionId ? { sessionId } : {}),
        openPushes,
        ...(currentMember ? { currentMember } : {}),
        order,
      });
    }
  }
  // A logical stream's notification repeats its member's session: taken from the member's own.
  if (session && streamKey === record.streamKey && !session.sessionId.startsWith(orphanPrefix)) {
    const key = `${record.streamKey}\n${session.sessionId}`;
    const known = view.sessions.get(key) ?? { streamKey: record.streamKey, sessionId: session.sessionId };
    known.startedAt = earlier(known.startedAt, session.startedAt);
    known.stoppedAt = earlier(known.stoppedAt, session.stoppedAt);
    view.sessions.set(key, known);
  }
  return view;
}

const earlier = (a: string | undefined, b: string | undefined) =>
  a === undefined || (b !== undefined && b < a) ? b : a;
