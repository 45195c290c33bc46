/** SQS over the light client (core.ts), in the AWS JSON protocol SQS speaks since 2023. */
import type { SendMessageRequest, SendMessageResult } from '@aws-sdk/client-sqs';
import { awsJsonClient, type AwsClientOptions, type AwsJsonService, type CallOptions } from './core';

/** An SQS client: the calls a publisher makes, in the wire API's shapes. */
export interface SqsClient {
  sendMessage(input: SendMessageRequest, options?: CallOptions): Promise<SendMessageResult>;
}

/** SQS as the light client calls it (npm start makes its queue with it). */
export const sqsService: AwsJsonService = {
  envName: 'SQS',
  endpointPrefix: 'sqs',
  signingName: 'sqs',
  targetPrefix: 'AmazonSQS',
  jsonVersion: '1.0',
};

/** An SQS client; endpoint, region and credentials from the AWS variables unless `options` names them. */
export function createSqsClient(options: AwsClientOptions = {}): SqsClient {
  const call = awsJsonClient(sqsService, options);
  return { sendMessage: (input, callOptions) => call('SendMessage', input, callOptions) };
}
