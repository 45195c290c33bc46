import { describe, expect, it } from 'vitest';
import { notificationOf } from '../../../../shared/notification';
import { createSqsPublisher } from '../../../../shared/publishers/sqs';
import { buildRecord, streamKeyOf, type EventDraft, type StreamEvent } from '../../../../shared/record';
import { checkedNotification, createTestQueue } from '../../../support/notifications';
import { nowMs } from '../../../support/providers';

const recordOf = (changes: Partial<EventDraft>) => {
  const draft = { kind: 'start', domain: 'd', app: 'live', stream: 'cam1', sessionId: 's1', ...changes } as EventDraft;
  return buildRecord(draft, { provider: 'srs', streamKey: streamKeyOf('srs', draft), raw: '{}', receivedAtMs: nowMs });
};
const stopped = (record: StreamEvent) => ({
  id: record.id,
  type: 'stream.stopped' as const,
  streamKey: record.streamKey,
  notice: {
    state: {
      live: false,
      since: '2026-11-23T10:00:00.000Z',
      openPushes: 0,
      pushes: [],
      lastEventAt: '2026-11-23T10:00:00.000Z',
      changed: true,
      order: 'o',
    },
    session: { sessionId: 's1' },
  },
});

describe('createSqsPublisher', () => {
  it('sends one message per notification: body, group, deduplication id and routing attributes', async () => {
    const queue = await createTestQueue();
    const publisher = createSqsPublisher({ queueUrl: queue.queueUrl, client: queue.client });
    const stopRecord = recordOf({ kind: 'stop' });
    const stop = notificationOf(stopRecord, stopped(stopRecord));
    await publisher.publish(stop);
    const [message, ...more] = await queue.take();
    expect(more).toEqual([]);
    expect(checkedNotification(message!.Body!)).toEqual(stop);
    expect(message!.Attributes).toMatchObject({
      MessageGroupId: 'srs/d/live/cam1',
      MessageDeduplicationId: stop.id,
    });
    expect(message!.MessageAttributes).toEqual({
      provider: { DataType: 'String', StringValue: 'srs' },
      kind: { DataType: 'String', StringValue: 'stop' },
      live: { DataType: 'String', StringValue: 'false' },
    });
  });

  it('sends the same notification twice as one message (SQS deduplication), and a queue-only one without `live`', async () => {
    const queue = await createTestQueue();
    const publisher = createSqsPublisher({ queueUrl: queue.queueUrl, client: queue.client });
    const start = notificationOf(recordOf({}), undefined);
    await publisher.publish(start);
    await publisher.publish(start);
    const messages = await queue.take();
    expect(messages).toHaveLength(1);
    expect(Object.keys(messages[0]!.MessageAttributes!).sort()).toEqual(['kind', 'provider']);
  });

  it('rejects when the queue does not take the message', async () => {
    const queue = await createTestQueue();
    const publisher = createSqsPublisher({ queueUrl: `${queue.queueUrl}-missing.fifo`, client: queue.client });
    await expect(publisher.publish(notificationOf(recordOf({}), undefined))).rejects.toThrow();
  });
});
