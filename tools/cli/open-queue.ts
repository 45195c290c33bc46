import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Env } from '../../shared/config';
import { localQueueName } from '../local/embedded-queue';
import { localSqsClient } from '../local/sdk-clients';
import { localSettings, runningServer } from '../local/settings';

/** The local notification queue and a client for it. */
export interface OpenedQueue {
  client: SQSClient;
  queueUrl: string;
}

/**
 * The notification queue of the running `npm start`: the URL it recorded in its data
 * folder, else the one `LIVEHOOKS_QUEUE_PORT` gives. The queue lives in that process's
 * memory, so without it there is nothing to read.
 */
export async function openQueue(env: Env): Promise<OpenedQueue> {
  const settings = localSettings(env);
  const queueUrl =
    runningServer(settings.dataDir)?.queue ?? `http://127.0.0.1:${settings.queuePort}/123456789012/${localQueueName}`;
  const client = localSqsClient(new URL(queueUrl).origin);
  try {
    await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl }), {
      abortSignal: AbortSignal.timeout(1000),
    });
  } catch {
    throw new Error(`no local queue answers at ${queueUrl}: run \`npm start\` first (the queue lives in its memory)`);
  }
  return { client, queueUrl };
}
