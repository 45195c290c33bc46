/** SQS over the light client (core.ts), in the AWS JSON protocol SQS speaks since 2023. */
import type { SendMessageRequest, SendMessageResult } from '@aws-sdk/client-sqs';
import { awsJsonClient, type AwsClientOptions, type CallOptions } from './core';

/** An SQS client: the calls a publisher makes, in the wire API's shapes. */
export interface SqsClient {
  sendMessage(input: SendMessageRequest, options?: CallOptions): Promise<SendMessageResult>;
}

/** An SQS client; endpoint, region and credentials from the AWS variables unless `options` names them. */
export function createSqsClient(options: AwsClientOptions = {}): SqsClient {
  const call = awsJsonClient(
    { envName: 'SQS', endpointPrefix: 'sqs', signingName: 'sqs', targetPrefix: 'AmazonSQS', jsonVersion: '1.0' },
    options,
  );
  return { sendMessage: (input, callOptions) => call('SendMessage', input, callOptions) };
}
