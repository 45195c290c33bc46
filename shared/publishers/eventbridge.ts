import { awsClientSettings } from '../aws-client';
import { createEventBridgeClient, type EventBridgeClient } from '../aws/eventbridge';
import { notificationJson, type StreamNotification } from '../notification';
import type { Publisher } from './port';

/** The `detail-type` of each notification type: what a rule matches on. */
export const detailTypes: Record<StreamNotification['type'], string> = {
  'stream.started': 'Stream started',
  'stream.stopped': 'Stream stopped',
  'stream.failover': 'Stream failover',
  'push.started': 'Push started',
  'push.stopped': 'Push stopped',
};

/** Where an EventBridge publisher sends, and with which client. */
export interface EventBridgePublisherOptions {
  /** The bus, by name or ARN. */
  busName: string;
  /** The events' `source` (default `livehooks`): what rules match on. */
  source?: string;
  client?: EventBridgeClient;
}

/**
 * Notifications onto an EventBridge bus, one event each: `source` `livehooks`,
 * `detail-type` from the notification's type (`Stream started`, `Stream stopped`, `Stream failover`, `Push started`, `Push stopped`: what a rule reads), the notification
 * as `detail`. PutEvents answers 200 even when it refused an entry, so a failed entry is a
 * rejection here.
 */
export function createEventBridgePublisher({
  busName,
  source = 'livehooks',
  client,
}: EventBridgePublisherOptions): Publisher {
  let events = client;
  return {
    async publish(notification) {
      events ??= createEventBridgeClient(awsClientSettings);
      const answer = await events.putEvents({
        Entries: [
          {
            EventBusName: busName,
            Source: source,
            DetailType: detailTypes[notification.type],
            Detail: notificationJson(notification),
            // Seconds since the epoch: what the wire API carries for a timestamp.
            Time: Date.parse(notification.record.occurredAt) / 1000,
          },
        ],
      });
      if (answer.FailedEntryCount) {
        const [failed] = (answer.Entries ?? []).filter((entry) => entry.ErrorCode);
        throw new Error(`EventBridge refused the event: ${failed?.ErrorCode} ${failed?.ErrorMessage ?? ''}`.trim());
      }
    },
  };
}
