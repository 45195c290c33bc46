/**
 * The AWS SDK's clients for the local engines, for the tests, the bench and the CLI's
 * queue commands. Apart from the engines (embedded-store.ts, embedded-queue.ts), which
 * npm start sets up with the light clients: it loads no SDK.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

/** An SDK client's settings for a local engine: any credentials do, the region is fixed, one attempt. */
const localOptions = (endpoint: string, region: string) => ({
  endpoint,
  region,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
});

/** An AWS SDK client for a local DynamoDB engine (tables, tools). */
export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient(localOptions(endpoint, 'local'));
}

/** An AWS SDK client for a local SQS engine. */
export function localSqsClient(endpoint: string): SQSClient {
  return new SQSClient(localOptions(endpoint, 'us-east-1'));
}
