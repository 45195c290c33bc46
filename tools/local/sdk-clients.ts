/**
 * The AWS SDK's clients for the local engines, for the tests, the bench and the CLI's
 * queue commands. Apart from the engines (embedded-store.ts, embedded-queue.ts), which
 * npm start sets up with the light clients: it loads no SDK.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

/** An AWS SDK client for a local engine (tables, tools): any credentials do, the region is fixed. */
export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** A client for a local SQS engine: any credentials do, the region is fixed. */
export function localSqsClient(endpoint: string): SQSClient {
  return new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}
