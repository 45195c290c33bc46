import type { CreateQueueResult } from '@aws-sdk/client-sqs';
import { createServer } from 'node:http';
import { awsJsonClient, type AwsClientOptions } from '../../shared/aws/core';
import { createSqsClient, sqsService, type SqsClient } from '../../shared/aws/sqs';
import type { AddressInfo } from 'node:net';
import { guardEngine } from './loopback-guard.mjs';

/** The local FIFO queue `npm start` sends notifications to (a deployment names its own). */
export const localQueueName = 'livehooks-notifications.fifo';

/** An SQS-compatible engine (local-aws-sqs) running in this process, with the notification queue. */
export interface EmbeddedQueue {
  endpoint: string;
  /** The URL of {@link localQueueName}. */
  queueUrl: string;
  close(): Promise<void>;
}

/**
 * Starts local-aws-sqs on loopback with the FIFO notification queue. It keeps messages in
 * memory: they are gone when it stops. A development dependency, loaded only here. The
 * HTTP server is ours (the package's own does not report a port in use), and the engine is
 * made once the port is known: its queue URLs carry it.
 */
export async function startEmbeddedQueue(options: { port?: number } = {}): Promise<EmbeddedQueue> {
  const { createRequestHandler } = await import('local-aws-sqs');
  let handle: ReturnType<typeof createRequestHandler>['requestHandler'] | undefined;
  // Behind the guard: no web page may send (a form post is a valid SQS request) or read.
  const server = createServer(guardEngine((request, response) => void handle!(request, response)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  handle = createRequestHandler({ port, hostname: '127.0.0.1' }).requestHandler;
  const endpoint = `http://127.0.0.1:${port}`;
  const sqs = awsJsonClient(sqsService, localOptions(endpoint));
  const { QueueUrl } = (await sqs('CreateQueue', {
    QueueName: localQueueName,
    Attributes: { FifoQueue: 'true' },
  })) as CreateQueueResult;
  return {
    endpoint,
    queueUrl: QueueUrl!,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The light client's settings for a local engine: any credentials do, the region is fixed. */
const localOptions = (endpoint: string): AwsClientOptions => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
  attemptTimeoutMs: 60_000,
});

/** The deployed functions' SQS client (shared/aws/sqs.ts) for a local engine: what a publisher sends with. */
export function localQueueClient(endpoint: string): SqsClient {
  return createSqsClient(localOptions(endpoint));
}
