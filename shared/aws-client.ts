import type { AwsClientOptions } from './aws/core';

/**
 * Settings of every AWS client a function makes (DynamoDB, SQS, EventBridge, SSM): two
 * attempts, each given 1.5 s to answer, so that a dead or slow service answers 503 well
 * inside the vendor's patience (Alibaba waits 5 s) and the store's 3.5 s budget.
 */
export const awsClientSettings = { maxAttempts: 2, attemptTimeoutMs: 1500 } satisfies AwsClientOptions;
