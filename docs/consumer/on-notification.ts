import type { EventBridgeEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
// In a project of your own, copy this type from livehooks' shared/notification.ts, or
// generate it from docs/notification.schema.json.
import type { StreamNotification } from '../../shared/notification';

/** Who is live, as the notifications tell it: per stream, the state with the greatest order. */
const live = new Map<string, NonNullable<StreamNotification['state']>>();

async function onNotification({ streamKey, state }: StreamNotification): Promise<void> {
  const known = live.get(streamKey);
  if (state && (!known || state.order > known.order)) live.set(streamKey, state);
}

/** The queue's consumer. On a failure, that message and every later one come back, in order. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  for (const [index, message] of event.Records.entries()) {
    try {
      await onNotification(JSON.parse(message.body) as StreamNotification);
    } catch {
      return { batchItemFailures: event.Records.slice(index).map(({ messageId }) => ({ itemIdentifier: messageId })) };
    }
  }
  return { batchItemFailures: [] };
}

/**
 * The rule's target: a stream went live (its first push opened; announced once, whatever
 * other pushes come and go). EventBridge delivers at least once: deduplicate on `detail.id`.
 */
export async function started({ detail }: EventBridgeEvent<'Stream started', StreamNotification>): Promise<void> {
  console.log(`${detail.streamKey} went live at ${detail.record.occurredAt}`);
}
