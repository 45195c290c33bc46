/**
 * What the notification queue adds to a callback: each provider's handler over the real
 * DynamoDB store, once without a destination and once with the SQS FIFO publisher (the
 * production client: keep-alive, timeouts, two attempts), against engines in their own
 * processes, next to one SendMessage of a notification-sized message with the same client.
 * Sequential, one at a time: latency, not throughput. The added time is the difference of
 * the medians, and it is set against the SendMessage round trip.
 */
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../shared/aws/sqs';
import { awsClientSettings } from '../shared/aws-client';
import { createSqsPublisher } from '../shared/publishers/sqs';
import { createDynamoClient, createDynamoEventStore } from '../shared/store/dynamo-store';
import { accepted, benchHandler, lambdaContext, providerEnv, signedCallback, type ProviderName } from './lib/callbacks';
import type { Engine, QueueEngine } from './lib/engine';
import { median, timed } from './lib/stats';

export interface NotificationLatencyResult {
  provider: ProviderName;
  /** One SendMessage of a notification-sized message. */
  sendMessageMs: number;
  /** A callback (starts and stops) with the table only. */
  withoutMs: number;
  /** The same with the queue on. */
  withMs: number;
  addedMs: number;
  /** `addedMs` ÷ `sendMessageMs`. */
  ratio: number;
}

/** `pairs` start/stop pairs of new streams through each handler, each pair followed by one SendMessage. */
export async function measureNotificationLatency(
  engine: Engine,
  queue: QueueEngine,
  provider: ProviderName,
  pairs: number,
): Promise<NotificationLatencyResult> {
  const local = { region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
  const dynamo = createDynamoClient({ endpoint: engine.endpoint, ...local });
  const admin = new SQSClient({ endpoint: queue.endpoint, ...local });
  const sqs = createSqsClient({ ...awsClientSettings, endpoint: queue.endpoint, ...local });
  const { QueueUrl: queueUrl } = await admin.send(
    new CreateQueueCommand({ QueueName: `bench-${provider}.fifo`, Attributes: { FifoQueue: 'true' } }),
  );
  const handlerWith = (withQueue: boolean) =>
    benchHandler(provider, {
      env: { ...providerEnv(provider), LIVEHOOKS_TABLE: engine.tableName },
      store: createDynamoEventStore({ tableName: engine.tableName, client: dynamo }),
      ...(withQueue ? { publisher: createSqsPublisher({ queueUrl: queueUrl!, client: sqs }) } : {}),
    });
  const handlers = { without: handlerWith(false), with: handlerWith(true) };
  const callback = (handler: typeof handlers.with, stream: string, kind: 'start' | 'stop') => {
    const event = signedCallback(provider, stream, Math.floor(Date.now() / 1000), kind).event;
    return timed(async () => {
      const answer = await handler(event, lambdaContext);
      if (!accepted(answer)) throw new Error(`${provider} ${kind}: ${JSON.stringify(answer)}`);
    });
  };
  // A notification of a start is about 1 KB: the record, its raw payload, state and session.
  const body = JSON.stringify({ padding: 'x'.repeat(1000) });
  let sent = 0;
  const sendMessage = () =>
    sqs.sendMessage({
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageGroupId: `bench/${sent}`,
      MessageDeduplicationId: `bench-${sent++}`,
    });

  const without: number[] = [];
  const withQueue: number[] = [];
  const sends: number[] = [];
  const warmup = Math.min(50, pairs);
  for (let index = -warmup; index < pairs; index += 1) {
    const stream = `notify-${provider}-${index}-${Date.now()}`;
    const plain = [await callback(handlers.without, `${stream}-a`, 'start')];
    const told = [await callback(handlers.with, `${stream}-b`, 'start')];
    const send = await timed(sendMessage);
    plain.push(await callback(handlers.without, `${stream}-a`, 'stop'));
    told.push(await callback(handlers.with, `${stream}-b`, 'stop'));
    if (index < 0) continue;
    without.push(...plain);
    withQueue.push(...told);
    sends.push(send);
  }
  admin.destroy();
  const sendMessageMs = median(sends);
  const withoutMs = median(without);
  const withMs = median(withQueue);
  return {
    provider,
    sendMessageMs,
    withoutMs,
    withMs,
    addedMs: withMs - withoutMs,
    ratio: (withMs - withoutMs) / sendMessageMs,
  };
}
