import { describe, expect, it } from 'vitest';
import { buildRecord, streamKeyOf, type EventDraft } from '../../../../shared/record';
import { createTestTable } from '../../../support/dynamo';
import { nowMs } from '../../../support/providers';

/** A record of stream cam1 at `second` (seconds after a fixed time), received at `receivedSecond`. */
const at = (second: number) => nowMs - 1_000_000 + second * 1000;
const iso = (second: number) => new Date(at(second)).toISOString();
const recordOf = (kind: 'start' | 'stop', second: number, sessionId?: string, receivedSecond = second) => {
  const draft: EventDraft = { kind, domain: 'd', app: 'live', stream: 'cam1', occurredAtMs: at(second) };
  if (sessionId) draft.sessionId = sessionId;
  return buildRecord(draft, {
    provider: 'p',
    streamKey: streamKeyOf('p', draft),
    raw: `{"received":${receivedSecond}}`,
    receivedAtMs: at(receivedSecond),
  });
};

describe('announcements of a vendor with session values', () => {
  it('tell the state after each callback, whether it changed it, and the session’s halves', async () => {
    const { store } = await createTestTable();
    const announce = async (kind: 'start' | 'stop', second: number, sessionId: string) =>
      (await (await store.save(recordOf(kind, second, sessionId))).announcement()).notice;

    expect(await announce('start', 10, 's1')).toEqual({
      state: { live: true, since: iso(10), sessionId: 's1', changed: true, order: expect.any(String) },
      session: { sessionId: 's1', startedAt: iso(10) },
    });
    expect(await announce('stop', 20, 's1')).toEqual({
      state: { live: false, since: iso(20), changed: true, order: expect.any(String) },
      session: { sessionId: 's1', startedAt: iso(10), stoppedAt: iso(20), durationMs: 10_000 },
    });
    const live = await announce('start', 30, 's2');
    // A late stop of an older push changes nothing: the state stays the newer push's.
    const late = await announce('stop', 5, 's0');
    expect(late).toEqual({
      state: { ...live.state, changed: false },
      session: { sessionId: 's0', stoppedAt: iso(5) },
    });
    // A stop that came before its start: the start's announcement has both halves.
    await announce('stop', 50, 's3');
    expect(await announce('start', 40, 's3')).toEqual({
      state: { live: false, since: iso(50), changed: false, order: expect.any(String) },
      session: { sessionId: 's3', startedAt: iso(40), stoppedAt: iso(50), durationMs: 10_000 },
    });
  });

  it('give a retry the record as first stored and the notice kept then, whatever happened since', async () => {
    const { store } = await createTestTable();
    const first = await store.save(recordOf('start', 10, 's1'));
    const told = await first.announcement();
    expect(told.kept).toBe(false);
    await store.keepNotice(told.record, told.notice);

    await store.save(recordOf('stop', 20, 's1'));
    // The vendor's retry, received later, with its own payload.
    const retry = await store.save(recordOf('start', 10, 's1', 25));
    expect(retry.result).toBe('duplicate');
    expect(await retry.announcement()).toEqual({ record: told.record, notice: told.notice, kept: true });
  });

  it('keep the first notice kept', async () => {
    const { store } = await createTestTable();
    const record = recordOf('start', 10, 's1');
    const told = await (await store.save(record)).announcement();
    await store.keepNotice(record, told.notice);
    await store.keepNotice(record, { ...told.notice, state: { ...told.notice.state, live: false } });
    expect((await (await store.save(record)).announcement()).notice).toEqual(told.notice);
  });
});

describe('announcements of a vendor paired by time', () => {
  it('name the push a stop belongs to, and a late start the stop that came first', async () => {
    const { store } = await createTestTable();
    const announce = async (kind: 'start' | 'stop', second: number) =>
      await (await store.save(recordOf(kind, second), '')).announcement();

    await announce('start', 10);
    const stop = await announce('stop', 20);
    expect(stop.record.sessionId).toBe(`start@${iso(10)}`);
    expect(stop.notice.session).toEqual({
      sessionId: `start@${iso(10)}`,
      startedAt: iso(10),
      stoppedAt: iso(20),
      durationMs: 10_000,
    });
    // A stop whose start has not come yet belongs to the latest start before it, for now;
    // the start's announcement names it when it comes (a consumer keeps the earlier stop).
    const early = await announce('stop', 40);
    expect(early.notice.session).toMatchObject({ sessionId: `start@${iso(10)}`, stoppedAt: iso(40) });
    const start = await announce('start', 30);
    expect(start.notice.session).toEqual({
      sessionId: `start@${iso(30)}`,
      startedAt: iso(30),
      stoppedAt: iso(40),
      durationMs: 10_000,
    });
    // With no start before it at all, the stop waits under a session of its own.
    const { store: fresh } = await createTestTable();
    const alone = await (await fresh.save(recordOf('stop', 40), '')).announcement();
    expect(alone.notice.session).toEqual({ sessionId: `stop@${iso(40)}`, stoppedAt: iso(40) });
  });
});
