import { describe, expect, it } from 'vitest';
import { sessionIdFromOrphanStop, sessionIdFromStart, type StreamEvent } from '../../../../shared/record';
import { saveStartPairedByTime, saveStopPairedByTime, type PairingTable } from '../../../../shared/store/time-pairing';
import { eventSkPrefix } from '../../../../shared/store/table';

const at = (minute: number) => `2026-06-01T12:${String(minute).padStart(2, '0')}:00.000Z`;

/** A start or stop of a vendor without session values, as buildRecord makes it (the fields pairing reads). */
function event(kind: 'start' | 'stop', minute: number): StreamEvent {
  const occurredAt = at(minute);
  const sessionId = kind === 'start' ? sessionIdFromStart(occurredAt) : sessionIdFromOrphanStop(occurredAt);
  return { id: `${kind}-${minute}`, kind, occurredAt, sessionId } as StreamEvent;
}

/**
 * The table's side of pairing, kept in memory as the `by-time` index orders it; its
 * pages hold two stops, so that a claim reads more than one.
 */
function memoryTable(onWrite?: (record: StreamEvent) => void) {
  const items = new Map<string, { kind: string; occurredAt: string; sessionId: string }>();
  const table: PairingTable<string> = {
    async writeEventAndState(record) {
      items.set(eventSkPrefix + record.id, { ...record });
      onWrite?.(record);
      return record.id;
    },
    async latestStartAtOrBefore(time) {
      const starts = [...items.values()].filter((item) => item.kind === 'start' && item.occurredAt <= time);
      return starts
        .map((item) => item.occurredAt)
        .sort()
        .at(-1);
    },
    async stopsFrom(time, after) {
      const stops = [...items.entries()]
        .filter(([, item]) => item.kind === 'stop' && item.occurredAt >= time)
        .map(([sk, item]) => ({ sk, occurredAt: item.occurredAt, sessionId: item.sessionId }))
        .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
      const from = (after as number | undefined) ?? 0;
      return { stops: stops.slice(from, from + 2), ...(from + 2 < stops.length ? { next: from + 2 } : {}) };
    },
    async assignStop(sk, sessionId) {
      const stop = items.get(sk)!;
      if (stop.sessionId.startsWith('stop@') || stop.sessionId < sessionId) stop.sessionId = sessionId;
    },
  };
  const sessionOf = (record: StreamEvent) => items.get(eventSkPrefix + record.id)?.sessionId;
  return { table, sessionOf, items };
}

describe('saveStopPairedByTime', () => {
  it('stores a stop in the session of the latest start at or before it', async () => {
    const { table, sessionOf } = memoryTable();
    await saveStartPairedByTime(table, event('start', 1));
    await saveStartPairedByTime(table, event('start', 3));
    const { stored } = await saveStopPairedByTime(table, event('stop', 4), '');
    expect(stored.sessionId).toBe(sessionIdFromStart(at(3)));
    expect(sessionOf(event('stop', 4))).toBe(sessionIdFromStart(at(3)));
  });

  it('keeps its own orphan session while no start is before it', async () => {
    const { table } = memoryTable();
    await saveStartPairedByTime(table, event('start', 5));
    const { stored } = await saveStopPairedByTime(table, event('stop', 4), '');
    expect(stored.sessionId).toBe(sessionIdFromOrphanStop(at(4)));
  });

  it('moves to a start written while its own writes were on the way', async () => {
    let raced = false;
    const { table, sessionOf, items } = memoryTable((record) => {
      if (record.kind !== 'stop' || raced) return;
      raced = true;
      items.set(eventSkPrefix + 'start-2', { kind: 'start', occurredAt: at(2), sessionId: sessionIdFromStart(at(2)) });
    });
    const { stored } = await saveStopPairedByTime(table, event('stop', 4), '');
    expect(stored.sessionId).toBe(sessionIdFromStart(at(2)));
    expect(sessionOf(event('stop', 4))).toBe(sessionIdFromStart(at(2)));
  });
});

describe('saveStartPairedByTime', () => {
  it('claims the orphan stops after it, and says when it stopped', async () => {
    const { table, sessionOf } = memoryTable();
    for (const minute of [2, 5, 6, 7, 9]) await saveStopPairedByTime(table, event('stop', minute), '');
    const { stoppedAt } = await saveStartPairedByTime(table, event('start', 1));
    expect(stoppedAt).toBe(at(2));
    // Across pages of two: every stop after it is its own.
    for (const minute of [2, 5, 6, 7, 9]) expect(sessionOf(event('stop', minute))).toBe(sessionIdFromStart(at(1)));
  });

  it('stops at the first stop a later start holds', async () => {
    const { table, sessionOf } = memoryTable();
    await saveStartPairedByTime(table, event('start', 3));
    await saveStopPairedByTime(table, event('stop', 4), '');
    await saveStopPairedByTime(table, event('stop', 2), '');
    const { stoppedAt } = await saveStartPairedByTime(table, event('start', 1));
    expect(stoppedAt).toBe(at(2));
    expect(sessionOf(event('stop', 2))).toBe(sessionIdFromStart(at(1)));
    expect(sessionOf(event('stop', 4))).toBe(sessionIdFromStart(at(3)));
  });

  it('finds nothing to claim as the newest start', async () => {
    const { table } = memoryTable();
    await saveStopPairedByTime(table, event('stop', 1), '');
    expect(await saveStartPairedByTime(table, event('start', 2))).toEqual({ written: 'start-2' });
  });
});
