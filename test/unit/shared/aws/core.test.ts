import { afterEach, describe, expect, it, vi } from 'vitest';
import { AwsError, awsJsonClient, type AwsClientOptions, type AwsJsonService } from '../../../../shared/aws/core';
import { standInCredentials, startAwsStandIn, type StandInAnswer } from '../../../support/aws-stand-in';

const dynamo: AwsJsonService = {
  envName: 'DYNAMODB',
  endpointPrefix: 'dynamodb',
  signingName: 'dynamodb',
  targetPrefix: 'DynamoDB_20120810',
  jsonVersion: '1.0',
};
const conditionFailed = {
  status: 400,
  body: {
    __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
    message: 'The conditional request failed',
    Item: { pk: { S: 'stream#a' }, live: { BOOL: true } },
  },
};
const throttled = {
  status: 400,
  body: {
    __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'Rate of requests exceeds the allowed throughput.',
  },
};

let standIn: Awaited<ReturnType<typeof startAwsStandIn>> | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await standIn?.close();
  standIn = undefined;
});

/** A client of the stand-in, answering with `answers` in turn (the last one again after). */
async function clientOf(answers: StandInAnswer[], options: AwsClientOptions = {}) {
  standIn = await startAwsStandIn((_request, index) => answers[Math.min(index, answers.length - 1)]!);
  const call = awsJsonClient(dynamo, {
    endpoint: standIn.endpoint,
    region: 'eu-west-1',
    credentials: standInCredentials,
    ...options,
  });
  return { call, requests: standIn.requests };
}

/** Runs `work` with `variables` set in process.env, and puts them back after. */
async function withEnv<T>(variables: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  set(variables);
  try {
    return await work();
  } finally {
    set(before);
  }
}

