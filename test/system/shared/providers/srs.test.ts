import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor } from '../../../support/harness';
import { fixtureFor } from '../../../support/providers';

const fixture = fixtureFor('srs');
const env = { LIVEHOOKS_SRS_TOKENS: 'sample-token' };
/** SRS's documented hook bodies, as a Function URL delivers them (events/srs). */
const sample = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../events/srs/${name}.json`, import.meta.url), 'utf8'),
  ) as LambdaFunctionURLEvent;

describe('srs', () => {
  it('allows a push with status 200 and code 0, and records start and stop by client_id', async () => {
    const table = await createTestTable();
    const started = await call(handlerFor(fixture, table.store, env), sample('start'));
    const stopped = await call(
      handlerFor(fixture, table.store, env, Date.parse('2026-06-01T12:30:00Z')),
      sample('stop'),
    );
    expect(started).toMatchObject({ status: 200, body: { code: 0 } });
    expect(stopped).toMatchObject({ status: 200, body: { code: 0 } });
    const { sessions, events } = await table.store.readStream('srs/__defaultVhost__/live/room42');
    expect(sessions).toEqual([expect.objectContaining({ sessionId: '341w361a', durationMs: expect.any(Number) })]);
    expect(events[0]).toMatchObject({ clientIp: '198.51.100.23', params: { room: '42', user: 'alice' } });
  });

  it('refuses a push whose hook URL carries a wrong token: non-200 and a non-zero code', async () => {
    const table = await createTestTable();
    const event = sample('start');
    event.rawQueryString = 'token=wrong';
    const answer = await call(handlerFor(fixture, table.store, env), event);
    expect(answer.status).not.toBe(200);
    expect(answer.body).toMatchObject({ code: 401, reason: 'bad_token' });
    expect(await table.scanAll()).toEqual([]);
  });
});
