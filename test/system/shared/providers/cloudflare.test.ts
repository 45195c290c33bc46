/**
 * Cloudflare: the destination's secret in `cf-webhook-auth` (or a URL token), the test a
 * destination is saved with, `errored` acknowledged, and connections paired by time.
 */
import { describe, expect, it } from 'vitest';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor } from '../../../support/harness';
import { fixtureFor, nowSec, startOf, tokens } from '../../../support/providers';

const fixture = fixtureFor('cloudflare');

/** A callback with the secret in `cf-webhook-auth`, as Cloudflare sends it, and no URL token. */
const withHeader = (event: ReturnType<typeof fixture.callback>, secret: string) => ({
  ...event,
  rawQueryString: '',
  headers: { ...event.headers, 'cf-webhook-auth': secret },
});

describe('cloudflare', () => {
  it('takes the destination’s secret from cf-webhook-auth, any of several, and refuses a wrong one', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const start = fixture.callback(startOf('eb222fcca08eeb1ae84c981ebe8aeeb6'));
    expect((await call(handler, withHeader(start, tokens.older))).status).toBe(200);
    expect(await call(handler, withHeader(start, tokens.unknown))).toMatchObject({
      status: 401,
      body: { reason: 'bad_token', message: 'the cf-webhook-auth header matches no configured token' },
    });
    // A wrong header is refused even beside a right URL token.
    expect((await call(handler, { ...start, headers: { ...start.headers, 'cf-webhook-auth': 'x' } })).status).toBe(401);
    const bare = withHeader(start, '');
    expect(await call(handler, bare)).toMatchObject({ status: 401, body: { reason: 'missing_token' } });
  });

  it('answers the test a destination is saved with, and live_input.errored, storing nothing', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    for (const event of fixture.ignored()) {
      expect(await call(handler, withHeader(event, tokens.newest))).toEqual({
        status: 200,
        body: { code: 0, ignored: true },
      });
    }
    expect(await table.scanAll()).toEqual([]);
  });

  it('pairs a disconnection with the latest connection before it, by data.updated_at', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const input = 'eb222fcca08eeb1ae84c981ebe8aeeb6';
    // The disconnection first, then its connection: one session all the same.
    await call(handler, fixture.callback({ ...startOf(input, 100), kind: 'stop', timeSec: nowSec - 40 }));
    await call(handler, fixture.callback(startOf(input, 100)));
    const { sessions, state } = await table.store.readStream(`cloudflare///${input}`);
    expect(sessions.map((session) => session.durationMs)).toEqual([60_000]);
    expect(state?.live).toBe(false);
  });
});
