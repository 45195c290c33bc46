import { describe, expect, it } from 'vitest';
import type { ParameterReader } from '../shared/secrets';
import { createTestTable } from './support/dynamo';
import { call, handlerFor } from './support/harness';
import { createHandler } from '../shared/handler';
import { fixtureFor, keys, nowMs, startOf } from './support/providers';
import type { Context } from 'aws-lambda';

// No SSM engine runs on this machine, so these tests stand in for Parameter Store with a
// reader function: the seam `createHandler` takes. Everything behind it is the real handler.
const fixture = fixtureFor('tencent');
const env = { LIVEHOOKS_TENCENT_KEYS_PARAMETER: '/livehooks/test/tencent/keys' };

describe('keys from SSM parameters', () => {
  it('reads them once per container, on the first callback', async () => {
    const { store } = await createTestTable();
    const asked: string[][] = [];
    const readParameters: ParameterReader = async (names) => {
      asked.push([...names]);
      return new Map([['/livehooks/test/tencent/keys', `${keys.newest}, ${keys.older}`]]);
    };
    const handler = createHandler(fixture.adapter, { env, store, now: () => nowMs, readParameters });
    const answers = [];
    for (const key of [keys.older, keys.newest, keys.unknown]) {
      const result = await handler(fixture.callback(startOf(`cam-${key}`), { key }), {} as Context);
      answers.push(typeof result === 'object' ? result.statusCode : result);
    }
    expect(answers).toEqual([200, 200, 401]);
    expect(asked).toEqual([['/livehooks/test/tencent/keys']]);
  });

  it('answers 503 while the parameters cannot be read, and reads again on the next callback', async () => {
    const { store } = await createTestTable();
    let failures = 1;
    const readParameters: ParameterReader = async () => {
      if (failures-- > 0) throw new Error('ThrottlingException');
      return new Map([['/livehooks/test/tencent/keys', keys.newest]]);
    };
    const handler = createHandler(fixture.adapter, { env, store, now: () => nowMs, readParameters });
    const event = fixture.callback(startOf('cam'));
    expect(await handler(event, {} as Context)).toMatchObject({
      statusCode: 503,
      body: expect.stringContaining('secrets_unavailable'),
    });
    expect(await handler(event, {} as Context)).toMatchObject({ statusCode: 200 });
  });

  it('refuses every callback as not configured when the parameter does not exist', async () => {
    const { store } = await createTestTable();
    const handler = createHandler(fixture.adapter, {
      env,
      store,
      now: () => nowMs,
      readParameters: async () => new Map(),
    });
    const answer = await call(handler as ReturnType<typeof handlerFor>, fixture.callback(startOf('cam')));
    expect(answer).toMatchObject({ status: 401, body: { reason: 'not_configured' } });
  });

  it('will not take both a list and its parameter', () => {
    expect(() => handlerFor(fixture, {} as never, { ...env, LIVEHOOKS_TENCENT_KEYS: 'k' })).toThrow('not both');
  });
});
