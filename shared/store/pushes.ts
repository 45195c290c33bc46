/**
 * Who is live when pushes overlap (docs/behaviour.md §4): a stream's pushes as two sets of
 * marks, the starts and the stops it has taken, and what follows from them: which pushes
 * are open, the current one, since when the stream is live or not. Everything here is a
 * function of the two sets, so the state does not depend on the order the callbacks came in
 * nor on how often each came.
 *
 * A mark is `<occurredAt> <push>`: the vendor's time (ISO 8601, no space) and the push it is
 * about, split at the first space, so the text is one-to-one with the pair. A push is:
 * - for a vendor with a push id, that id: a stop closes the push of its id, even before its
 *   start has come (the late start does not open it);
 * - for a vendor paired by time, the session id the record carries as built
 *   (`start@<time>[#key]`, `stop@<time>[#key]`): in the lane of its pairing key, a stop
 *   closes the latest push still open at or before it. The count of open pushes is exact
 *   whatever the order; which of two overlapping pushes a stop ended is not knowable.
 */

/** A start or a stop of one push, at the vendor's time. */
export interface Mark {
  kind: 'start' | 'stop';
  at: string;
  push: string;
  /** Made by reconciliation from the vendor's live list, not sent by the vendor: a real mark of the same push replaces it. */
  repaired?: boolean | undefined;
}

/** The marks a state item keeps: what it has taken, and what it forgot to stay small. */
export interface PushMarks {
  started: ReadonlySet<string>;
  stopped: ReadonlySet<string>;
  /**
   * Which of those reconciliation made (`<kind> <mark text>`): each gives way to a real
   * mark of the same push ({@link sameRepairedPush}), whichever comes first.
   */
  repaired?: ReadonlySet<string> | undefined;
  /** Marks at or before this time that the sets do not hold are ones forgotten (or older): they change nothing. */
  forgottenUpTo?: string | undefined;
}

/**
 * How a stream pairs its marks: `undefined` for a push paired by its id, else the lane
 * whose stops close its latest open start (vendors paired by time; a logical stream's
 * members each have their own lanes).
 */
export type LaneOf = (push: string) => string | undefined;

/** One push as the marks tell it. */
export interface Push {
  push: string;
  startedAt?: string;
  stoppedAt?: string;
}

/** What the marks say about a stream. */
export interface Pushes {
  /** The open pushes, oldest first (by start, then push). */
  open: (Push & { startedAt: string })[];
  /** Every push the marks know, open, closed or a stop alone, by push. */
  all: Map<string, Push>;
  /** The latest start among the open pushes: the current push. */
  current?: string;
  live: boolean;
  /** Live: when the run of overlapping pushes that is still open began. Not live: the latest stop. */
  since?: string;
  /** The latest vendor time among the marks. */
  lastEventAt?: string;
}

/** The text of a mark. */
export const markText = (at: string, push: string) => `${at} ${push}`;

/** A mark's time and push. */
export function readMark(text: string): { at: string; push: string } {
  const space = text.indexOf(' ');
  return { at: text.slice(0, space), push: text.slice(space + 1) };
}

/** The lane of a push paired by time: its pairing key (`#key`), `` without one. */
export const timeLaneOf: LaneOf = (push) => {
  const hash = push.indexOf('#');
  return hash === -1 ? '' : push.slice(hash);
};

const byPush: LaneOf = () => undefined;

/** A lane function for a stream: by time for a vendor paired by time, else by push id. */
export const laneFunction = (pairedByTime: boolean): LaneOf => (pairedByTime ? timeLaneOf : byPush);

const earlier = (a: string | undefined, b: string) => (a === undefined || b < a ? b : a);
const later = (a: string | undefined, b: string) => (a === undefined || b > a ? b : a);

/** Which pushes the marks open and close, and what that makes of the stream. */
export function pushesOf(marks: PushMarks, laneOf: LaneOf): Pushes {
  const all = new Map<string, Push>();
  const push = (id: string) => {
    let known = all.get(id);
    if (!known) all.set(id, (known = { push: id }));
    return known;
  };
  const lanes = new Map<string, Mark[]>();
  let lastEventAt: string | undefined;
  const take = (kind: Mark['kind'], text: string) => {
    const { at, push: id } = readMark(text);
    lastEventAt = later(lastEventAt, at);
    const lane = laneOf(id);
    if (lane === undefined) {
      const known = push(id);
      if (kind === 'start') known.startedAt = earlier(known.startedAt, at);
      else known.stoppedAt = earlier(known.stoppedAt, at);
      return;
    }
    let marks = lanes.get(lane);
    if (!marks) lanes.set(lane, (marks = []));
    marks.push({ kind, at, push: id });
  };
  for (const text of marks.started) take('start', text);
  for (const text of marks.stopped) take('stop', text);
  // Paired by time: in time order (a start before a stop at the same time), a stop closes
  // the latest start still open; a stop with none open stays a stop alone.
  for (const lane of lanes.values()) {
    lane.sort((a, b) =>
      a.at < b.at ? -1 : a.at > b.at ? 1 : a.kind !== b.kind ? (a.kind === 'start' ? -1 : 1) : a.push < b.push ? -1 : 1,
    );
    const open: Push[] = [];
    for (const mark of lane) {
      if (mark.kind === 'start') {
        const known = push(mark.push);
        known.startedAt = earlier(known.startedAt, mark.at);
        open.push(known);
      } else {
        const closed = open.pop();
        if (closed) closed.stoppedAt = mark.at;
        else push(mark.push).stoppedAt = mark.at;
      }
    }
  }
  const open = [...all.values()]
    .filter(
      (known): known is Push & { startedAt: string } => known.startedAt !== undefined && known.stoppedAt === undefined,
    )
    .sort(byStart);
  const current = open.at(-1)?.push;
  const live = open.length > 0;
  return {
    open,
    all,
    ...(current ? { current } : {}),
    live,
    ...sinceOf(all, live),
    ...(lastEventAt ? { lastEventAt } : {}),
  };
}

