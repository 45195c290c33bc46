import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  changeOf,
  laneFunction,
  markText,
  maxClosedPushes,
  pushesOf,
  retryHorizonMs,
  withMark,
  type Mark,
  type PushMarks,
} from '../../../../shared/store/pushes';

const t0 = Date.parse('2026-11-23T10:00:00.000Z');
const iso = (second: number) => new Date(t0 + second * 1000).toISOString();
const empty: PushMarks = { started: new Set(), stopped: new Set() };
const byId = laneFunction(false);
const byTime = laneFunction(true);
const start = (second: number, push: string): Mark => ({ kind: 'start', at: iso(second), push });
const stop = (second: number, push: string): Mark => ({ kind: 'stop', at: iso(second), push });

/** The marks after taking `marks` in this order, and the change each made. */
function take(marks: Mark[], laneOf = byId, nowMs = t0 + 3600_000) {
  let state = empty;
  const changes: string[] = [];
  for (const mark of marks) {
    const next = withMark(state, mark, laneOf, nowMs);
    if (!next) continue;
    changes.push(changeOf(next.before, next.after, mark.kind));
    state = next.marks;
  }
  return { state, changes, pushes: pushesOf(state, laneOf) };
}

describe('pushesOf', () => {
  it('keeps a stream live while any push is open, the latest start current', () => {
    const { pushes, changes } = take([start(0, 'a'), start(10, 'b'), stop(12, 'a')]);
    expect(pushes).toMatchObject({ live: true, current: 'b', since: iso(0), lastEventAt: iso(12) });
    expect(pushes.open.map((push) => push.push)).toEqual(['b']);
    expect(changes).toEqual(['stream.started', 'stream.failover', 'push.stopped']);
  });

  it('closes a push whose stop came first; its late start opens nothing', () => {
    const { pushes, changes } = take([stop(5, 'a'), start(0, 'a')]);
    expect(pushes).toMatchObject({ live: false, since: iso(5) });
    expect(changes).toEqual(['push.stopped', 'push.started']);
  });

  it('counts pushes without an id: a stop closes the latest push open before it, per lane', () => {
    const marks = [start(0, `start@${iso(0)}`), start(1, `start@${iso(1)}`), stop(5, `stop@${iso(5)}`)];
    expect(take(marks, byTime).pushes).toMatchObject({ live: true, current: `start@${iso(0)}` });
    expect(take([...marks, stop(6, `stop@${iso(6)}`)], byTime).pushes.live).toBe(false);
    // Another pairing key is another lane: its stop closes nothing here.
    expect(take([...marks, stop(6, `stop@${iso(6)}#other`)], byTime).pushes.open).toHaveLength(1);
  });

  it('is a function of the set of marks: any order, any repeats', () => {
    const pushIds = ['a', 'b', 'c', 'd'];
    const marks = fc.uniqueArray(
      fc.record({
        kind: fc.constantFrom('start' as const, 'stop' as const),
        second: fc.nat(60),
        push: fc.constantFrom(...pushIds),
      }),
      { selector: (mark) => `${mark.kind} ${mark.push}`, maxLength: 8 },
    );
    fc.assert(
      fc.property(marks, fc.boolean(), fc.func(fc.nat()), (drawn, timed, shuffle) => {
        const laneOf = timed ? byTime : byId;
        const asMarks = drawn.map(({ kind, second, push }) =>
          timed ? { kind, at: iso(second), push: `${kind}@${iso(second)}` } : { kind, at: iso(second), push },
        );
        const shuffled = [...asMarks, ...asMarks].sort(
          (a, b) => shuffle(markText(a.at, a.push)) - shuffle(markText(b.at, b.push)),
        );
        const inOrder = take(asMarks, laneOf).pushes;
        const anyOrder = take(shuffled, laneOf).pushes;
        // The same pushes, whatever order the map holds them in.
        const sorted = (pushes: typeof inOrder) => ({
          ...pushes,
          all: [...pushes.all.values()].sort((a, b) => a.push.localeCompare(b.push)),
        });
        expect(sorted(anyOrder)).toEqual(sorted(inOrder));
      }),
    );
  });
});

describe('withMark', () => {
  it('forgets closed pushes past the retry horizon, and a retry of one cannot reopen it', () => {
    const later = t0 + retryHorizonMs + 60_000;
    const { state } = take([start(0, 'a'), stop(10, 'a'), start(20, 'b')], byId, later);
    expect([...state.started]).toEqual([markText(iso(20), 'b')]);
    expect(state.forgottenUpTo).toBe(iso(10));
    expect(withMark(state, start(0, 'a'), byId, later)).toBeUndefined();
    // An open push is never forgotten for its age, and its stop is taken however late.
    const { state: open } = take([start(0, 'a'), start(20, 'b'), stop(30, 'b')], byId, later);
    expect([...open.started]).toEqual([markText(iso(0), 'a')]);
    expect(withMark(open, stop(25, 'a'), byId, later)?.after.live).toBe(false);
  });

  it(`keeps at most ${maxClosedPushes} closed pushes, the newest`, () => {
    const marks = Array.from({ length: 12 }, (_, index) => [
      start(index * 10, `p${index}`),
      stop(index * 10 + 5, `p${index}`),
    ]).flat();
    const { state, pushes } = take(marks);
    expect(pushes.all.size).toBe(maxClosedPushes);
    expect(state.forgottenUpTo).toBe(iso(35));
    expect(withMark(state, stop(5, 'p0'), byId, t0)).toBeUndefined();
  });
});

