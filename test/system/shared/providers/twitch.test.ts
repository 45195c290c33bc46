/**
 * Twitch EventSub: its signature checked against `@twurple/eventsub-http`'s own check (a
 * test oracle only, never in a function) and known answers, the challenge and a revocation
 * over HTTP, the offline paired with the online before it, and redeliveries deduplicated
 * by the message id.
 */
import { ApiClient } from '@twurple/api';
import { AppTokenAuthProvider } from '@twurple/auth';
import { EventSubMiddleware } from '@twurple/eventsub-http';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rejection } from '../../../../shared/answer';
import { refusedReport } from '../../../../shared/metrics';
import { twitchSamples, verifyTwitchSignature } from '../../../../shared/providers/twitch';
import { hmacSha256Hex } from '../../../../shared/signature';
import { createFunctionUrlServer } from '../../../../tools/local/function-url-server';
import { vendorEvent } from '../../../../tools/vendor-requests';
import { createTestTable, type TestTable } from '../../../support/dynamo';
import { call, handlerFor } from '../../../support/harness';
import { fixtureFor, keys, nowMs, nowSec, startOf } from '../../../support/providers';

const fixture = fixtureFor('twitch');
const window = { past: 600, future: 60 };
const vectors = JSON.parse(readFileSync(new URL('../../../fixtures/signatures.json', import.meta.url), 'utf8'))
  .twitch as { key: string; id: string; timestamp: string; body: string; signature: string }[];

/** Twurple's own check, `_verifyData(messageId, timestamp, body, algoAndSignature)`, with `secret`. */
function twurpleAccepts(secret: string, id: string, timestamp: string, body: string, signature: string): boolean {
  const apiClient = new ApiClient({ authProvider: new AppTokenAuthProvider('client-id', 'client-secret') });
  const middleware = new EventSubMiddleware({ apiClient, secret, hostName: 'example.com', pathPrefix: '/twitch' });
  return (middleware as unknown as { _verifyData: (...args: string[]) => boolean })._verifyData(
    id,
    timestamp,
    body,
    signature,
  );
}

const ours = (headers: Record<string, string>, body: string, key: string, now = nowMs) => {
  try {
    verifyTwitchSignature(headers, body, [key], window, now);
    return true;
  } catch {
    return false;
  }
};

const headersOf = (id: string, timestamp: string, signature: string) => ({
  'twitch-eventsub-message-id': id,
  'twitch-eventsub-message-timestamp': timestamp,
  'twitch-eventsub-message-signature': signature,
});

