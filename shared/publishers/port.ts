import type { StreamNotification } from '../notification';

/** A destination of notifications (the port; `sqs.ts` and `eventbridge.ts` implement it). */
export interface Publisher {
  /** Sends one notification; rejects when the destination did not take it (the caller answers 503). */
  publish(notification: StreamNotification): Promise<void>;
}

/** Every publisher at once: resolves when all took the notification, rejects when one did not. */
export function publishToAll(publishers: readonly Publisher[]): Publisher | undefined {
  if (publishers.length === 0) return undefined;
  if (publishers.length === 1) return publishers[0];
  return {
    async publish(notification) {
      const results = await Promise.allSettled(publishers.map((publisher) => publisher.publish(notification)));
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