describe('repaired marks (reconciliation)', () => {
  const repaired = (mark: Mark): Mark => ({ ...mark, repaired: true });
  /** The marks and pushes after taking `marks`, with the repaired set compared as a sorted list. */
  const final = (marks: Mark[], laneOf = byId) => {
    const { state, pushes } = take(marks, laneOf);
    return {
      started: [...state.started].sort(),
      stopped: [...state.stopped].sort(),
      repaired: [...(state.repaired ?? [])].sort(),
      pushes: { ...pushes, all: [...pushes.all.values()].sort((a, b) => a.push.localeCompare(b.push)) },
    };
  };

  it('a real stop after a repaired one leaves the state it would have alone', () => {
    const alone = final([start(0, 'a'), stop(30, 'a')]);
    expect(final([start(0, 'a'), repaired(stop(20, 'a')), stop(30, 'a')])).toEqual(alone);
    expect(final([start(0, 'a'), stop(30, 'a'), repaired(stop(20, 'a'))])).toEqual(alone);
    // A repaired stop alone closes the push, and is remembered as repaired.
    const repairedOnly = final([start(0, 'a'), repaired(stop(20, 'a'))]);
    expect(repairedOnly.pushes.live).toBe(false);
    expect(repairedOnly.repaired).toEqual([`stop ${markText(iso(20), 'a')}`]);
  });

  it('a real start after a repaired one is the same push', () => {
    const alone = final([start(5, 'a')]);
    expect(final([repaired(start(8, 'a')), start(5, 'a')])).toEqual(alone);
    // The same time and push: the real mark takes the repaired one's place.
    expect(final([repaired(start(5, 'a')), start(5, 'a')])).toEqual(alone);
    // Another push's real marks leave a repaired one in place.
    expect(final([repaired(start(8, 'a')), start(9, 'b')]).repaired).toEqual([`start ${markText(iso(8), 'a')}`]);
  });

  it('paired by time: a real stop in the same lane within the window replaces the repaired one', () => {
    const opened = start(0, `start@${iso(0)}#7`);
    const alone = final([opened, stop(30, `stop@${iso(30)}#7`)], byTime);
    expect(final([opened, repaired(stop(20, `stop@${iso(20)}#7`)), stop(30, `stop@${iso(30)}#7`)], byTime)).toEqual(
      alone,
    );
    expect(final([opened, stop(30, `stop@${iso(30)}#7`), repaired(stop(20, `stop@${iso(20)}#7`))], byTime)).toEqual(
      alone,
    );
    // A real stop before the repaired one's time (the push was still listed then) is another push's.
    expect(
      final([opened, repaired(stop(20, `stop@${iso(20)}#7`)), stop(10, `stop@${iso(10)}#7`)], byTime).repaired,
    ).toHaveLength(1);
    // Another lane is another push.
    expect(
      final([opened, repaired(stop(20, `stop@${iso(20)}#7`)), stop(30, `stop@${iso(30)}#8`)], byTime).repaired,
    ).toHaveLength(1);
  });

  it('keeps the same marks whatever the order and repeats, repaired marks included', () => {
    const pushIds = ['a', 'b', 'c'];
    const marks = fc.uniqueArray(
      fc.record({
        kind: fc.constantFrom('start' as const, 'stop' as const),
        second: fc.nat(60),
        push: fc.constantFrom(...pushIds),
        repaired: fc.boolean(),
      }),
      { selector: (mark) => `${mark.kind} ${mark.second} ${mark.push}`, maxLength: 8 },
    );
    fc.assert(
      fc.property(marks, fc.boolean(), fc.func(fc.nat()), (drawn, timed, shuffle) => {
        const laneOf = timed ? byTime : byId;
        const asMarks: Mark[] = drawn.map(({ kind, second, push, repaired: made }) => ({
          kind,
          at: iso(second),
          push: timed ? `${kind}@${iso(second)}#${push}` : push,
          ...(made ? { repaired: true } : {}),
        }));
        // The same mark both repaired and real: the real one wins either way.
        const shuffled = [...asMarks, ...asMarks].sort(
          (a, b) => shuffle(`${a.kind}${markText(a.at, a.push)}`) - shuffle(`${b.kind}${markText(b.at, b.push)}`),
        );
        expect(final(shuffled, laneOf)).toEqual(final(asMarks, laneOf));
      }),
    );
  });
});
