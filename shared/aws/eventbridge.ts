/** EventBridge over the light client (core.ts). */
import type { PutEventsResponse, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { awsJsonClient, type AwsClientOptions, type CallOptions } from './core';

/** One event to put: the wire API's entry, its `Time` in seconds since the epoch (what the wire carries). */
export type EventEntry = Omit<PutEventsRequestEntry, 'Time'> & { Time?: number };

/** An EventBridge client: the call a publisher makes, in the wire API's shapes. */
export interface EventBridgeClient {
  putEvents(input: { Entries: EventEntry[] }, options?: CallOptions): Promise<PutEventsResponse>;
}

/** An EventBridge client; endpoint, region and credentials from the AWS variables unless `options` names them. */
export function createEventBridgeClient(options: AwsClientOptions = {}): EventBridgeClient {
  const call = awsJsonClient(
    {
      envName: 'EVENTBRIDGE',
      endpointPrefix: 'events',
      signingName: 'events',
      targetPrefix: 'AWSEvents',
      jsonVersion: '1.1',
    },
    options,
  );
  return { putEvents: (input, callOptions) => call('PutEvents', input, callOptions) };
}
