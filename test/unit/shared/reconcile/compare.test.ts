import { describe, expect, it } from 'vitest';
import { compare, nothingObserved, type Observed, type TablePush } from '../../../../shared/reconcile/compare';
import type { LivePush } from '../../../../shared/reconcile/live-list';
import { streamKeyOf } from '../../../../shared/record';

const t0 = Date.parse('2026-12-06T10:00:00.000Z');
const minute = 60_000;
const graceMs = 10 * minute;
const at = (minutes: number) => t0 + minutes * minute;

const listed = (stream: string, extra: Partial<LivePush> = {}): LivePush => ({
  domain: 'd',
  app: 'live',
  stream,
  ...extra,
});
const open = (stream: string, sessionId: string, startedMinutes = 0): TablePush => ({
  streamKey: `mux/d/live/${stream}`,
  domain: 'd',
  app: 'live',
  stream,
  sessionId,
  startedAt: new Date(at(startedMinutes)).toISOString(),
});

/** Runs the comparison at each time in turn, the table and the list as given, and returns every run's result. */
function runs(
  steps: { minutes: number; table: TablePush[]; list: LivePush[] }[],
  pairedByTime = false,
  provider = 'mux',
) {
  let observed: Observed = nothingObserved();
  return steps.map(({ minutes, table, list }) => {
    const result = compare(table, list, observed, {
      streamKeyOf: (push) => streamKeyOf(provider, push),
      pairedByTime,
      nowMs: at(minutes),
      graceMs,
    });
    observed = result.observed;
    return result;
  });
}

describe('compare', () => {
  it('stops a push absent for the grace period, dated before the last list that showed it', () => {
    const push = open('cam', 's1');
    const [first, second, third, fourth] = runs([
      { minutes: 5, table: [push], list: [listed('cam', { sessionId: 's1' })] },
      { minutes: 10, table: [push], list: [] },
      { minutes: 19, table: [push], list: [] },
      { minutes: 20, table: [push], list: [] },
    ]);
    expect(first!.stops).toEqual([]);
    expect(second!.stops).toEqual([]);
    expect(third!.stops).toEqual([]);
    expect(fourth!.stops).toEqual([{ kind: 'stop', push, atMs: at(5) - 10_000 }]);
  });

  it('repairs a difference once while it lasts, and forgets it when it ends', () => {
    const push = open('cam', 's1');
    const results = runs([
      { minutes: 0, table: [push], list: [] },
      { minutes: 10, table: [push], list: [] },
      { minutes: 15, table: [push], list: [] },
      { minutes: 20, table: [], list: [] },
    ]);
    expect(results.map((result) => result.stops.length)).toEqual([0, 1, 0, 0]);
    expect(results[3]!.observed).toEqual({ listedAtMs: at(20), absent: {}, present: {} });
  });

  it('does not stop a push the list shows again within the grace period', () => {
    const push = open('cam', 's1');
    const results = runs([
      { minutes: 0, table: [push], list: [] },
      { minutes: 5, table: [push], list: [listed('cam', { sessionId: 's1' })] },
      { minutes: 12, table: [push], list: [] },
    ]);
    expect(results.map((result) => result.stops.length)).toEqual([0, 0, 0]);
  });

  it('starts a listed push the table does not hold open, at the vendor’s own start time', () => {
    const live = listed('cam', { sessionId: 's2', startedAtMs: at(-3) });
    const results = runs([
      { minutes: 0, table: [], list: [live] },
      { minutes: 10, table: [], list: [live] },
    ]);
    expect(results[0]!.starts).toEqual([]);
    expect(results[1]!.starts).toEqual([{ kind: 'start', streamKey: 'mux/d/live/cam', push: live, atMs: at(-3) }]);
  });

  it('tells pushes apart by push id, else by pairing key, else by stream', () => {
    // Another session of the same stream is another push: the table's is absent.
    expect(
      runs([
        { minutes: 0, table: [open('cam', 's1')], list: [listed('cam', { sessionId: 's2' })] },
        { minutes: 10, table: [open('cam', 's1')], list: [listed('cam', { sessionId: 's2' })] },
      ])[1],
    ).toMatchObject({ stops: [{ push: { sessionId: 's1' } }], starts: [{ push: { sessionId: 's2' } }] });
    // Paired by time: the client id is the lane.
    const timed = { ...open('cam', `start@${new Date(t0).toISOString()}#7`), streamKey: 'nginx-rtmp/d/live/cam' };
    const sameLane = runs(
      [
        { minutes: 0, table: [timed], list: [listed('cam', { pairingKey: '7' })] },
        { minutes: 10, table: [timed], list: [listed('cam', { pairingKey: '7' })] },
      ],
      true,
      'nginx-rtmp',
    );
    expect(sameLane[1]).toMatchObject({ stops: [], starts: [] });
    const otherLane = runs(
      [
        { minutes: 0, table: [timed], list: [listed('cam', { pairingKey: '8' })] },
        { minutes: 10, table: [timed], list: [listed('cam', { pairingKey: '8' })] },
      ],
      true,
      'nginx-rtmp',
    );
    expect(otherLane[1]!.stops).toHaveLength(1);
    expect(otherLane[1]!.starts).toHaveLength(1);
    // A list without push ids: the stream listed keeps all its pushes.
    expect(
      runs([
        { minutes: 0, table: [open('cam', 's1'), open('cam', 's3')], list: [listed('cam')] },
        { minutes: 10, table: [open('cam', 's1'), open('cam', 's3')], list: [listed('cam')] },
      ])[1],
    ).toMatchObject({ stops: [], starts: [] });
  });

  it('dates a stop no earlier than its push’s start', () => {
    const push = open('cam', 's1', 8);
    const results = runs([
      { minutes: 0, table: [], list: [] },
      { minutes: 9, table: [push], list: [] },
      { minutes: 19, table: [push], list: [] },
    ]);
    expect(results[2]!.stops[0]!.atMs).toBe(at(8));
  });
});
