/**
 * Settings of every AWS SDK client a function makes (DynamoDB, SSM): two attempts and
 * short socket timeouts, so that a dead service answers 503 well inside the vendor's
 * patience (Alibaba waits 5 s). Without `throwOnRequestTimeout` the SDK only warns when
 * `requestTimeout` passes.
 */
export const awsClientSettings = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1000, requestTimeout: 1500, throwOnRequestTimeout: true },
};
