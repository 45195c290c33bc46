import { awsClientSettings } from '../aws-client';
import { createSqsClient, type SqsClient } from '../aws/sqs';
import { messageGroupOf, notificationJson } from '../notification';
import type { Publisher } from './port';

/** Where an SQS FIFO publisher sends, and with which client. */
export interface SqsPublisherOptions {
  queueUrl: string;
  /** A client of your own (tests, local engines); by default one is made on first use. */
  client?: SqsClient;
}

/**
 * Notifications into an SQS FIFO queue: one message group per stream, a logical stream's
 * its own (so a stream's notifications arrive in the order they were sent), the
 * notification's id as the deduplication id (so a callback delivered twice inside SQS's five minutes is one message), and the
 * provider, kind and state as message attributes for routing.
 */
export function createSqsPublisher({ queueUrl, client }: SqsPublisherOptions): Publisher {
  let sqs = client;
  return {
    async publish(notification) {
      sqs ??= createSqsClient(awsClientSettings);
      const { record, state, streamKey } = notification;
      await sqs.sendMessage({
        QueueUrl: queueUrl,
        MessageBody: notificationJson(notification),
        MessageGroupId: messageGroupOf(streamKey),
        MessageDeduplicationId: notification.id,
        MessageAttributes: {
          provider: { DataType: 'String', StringValue: record.provider },
          kind: { DataType: 'String', StringValue: record.kind },
          ...(state ? { live: { DataType: 'String', StringValue: String(state.live) } } : {}),
        },
      });
    },
  };
}