const byStart = (a: Push, b: Push) =>
  a.startedAt! < b.startedAt! ? -1 : a.startedAt! > b.startedAt! ? 1 : a.push < b.push ? -1 : a.push > b.push ? 1 : 0;

/** Live: the start of the run of overlapping pushes that reaches now. Not live: the latest stop. */
function sinceOf(all: Map<string, Push>, live: boolean): { since?: string } {
  if (!live) {
    let since: string | undefined;
    for (const known of all.values()) if (known.stoppedAt) since = later(since, known.stoppedAt);
    return since ? { since } : {};
  }
  const started = [...all.values()].filter((known) => known.startedAt !== undefined).sort(byStart);
  let runStart = '';
  let runEnd: string | undefined = '';
  for (const known of started) {
    // `undefined` is an end still open: it covers everything after it.
    if (runEnd !== undefined && known.startedAt! > runEnd) runStart = known.startedAt!;
    if (runEnd !== undefined) runEnd = known.stoppedAt === undefined ? undefined : later(runEnd, known.stoppedAt);
    if (runStart === '') runStart = known.startedAt!;
  }
  return { since: runStart };
}

/** How a stream's state changed with one callback: what its notification's `type` says. */
export type Change = 'stream.started' | 'stream.stopped' | 'stream.failover' | 'push.started' | 'push.stopped';

/** The change from `before` to `after` for a callback of `kind`. */
export function changeOf(before: Pushes, after: Pushes, kind: Mark['kind']): Change {
  if (!before.live && after.live) return 'stream.started';
  if (before.live && !after.live) return 'stream.stopped';
  if (before.live && after.live && before.current !== after.current) return 'stream.failover';
  return kind === 'start' ? 'push.started' : 'push.stopped';
}

/**
 * How long a retried callback may come after its push (docs/vendors.md): Mux retries for
 * 24 hours, the longest of the vendors'. A closed push older than this is forgotten.
 */
export const retryHorizonMs = 24 * 3_600_000;
/** Closed pushes (and stops alone) kept however recent: the newest ones. */
export const maxClosedPushes = 8;
/** Open pushes kept: past this many, the oldest are forgotten (docs/behaviour.md §4). */
export const maxOpenPushes = 32;

/**
 * How far apart a repaired mark and a real one of a push paired by time may be and still be
 * one push: the real stop lies between the list that last showed the push (the repaired
 * stop's time) and the one that no longer did, at most the reconcile interval plus the
 * grace later (docs/behaviour.md §7 bounds both to this).
 */
export const repairWindowMs = 3_600_000;

const none: ReadonlySet<string> = new Set();
const repairedText = (kind: Mark['kind'], text: string) => `${kind} ${text}`;

/**
 * Whether a real mark is of the push a repaired one was made for: the same kind and, for a
 * push id, the same push; paired by time, the same lane and, for a stop, a real time from
 * the repaired one's to {@link repairWindowMs} after it (for a start, within that either
 * way). It depends on the two marks alone, so the marks kept do not depend on their order.
 */
export function sameRepairedPush(repaired: Mark, real: Mark, laneOf: LaneOf): boolean {
  if (repaired.kind !== real.kind) return false;
  const lane = laneOf(repaired.push);
  if (lane === undefined) return laneOf(real.push) === undefined && repaired.push === real.push;
  if (laneOf(real.push) !== lane) return false;
  const gap = Date.parse(real.at) - Date.parse(repaired.at);
  return gap <= repairWindowMs && gap >= (real.kind === 'stop' ? 0 : -repairWindowMs);
}

/**
 * Adds one mark, unless it is already there or is one of those forgotten, and keeps the
 * sets small: closed pushes older than {@link retryHorizonMs} and all but the newest
 * {@link maxClosedPushes} are forgotten, open pushes past {@link maxOpenPushes} too (the
 * oldest). What is forgotten moves `forgottenUpTo`, so that a retry of it cannot come back.
 * A repaired mark is not added when a real one of its push is there; a real mark takes the
 * place of the repaired ones of its push. Returns undefined when the mark changes nothing.
 */
