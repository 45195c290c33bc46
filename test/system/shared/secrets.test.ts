import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../shared/handler';
import type { SsmClient } from '../../../shared/aws/ssm';
import { createTestTable } from '../../support/dynamo';
import { handlerFor } from '../../support/harness';
import { fixtureFor, keys, nowMs, startOf } from '../../support/providers';

// No SSM engine runs on this machine: these tests hand the secrets middleware a stand-in for
// its SSM client (shared/aws/ssm.ts; test/unit/shared/aws/ssm.test.ts checks the real one's
// requests), answering GetParametersByPath from a map. Everything around it, the
// middleware's fetching and caching included, is the real code.
const fixture = fixtureFor('tencent');
const path = '/livehooks/test/tencent/';
const env = { LIVEHOOKS_TENCENT_PARAMETERS_PATH: path };

/** An SSM client whose parameters are what `values()` says at each call, and which counts calls. */
function fakeSsm(values: () => Record<string, string> | Error) {
  const calls: string[] = [];
  const Client: SsmClient = {
    async getParametersByPath({ Path }) {
      calls.push(Path!);
      const current = values();
      if (current instanceof Error) throw current;
      return {
        Parameters: Object.entries(current).map(([name, value]) => ({
          Name: `${Path}${name}`,
          Type: 'SecureString',
          Value: value,
        })),
      };
    },
  };
  return { Client, calls };
}

async function statusOf(handler: ReturnType<typeof createHandler>, key: string, stream = `cam-${key}`) {
  const result = await handler(fixture.callback(startOf(stream), { key }), {} as Context);
  return { status: result.statusCode, reason: JSON.parse(result.body ?? '{}').reason };
}

describe('keys from SSM parameters', () => {
  it('reads the path once per container, at cold start, and answers with them', async () => {
    const { store } = await createTestTable();
    const ssm = fakeSsm(() => ({ keys: `${keys.newest}, ${keys.older}` }));
    const handler = createHandler(fixture.adapter, { env, store, now: () => nowMs, ssmClient: ssm.Client });
    const answers = [];
    for (const key of [keys.older, keys.newest, keys.unknown]) answers.push((await statusOf(handler, key)).status);
    expect(answers).toEqual([200, 200, 401]);
    expect(ssm.calls).toEqual([path]);
  });

  it('answers 503 while the parameters cannot be read, and reads again on the next callback', async () => {
    const { store } = await createTestTable();
    let failures = 1;
    const ssm = fakeSsm(() => (failures-- > 0 ? new Error('ThrottlingException') : { keys: keys.newest }));
    const handler = createHandler(fixture.adapter, { env, store, now: () => nowMs, ssmClient: ssm.Client });
    expect(await statusOf(handler, keys.newest)).toEqual({ status: 503, reason: 'secrets_unavailable' });
    expect(await statusOf(handler, keys.newest)).toEqual({ status: 200, reason: undefined });
    expect(ssm.calls).toHaveLength(2);
  });

  it('refuses every callback as not configured when no parameter exists under the path', async () => {
    const { store } = await createTestTable();
    const ssm = fakeSsm(() => ({}));
    const handler = createHandler(fixture.adapter, { env, store, now: () => nowMs, ssmClient: ssm.Client });
    expect(await statusOf(handler, keys.newest)).toEqual({ status: 401, reason: 'not_configured' });
  });

  it('reads them again once LIVEHOOKS_SECRETS_MAX_AGE has passed: a revoked key stops working', async () => {
    const { store } = await createTestTable();
    let current = `${keys.newest},${keys.older}`;
    const ssm = fakeSsm(() => ({ keys: current }));
    const handler = createHandler(fixture.adapter, {
      env: { ...env, LIVEHOOKS_SECRETS_MAX_AGE: '1' },
      store,
      now: () => nowMs,
      ssmClient: ssm.Client,
    });
    expect((await statusOf(handler, keys.older)).status).toBe(200);
    current = keys.newest; // the operator revokes the older key
    expect((await statusOf(handler, keys.older, 'within-the-age')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await statusOf(handler, keys.older, 'after-the-age')).toEqual({ status: 401, reason: 'bad_signature' });
    expect((await statusOf(handler, keys.newest, 'after-the-age')).status).toBe(200);
  });

  it('will not take both a list and a parameters path, nor a path that is not one', () => {
    expect(() => handlerFor(fixture, {} as never, { ...env, LIVEHOOKS_TENCENT_KEYS: 'k' })).toThrow('not both');
    expect(() => handlerFor(fixture, {} as never, { LIVEHOOKS_TENCENT_PARAMETERS_PATH: 'livehooks/x' })).toThrow(
      'must begin and end with "/"',
    );
  });
});
