import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsClientOptions } from '../../shared/aws/core';

/**
 * The functions' own client's settings for a user at a terminal: the AWS SDK's credential
 * chain and region (profiles, SSO), where a deployed function has its role's variables.
 */
export async function userAwsOptions(): Promise<AwsClientOptions> {
  return { credentials: defaultProvider(), region: await new DynamoDBClient({}).config.region() };
}
