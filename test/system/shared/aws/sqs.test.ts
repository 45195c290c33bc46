import { describe, expect, it } from 'vitest';
import { createSqsClient } from '../../../../shared/aws/sqs';
import { createTestQueue } from '../../../support/notifications';

// Against the run's SQS engine (local-aws-sqs), which speaks SQS's JSON protocol.
describe('createSqsClient', () => {
  it('sends a FIFO message that the engine delivers with its group, deduplication id and attributes', async () => {
    const queue = await createTestQueue();
    const sent = await queue.client.sendMessage({
      QueueUrl: queue.queueUrl,
      MessageBody: '{"hello":"queue"}',
      MessageGroupId: 'stream-a',
      MessageDeduplicationId: 'id-1',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'start' } },
    });
    expect(sent.MessageId).toEqual(expect.any(String));
    const [message, ...more] = await queue.take();
    expect(more).toEqual([]);
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: '{"hello":"queue"}',
      Attributes: { MessageGroupId: 'stream-a', MessageDeduplicationId: 'id-1' },
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'start' } },
    });
  });

  it('fails with the engine’s error by name for a queue that does not exist', async () => {
    const queue = await createTestQueue();
    const client = createSqsClient({
      endpoint: new URL(queue.queueUrl).origin,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    await expect(
      client.sendMessage({ QueueUrl: `${queue.queueUrl}-missing.fifo`, MessageBody: 'x', MessageGroupId: 'g' }),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist', retryable: false });
  });
});