describe('awsJsonClient', () => {
  it('sends the action and input as the AWS JSON protocol, signed as the AWS SDK signs', async () => {
    const { call, requests } = await clientOf([{ status: 200, body: { Attributes: { a: { S: 'b' } } } }]);
    const output = await call('PutItem', { TableName: 't', Item: { pk: { S: 'x' } } });
    expect(output).toEqual({ Attributes: { a: { S: 'b' } } });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.signatureValid).toBe(true);
    expect(request!.scope).toEqual({ region: 'eu-west-1', service: 'dynamodb' });
    expect(request!.target).toBe('DynamoDB_20120810.PutItem');
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request!.headers['x-amz-security-token']).toBe(standInCredentials.sessionToken);
    expect(request!.body).toEqual({ TableName: 't', Item: { pk: { S: 'x' } } });
  });

  it('is refused by the signer when signed with other keys (the check can fail)', async () => {
    const { requests } = await clientOf([{ status: 200, body: {} }]);
    const call = awsJsonClient(dynamo, {
      endpoint: standIn!.endpoint,
      region: 'eu-west-1',
      credentials: { ...standInCredentials, secretAccessKey: 'another secret' },
    });
    await call('PutItem', {});
    expect(requests[0]!.signatureValid).toBe(false);
  });

  it('takes credentials (the session token too), region and endpoint from the Lambda environment', async () => {
    standIn = await startAwsStandIn();
    await withEnv(
      {
        AWS_ACCESS_KEY_ID: standInCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: standInCredentials.secretAccessKey,
        AWS_SESSION_TOKEN: standInCredentials.sessionToken,
        AWS_REGION: 'ap-southeast-1',
        AWS_ENDPOINT_URL_DYNAMODB: standIn.endpoint,
        // The service's own variable comes first.
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      },
      () => awsJsonClient(dynamo)('GetItem', { TableName: 't' }),
    );
    expect(standIn.requests[0]).toMatchObject({
      signatureValid: true,
      scope: { region: 'ap-southeast-1', service: 'dynamodb' },
      headers: { 'x-amz-security-token': standInCredentials.sessionToken },
    });
  });

  it('goes to the regional endpoint when no variable names one', async () => {
    const urls: string[] = [];
    const call = awsJsonClient(dynamo, {
      region: 'ap-southeast-1',
      credentials: standInCredentials,
      layer: async (request) => (urls.push(request.url.href), { status: 200, headers: {}, body: '{}' }),
    });
    await withEnv({ AWS_ENDPOINT_URL_DYNAMODB: undefined, AWS_ENDPOINT_URL: undefined }, () => call('Query', {}));
    expect(urls).toEqual(['https://dynamodb.ap-southeast-1.amazonaws.com/']);
  });

  it('says how to fix missing credentials, without sending anything', async () => {
    const { requests } = await clientOf([{ status: 200, body: {} }]);
    const call = awsJsonClient(dynamo, { endpoint: standIn!.endpoint, region: 'eu-west-1' });
    const failure = withEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }, () =>
      call('PutItem', {}),
    );
    await expect(failure).rejects.toMatchObject({ name: 'CredentialsMissing' });
    await expect(failure).rejects.toThrow(/set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    expect(requests).toHaveLength(0);
  });

  it('throws a failed condition by its name with the old item, and does not try again', async () => {
    const { call, requests } = await clientOf([conditionFailed]);
    const error = await call('PutItem', {}).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(AwsError);
    expect(error).toMatchObject({
      name: 'ConditionalCheckFailedException',
      statusCode: 400,
      retryable: false,
      Item: conditionFailed.body.Item,
    });
    expect((error as Error).message).toBe(
      'dynamodb PutItem: ConditionalCheckFailedException: The conditional request failed',
    );
    expect(requests).toHaveLength(1);
  });

  it('tries a throttled call again, and throws the throttling by name when the second attempt is throttled too', async () => {
    const { call, requests } = await clientOf([throttled, throttled]);
    await expect(call('PutItem', {})).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
      retryable: true,
    });
    expect(requests).toHaveLength(2);
    // Each attempt signed anew.
    expect(requests.every((request) => request.signatureValid)).toBe(true);
  });

  it('answers with the second attempt after a 5xx', async () => {
    const { call, requests } = await clientOf([
      { status: 500, body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError' } },
      { status: 200, body: { Items: [] } },
    ]);
    expect(await call('Query', {})).toEqual({ Items: [] });
    expect(requests).toHaveLength(2);
  });

  it('gives each attempt its timeout, then throws a TimeoutError', async () => {
    const { call, requests } = await clientOf(['hang'], { attemptTimeoutMs: 150 });
    const started = performance.now();
    await expect(call('PutItem', {})).rejects.toMatchObject({ name: 'TimeoutError', retryable: true });
    expect(requests).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("ends at once with the caller's abort, and tries no more", async () => {
    const controller = new AbortController();
    const reason = new DOMException('the budget is spent', 'TimeoutError');
    // The budget runs out while the engine holds the first attempt.
    standIn = await startAwsStandIn(() => (setTimeout(() => controller.abort(reason), 20), 'hang'));
    const call = awsJsonClient(dynamo, {
      endpoint: standIn.endpoint,
      region: 'eu-west-1',
      credentials: standInCredentials,
      attemptTimeoutMs: 10_000,
    });
    await expect(call('PutItem', {}, { abortSignal: controller.signal })).rejects.toBe(reason);
    expect(standIn.requests).toHaveLength(1);
  });

  it('is aborted in its backoff too', async () => {
    const controller = new AbortController();
    const { call, requests } = await clientOf([throttled]);
    // The throttling backoff is up to 500 ms, jittered: take its longest, so that an abort
    // 50 ms after the first answer lands in it (a short draw let the second attempt end first).
    vi.spyOn(Math, 'random').mockReturnValue(0.99);
    const failing = call('PutItem', {}, { abortSignal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(new Error('budget'));
    await expect(failing).rejects.toThrow('budget');
    expect(requests.length).toBeLessThanOrEqual(2);
  });

  it('tries again when nothing answers, and throws a NetworkError that says where to look', async () => {
    const closed = await startAwsStandIn();
    const endpoint = closed.endpoint;
    await closed.close();
    const call = awsJsonClient(dynamo, { endpoint, region: 'eu-west-1', credentials: standInCredentials });
    await expect(call('PutItem', {})).rejects.toMatchObject({ name: 'NetworkError', retryable: true });
    await expect(call('PutItem', {})).rejects.toThrow(/ECONNREFUSED.*check that the endpoint is reachable/);
  });

  it('keeps its connection open between calls', async () => {
    const { call } = await clientOf([{ status: 200, body: {} }]);
    for (let index = 0; index < 3; index++) await call('GetItem', {});
    expect(standIn!.connections).toBe(1);
  });
});
