import type { Env } from './config';
import { publishToAll, type Publisher } from './publishers/port';

/** Where accepted callbacks go: the table (on unless turned off), a FIFO queue, an EventBridge bus. */
export interface Destinations {
  /** Whether callbacks are stored (`LIVEHOOKS_STORE`, `dynamodb` by default, or `off`). */
  store: boolean;
  /** The SQS FIFO queue notifications go to (`LIVEHOOKS_QUEUE_URL`). */
  queueUrl?: string;
  /** The EventBridge bus notifications go to, by name or ARN (`LIVEHOOKS_EVENT_BUS`). */
  busName?: string;
}

/**
 * Reads where callbacks go. Throws on a setting that cannot work (a queue that is not
 * FIFO), so that the cold start fails loudly.
 */
export function readDestinations(env: Env): Destinations {
  const store = (env.LIVEHOOKS_STORE?.trim() || 'dynamodb').toLowerCase();
  if (store !== 'dynamodb' && store !== 'off') {
    throw new Error(`LIVEHOOKS_STORE must be "dynamodb" or "off", got "${env.LIVEHOOKS_STORE}"`);
  }
  const queueUrl = env.LIVEHOOKS_QUEUE_URL?.trim();
  if (queueUrl && !queueUrl.endsWith('.fifo')) {
    throw new Error(`LIVEHOOKS_QUEUE_URL must be a FIFO queue (its name ends in .fifo), got "${queueUrl}"`);
  }
  const busName = env.LIVEHOOKS_EVENT_BUS?.trim();
  return { store: store === 'dynamodb', ...(queueUrl ? { queueUrl } : {}), ...(busName ? { busName } : {}) };
}

/**
 * The publisher of every configured destination, or none. Each destination's module (and
 * its AWS SDK client) is loaded only when it is configured, from here, during the cold
 * start: a function that sends nowhere does not pay for loading the SQS and EventBridge
 * clients (bench/ shows what they cost).
 */
export function publisherOf({ queueUrl, busName }: Destinations): Publisher | undefined {
  const loading = [
    ...(queueUrl ? [import('./publishers/sqs').then((sqs) => sqs.createSqsPublisher({ queueUrl }))] : []),
    ...(busName ? [import('./publishers/eventbridge').then((bus) => bus.createEventBridgePublisher({ busName }))] : []),
  ];
  if (loading.length === 0) return undefined;
  const ready = Promise.all(loading).then((publishers) => publishToAll(publishers)!);
  // A module that fails to load fails each publish (a 503), not the process.
  ready.catch(() => {});
  return { publish: async (notification) => (await ready).publish(notification) };
}
