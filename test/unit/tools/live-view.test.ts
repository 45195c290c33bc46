import { describe, expect, it } from 'vitest';
import { notificationOf, type StoreNotice } from '../../../shared/notification';
import { buildRecord, streamKeyOf, type EventDraft } from '../../../shared/record';
import { applyNotification, emptyLiveView } from '../../../tools/live-view';
import { nowMs } from '../../support/providers';

const iso = (second: number) => new Date(nowMs + second * 1000).toISOString();
const told = (kind: 'start' | 'stop', second: number, sessionId: string, session: Partial<StoreNotice['session']>) => {
  const draft: EventDraft = {
    kind,
    domain: 'd',
    app: 'live',
    stream: 'cam1',
    sessionId,
    occurredAtMs: nowMs + second * 1000,
  };
  const record = buildRecord(draft, {
    provider: 'p',
    streamKey: streamKeyOf('p', draft),
    raw: '',
    receivedAtMs: nowMs,
  });
  const live = kind === 'start';
  return notificationOf(record, {
    id: record.id,
    type: live ? 'stream.started' : 'stream.stopped',
    streamKey: record.streamKey,
    notice: {
      state: {
        live,
        since: iso(second),
        ...(live ? { sessionId } : {}),
        openPushes: live ? 1 : 0,
        pushes: live ? [{ sessionId, startedAt: iso(second) }] : [],
        lastEventAt: iso(second),
        changed: true,
        order: `v2#${String(second).padStart(12, '0')}`,
      },
      session: { sessionId, ...session },
    },
  });
};

const notifications = [
  told('start', 10, 's1', { startedAt: iso(10) }),
  told('stop', 20, 's1', { startedAt: iso(10), stoppedAt: iso(20) }),
  told('start', 30, 's2', { startedAt: iso(30) }),
  told('stop', 25, 'stop@x', { stoppedAt: iso(25) }),
];

describe('applyNotification', () => {
  it('gives the same view for every order, with repeats: the greatest order holds', () => {
    const expected = notifications.reduce(applyNotification, emptyLiveView());
    expect(expected.streams.get('p/d/live/cam1')).toEqual({
      live: true,
      since: iso(30),
      sessionId: 's2',
      openPushes: 1,
      order: expect.any(String),
    });
    const orders = [
      [3, 2, 1, 0],
      [1, 3, 0, 2, 1, 0],
      [2, 2, 0, 3, 1],
    ];
    for (const order of orders) {
      expect(order.map((index) => notifications[index]!).reduce(applyNotification, emptyLiveView())).toEqual(expected);
    }
  });

  it('merges a push’s halves, keeps the earlier of two stops, and leaves unpaired stops to their start', () => {
    const view = [...notifications, told('stop', 22, 's1', { stoppedAt: iso(22) })].reduce(
      applyNotification,
      emptyLiveView(),
    );
    expect([...view.sessions.values()]).toEqual([
      { streamKey: 'p/d/live/cam1', sessionId: 's1', startedAt: iso(10), stoppedAt: iso(20) },
      { streamKey: 'p/d/live/cam1', sessionId: 's2', startedAt: iso(30) },
    ]);
  });

  it('keeps no state from a notification without one (a deployment without a table)', () => {
    const { state: _state, session: _session, ...bare } = notifications[0]!;
    expect(applyNotification(emptyLiveView(), bare)).toEqual(emptyLiveView());
  });
});