export function withMark(
  marks: PushMarks,
  mark: Mark,
  laneOf: LaneOf,
  nowMs: number,
): { marks: PushMarks; before: Pushes; after: Pushes } | undefined {
  const text = markText(mark.at, mark.push);
  const own = mark.kind === 'start' ? marks.started : marks.stopped;
  const repaired = marks.repaired ?? none;
  const ownMarks = () => [...own].map((known) => ({ kind: mark.kind, ...readMark(known), text: known }));
  let kept = own;
  let keptRepaired = repaired;
  if (mark.repaired) {
    if (own.has(text)) return undefined;
    const real = ownMarks().filter((known) => !repaired.has(repairedText(mark.kind, known.text)));
    if (real.some((known) => sameRepairedPush(mark, known, laneOf))) return undefined;
    keptRepaired = new Set(repaired).add(repairedText(mark.kind, text));
  } else {
    const replaced = ownMarks().filter(
      (known) => repaired.has(repairedText(mark.kind, known.text)) && sameRepairedPush(known, mark, laneOf),
    );
    if (own.has(text) && replaced.length === 0) return undefined;
    if (replaced.length > 0) {
      const gone = new Set(replaced.map((known) => known.text));
      kept = new Set([...own].filter((known) => !gone.has(known)));
      keptRepaired = new Set(
        [...repaired].filter((entry) => !replaced.some((known) => entry === repairedText(mark.kind, known.text))),
      );
    }
  }
  const added = new Set(kept).add(text);
  const next: PushMarks = {
    started: mark.kind === 'start' ? added : marks.started,
    stopped: mark.kind === 'stop' ? added : marks.stopped,
    ...(keptRepaired.size > 0 ? { repaired: keptRepaired } : {}),
    forgottenUpTo: marks.forgottenUpTo,
  };
  const after = pushesOf(next, laneOf);
  if (marks.forgottenUpTo !== undefined && mark.at <= marks.forgottenUpTo) {
    // An old mark counts only when it ends a push the sets still hold open.
    const ended = after.all.get(mark.push);
    const closesOpen =
      mark.kind === 'stop' && laneOf(mark.push) === undefined
        ? ended?.startedAt !== undefined
        : mark.kind === 'stop' && ended === undefined;
    if (!closesOpen) return undefined;
  }
  const before = pushesOf(marks, laneOf);
  const trimmed = trim(next, after, laneOf, nowMs);
  return { marks: trimmed, before, after: trimmed === next ? after : pushesOf(trimmed, laneOf) };
}

/** Forgets what {@link withMark} says is forgotten. */
function trim(marks: PushMarks, pushes: Pushes, laneOf: LaneOf, nowMs: number): PushMarks {
  const horizon = new Date(nowMs - retryHorizonMs).toISOString();
  const endOf = (known: Push) => known.stoppedAt ?? known.startedAt!;
  const closed = [...pushes.all.values()].filter((known) => known.stoppedAt !== undefined);
  closed.sort((a, b) => (endOf(a) < endOf(b) ? 1 : endOf(a) > endOf(b) ? -1 : 0));
  const forget = new Set<string>();
  closed.forEach((known, index) => {
    if (index >= maxClosedPushes || endOf(known) < horizon) forget.add(known.push);
  });
  for (const known of pushes.open.slice(0, Math.max(0, pushes.open.length - maxOpenPushes))) forget.add(known.push);
  if (forget.size === 0) return marks;
  // A push paired by time is closed by a stop with a push of its own: forget that one too.
  const forgottenLanes = new Map<string, string>();
  for (const id of forget) {
    const known = pushes.all.get(id)!;
    const lane = laneOf(id);
    if (lane !== undefined && known.stoppedAt) forgottenLanes.set(`${lane}\n${known.stoppedAt}`, id);
  }
  let forgottenUpTo = marks.forgottenUpTo;
  const keep = (kind: Mark['kind']) => (text: string) => {
    const { at, push } = readMark(text);
    const lane = laneOf(push);
    const gone =
      forget.has(push) ||
      (kind === 'stop' &&
        lane !== undefined &&
        forgottenLanes.has(`${lane}\n${at}`) &&
        pushes.all.get(push)?.startedAt === undefined);
    if (gone) forgottenUpTo = later(forgottenUpTo, at);
    return !gone;
  };
  const started = new Set([...marks.started].filter(keep('start')));
  const stopped = new Set([...marks.stopped].filter(keep('stop')));
  const repaired = [...(marks.repaired ?? none)].filter((entry) => {
    const space = entry.indexOf(' ');
    return (entry.slice(0, space) === 'start' ? started : stopped).has(entry.slice(space + 1));
  });
  return { started, stopped, ...(repaired.length > 0 ? { repaired: new Set(repaired) } : {}), forgottenUpTo };
}