describe('twitch signatures', () => {
  it.each(vectors)('match the known answer for $timestamp (Python and openssl), as twurple does', (vector) => {
    const { key, id, timestamp, body, signature } = vector;
    const at = Date.parse(timestamp);
    expect(ours(headersOf(id, timestamp, signature), body, key, at)).toBe(true);
    expect(twurpleAccepts(key, id, timestamp, body, signature)).toBe(true);
    expect(`sha256=${hmacSha256Hex(key, `${id}${timestamp}${body}`)}`).toBe(signature);
    expect(ours(headersOf(id, timestamp, signature), `${body} `, key, at)).toBe(false);
  });

  it('agree with twurple on any body, secret and message: what it accepts, livehooks accepts, and the reverse', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.string({ minLength: 10, maxLength: 40 }),
        fc.uuid(),
        fc.integer({ min: 0, max: 599 }),
        fc.constantFrom('none', 'body', 'id', 'key'),
        (body, key, id, ago, tamper) => {
          const timestamp = new Date(nowMs - ago * 1000).toISOString().replace('Z', '123456Z');
          const signature = `sha256=${hmacSha256Hex(key, `${id}${timestamp}${body}`)}`;
          const sentBody = tamper === 'body' ? `${body}x` : body;
          const sentId = tamper === 'id' ? id.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) : id;
          const checkedWith = tamper === 'key' ? `${key}!` : key;
          const accepted = ours(headersOf(sentId, timestamp, signature), sentBody, checkedWith);
          expect(accepted).toBe(twurpleAccepts(checkedWith, sentId, timestamp, sentBody, signature));
          expect(accepted).toBe(tamper === 'none');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('parses the timestamp exactly: nanoseconds pass, other forms and a split moved into the id do not', () => {
    const id = 'e76c6bd4-55c9-4987-8304-da1588d8988b';
    const body = '{}';
    const at = (timestamp: string) => `sha256=${hmacSha256Hex('k', `${id}${timestamp}${body}`)}`;
    const good = new Date(nowMs).toISOString().replace('Z', '634234Z');
    expect(ours(headersOf(id, good, at(good)), body, 'k')).toBe(true);
    for (const timestamp of [
      new Date(nowMs).toUTCString(),
      good.replace('Z', '1Z'),
      good.replace('T', ' '),
      `${good} `,
      String(nowSec),
    ]) {
      expect(() => verifyTwitchSignature(headersOf(id, timestamp, at(timestamp)), body, ['k'], window, nowMs)).toThrow(
        'not an RFC 3339 time',
      );
    }
    // The same signed text, with the year's first digit moved into the id: refused.
    const moved = headersOf(`${id}2`, good.slice(1), at(good));
    expect(() => verifyTwitchSignature(moved, body, ['k'], window, nowMs)).toThrow('not an RFC 3339 time');
  });

  it('refuses a message older than 10 minutes, as twurple drops it', () => {
    const old = new Date(nowMs - 601_000).toISOString();
    const id = 'e76c6bd4-55c9-4987-8304-da1588d8988b';
    const headers = headersOf(id, old, `sha256=${hmacSha256Hex('k', `${id}${old}{}`)}`);
    expect(() => verifyTwitchSignature(headers, '{}', ['k'], window, nowMs)).toThrow('more than 600 s in the past');
  });
});

describe('twitch over HTTP: the challenge and a revocation', () => {
  let table: TestTable;
  let port: number;
  const server = createFunctionUrlServer({
    twitch: (event, context) => handlerFor(fixture, table.store)(event, context),
  });
  beforeAll(async () => {
    table = await createTestTable();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** POSTs a message as Twitch sends it, signed with `key` at `nowSec`. */
  function send(fields: Record<string, unknown>, key = keys.newest, change?: (h: Record<string, string>) => void) {
    const signed = twitchSamples.sign(fields, { key, nowSec });
    change?.(signed.headers);
    return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const outgoing = request(
        { host: '127.0.0.1', port, path: '/twitch', method: 'POST', headers: signed.headers },
        (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: text }));
        },
      );
      outgoing.on('error', reject);
      outgoing.end(signed.body);
    });
  }
  const subscription = (type: string, status: string) => ({
    id: 'f1c2a387-161a-49f9-a165-0f21d7a4e1c4',
    status,
    type,
    version: '1',
    cost: 0,
    condition: { broadcaster_user_id: '1337' },
    transport: { method: 'webhook', callback: 'https://example.com/twitch' },
    created_at: '2019-11-16T10:11:12.634234626Z',
  });
  const verification = (challenge: string, type = 'stream.online') => ({
    challenge,
    subscription: subscription(type, 'webhook_callback_verification_pending'),
  });

  it('answers a signed verification with the challenge alone, as plain text, nothing stored', async () => {
    const answer = await send(verification('pogchamp-kappa-360noscope-vohiyo'));
    expect(answer).toMatchObject({ status: 200, body: 'pogchamp-kappa-360noscope-vohiyo' });
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(await table.scanAll()).toEqual([]);
  });

  it('echoes nothing unsigned, wrongly signed, unbounded, marked up, or of a subscription it would ignore', async () => {
    const refused = [
      await send(verification('abc'), keys.unknown),
      await send(verification('abc'), keys.newest, (headers) => delete headers['twitch-eventsub-message-signature']),
      await send(verification('x'.repeat(257))),
      await send(verification('<script>alert(1)</script> x')),
      await send(verification('abc\r\nset-cookie: a=b')),
      await send(verification('abc', 'channel.update')),
    ];
    expect(refused.map(({ status }) => status)).toEqual([401, 401, 400, 400, 400, 400]);
    for (const answer of refused) {
      expect(answer.headers['content-type']).toBe('application/json');
      expect(answer.body).not.toMatch(/abc|alert|<|set-cookie/);
    }
  });

  it('answers a revocation 200, and keeps it as a refusal that counts as a failure', async () => {
    const answer = await send({ subscription: subscription('stream.offline', 'authorization_revoked') });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ reason: 'subscription_revoked' });
    expect(JSON.parse(answer.body).message).toContain('stream.offline subscription (authorization_revoked)');
    const kept = (await table.refusals()).filter((refusal) => refusal.reason === 'subscription_revoked');
    expect(kept).toEqual([expect.objectContaining({ status: 200, streamKey: 'twitch///1337' })]);
    expect(refusedReport('twitch', new Rejection('subscription_revoked', 'gone')).outcome).toBe('failed');
  });

  it('refuses a notification relabelled as a revocation: no false alarm', async () => {
    const online = twitchSamples.sample({ ...startOf('1337'), sessionSec: nowSec - 30, timeSec: nowSec });
    const answer = await send(online, keys.newest, (headers) => {
      headers['twitch-eventsub-message-type'] = 'revocation';
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ reason: 'bad_field' });
  });
});

describe('twitch', () => {
  it('pairs an offline with the online before it, and takes a redelivery once, by its message id', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const start = startOf('1337', 90);
    const started = await call(handler, fixture.callback(start));
    const stop = fixture.callback({ ...start, kind: 'stop', timeSec: nowSec - 10 });
    const stopped = await call(handler, stop);
    // Twitch resends the same message (its id) a moment later.
    const redelivered = await call(handler, stop);
    expect([started.status, stopped.status, redelivered.status]).toEqual([200, 200, 200]);
    expect(redelivered.body).toMatchObject({ id: stopped.body.id, duplicate: true });
    const { events, sessions, state } = await table.store.readStream('twitch///1337');
    expect(events).toHaveLength(2);
    expect(sessions).toEqual([
      expect.objectContaining({
        startedAt: new Date((nowSec - 90) * 1000).toISOString(),
        stoppedAt: new Date((nowSec - 10) * 1000).toISOString(),
      }),
    ]);
    expect(state).toMatchObject({ live: false });
  });

  it('refuses an online without started_at, and an unknown message type', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const noTime = await call(
      handler,
      fixture.callback(startOf('1337'), {
        change: (fields) => delete (fields.event as Record<string, unknown>).started_at,
      }),
    );
    expect(noTime).toMatchObject({ status: 400, body: { reason: 'missing_field' } });
    const signed = twitchSamples.sign(
      twitchSamples.sample({ ...startOf('1337'), sessionSec: nowSec, timeSec: nowSec }),
      {
        key: keys.newest,
        nowSec,
      },
    );
    const unknown = await call(
      handler,
      vendorEvent(
        'twitch',
        { ...signed, headers: { ...signed.headers, 'twitch-eventsub-message-type': 'keepalive' } },
        undefined,
      ),
    );
    expect(unknown).toMatchObject({ status: 400, body: { reason: 'bad_field' } });
    expect(await table.scanAll()).toEqual([]);
  });
});
