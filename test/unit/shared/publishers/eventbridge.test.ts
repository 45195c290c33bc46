import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationJson, notificationOf } from '../../../../shared/notification';
import { createEventBridgePublisher } from '../../../../shared/publishers/eventbridge';
import { publishToAll, type Publisher } from '../../../../shared/publishers/port';
import { buildRecord, streamKeyOf, type EventDraft } from '../../../../shared/record';
import { putEventsViolations, startEventBridgeRecorder } from '../../../support/notifications';
import { nowMs } from '../../../support/providers';

const recordOf = (changes: Partial<EventDraft>, raw = '{}') => {
  const draft = { kind: 'start', domain: 'd', app: 'live', stream: 'cam1', sessionId: 's1', ...changes } as EventDraft;
  return buildRecord(draft, { provider: 'srs', streamKey: streamKeyOf('srs', draft), raw, receivedAtMs: nowMs });
};

let bus: Awaited<ReturnType<typeof startEventBridgeRecorder>>;
beforeAll(async () => {
  bus = await startEventBridgeRecorder();
});
afterAll(() => bus.close());

describe('createEventBridgePublisher', () => {
  it('puts one event per notification, named for rules, within PutEvents’ documented limits', async () => {
    bus.events.length = 0;
    const publisher = createEventBridgePublisher({ busName: 'live-events', client: bus.client() });
    const start = notificationOf(recordOf({}), undefined);
    // A payload of control characters: the largest a pusher can make a notification.
    const stop = notificationOf(
      recordOf({ kind: 'stop', params: { p: '\u0001'.repeat(65_536) } }, '\u0001'.repeat(65_536)),
      undefined,
    );
    await publisher.publish(start);
    await publisher.publish(stop);
    expect(bus.violations).toEqual([]);
    expect(bus.events).toEqual([
      {
        EventBusName: 'live-events',
        Source: 'livehooks',
        // Without a table, what the callback says of its push.
        DetailType: 'Push started',
        Detail: notificationJson(start),
        Time: Date.parse(start.record.occurredAt) / 1000,
      },
      expect.objectContaining({ DetailType: 'Push stopped', Detail: notificationJson(stop) }),
    ]);
  });

  it('rejects when the bus refuses the entry though PutEvents answers 200, or fails', async () => {
    const publisher = createEventBridgePublisher({ busName: 'live-events', client: bus.client() });
    const start = notificationOf(recordOf({}), undefined);
    bus.mode = 'fail-entries';
    await expect(publisher.publish(start)).rejects.toThrow(
      'EventBridge refused the event: InternalFailure recorder: refused',
    );
    bus.mode = 'unavailable';
    await expect(publisher.publish(start)).rejects.toThrow();
    bus.mode = 'accept';
  });
});

describe('the recorder', () => {
  it('refuses what PutEvents refuses', () => {
    const entry = { Source: 'livehooks', DetailType: 'Stream started', Detail: '{}' };
    expect(putEventsViolations({ Entries: [entry] })).toEqual([]);
    expect(putEventsViolations({ Entries: [] })).toHaveLength(1);
    expect(putEventsViolations({ Entries: Array(11).fill(entry) })).toHaveLength(1);
    expect(putEventsViolations({ Entries: [{ ...entry, Source: 'aws.livehooks' }] })).toHaveLength(1);
    expect(putEventsViolations({ Entries: [{ ...entry, DetailType: 'x'.repeat(129) }] })).toHaveLength(1);
    expect(putEventsViolations({ Entries: [{ ...entry, Detail: '[1]' }] })).toHaveLength(1);
    expect(putEventsViolations({ Entries: [{ ...entry, Detail: `{"a":"${'x'.repeat(256 * 1024)}"}` }] })).toHaveLength(
      1,
    );
  });
});

describe('publishToAll', () => {
  const failing: Publisher = { publish: async () => Promise.reject(new Error('down')) };
  it('is nothing for no publishers, the one for one, and fails when any fails after all have finished', async () => {
    expect(publishToAll([])).toBeUndefined();
    const one = createEventBridgePublisher({ busName: 'b', client: bus.client() });
    expect(publishToAll([one])).toBe(one);
    bus.events.length = 0;
    await expect(publishToAll([failing, one])!.publish(notificationOf(recordOf({}), undefined))).rejects.toThrow(
      'down',
    );
    expect(bus.events).toHaveLength(1);
  });
});
