/**
 * LiveKit: the webhook token checked against LiveKit's own SDK (`livekit-server-sdk`, a test
 * oracle only, never in a function) both ways, every RFC 7519 rule that applies, pushes
 * told apart by the ingress state's resource id, and the stream key kept out of the table.
 */
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { AccessToken, WebhookReceiver } from 'livekit-server-sdk';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { livekit, livekitSamples, verifyLiveKitToken } from '../../../../shared/providers/livekit';
import vectors from '../../../fixtures/signatures.json';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor } from '../../../support/harness';
import { fixtureFor, nowSec, startOf, withJwtClaims } from '../../../support/providers';

const fixture = fixtureFor('livekit');
const window = livekit.defaultWindow!;
const entry = 'APIk1:secret-one-0123456789';
const [apiKey, apiSecret] = entry.split(':') as [string, string];

/** Whether livehooks accepts `token` for `body` at `nowMs`. */
function accepts(token: string | undefined, body: string, keys = [entry], nowMs = Date.now()): boolean {
  try {
    verifyLiveKitToken(token, body, keys, window, nowMs);
    return true;
  } catch {
    return false;
  }
}

/** The reason livehooks refuses `token` with. */
function refusal(token: string | undefined, body = '{}', keys = [entry], nowMs = nowSec * 1000): string {
  try {
    verifyLiveKitToken(token, body, keys, window, nowMs);
    return 'accepted';
  } catch (error) {
    return (error as { reason: string }).reason;
  }
}

/** A token of any header and claims, HS256-signed (or not) as asked. */
function token(header: object, claims: object, secret = apiSecret, algorithm = 'sha256'): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(claims)}`;
  return `${unsigned}.${createHmac(algorithm, secret).update(unsigned).digest('base64url')}`;
}

const sha256Of = (body: string) => createHash('sha256').update(body).digest('base64');
const claimsAt = (sec: number, body = '{}') => ({ iss: apiKey, exp: sec + 300, nbf: sec, sha256: sha256Of(body) });

describe('livekit tokens, against LiveKit’s SDK', () => {
  it('agree on any body: what our signer makes, the SDK’s WebhookReceiver takes, unless tampered', async () => {
    const receiver = new WebhookReceiver(apiKey, apiSecret);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.boolean(), async (text, tamper) => {
        const fields = { event: 'room_started', id: 'EV_x', note: text };
        const body = JSON.stringify(fields);
        const nowSec = Math.floor(Date.now() / 1000);
        const request = livekitSamples.sign(fields, { key: entry, nowSec });
        const sent = tamper ? `${body} ` : body;
        const theirs = await receiver.receive(sent, request.headers.authorization).then(
          () => true,
          () => false,
        );
        expect(accepts(request.headers.authorization, sent)).toBe(theirs);
        expect(theirs).toBe(!tamper);
      }),
      { numRuns: 100 },
    );
  });

  it('accepts what the SDK mints with a body’s sha256, and refuses it for another body or key', async () => {
    const body = JSON.stringify(livekitSamples.sample({ ...specOf('cam') }));
    const minted = new AccessToken(apiKey, apiSecret, { ttl: '5m' });
    minted.sha256 = sha256Of(body);
    const jwt = await minted.toJwt();
    expect(accepts(jwt, body)).toBe(true);
    expect(accepts(jwt, `${body} `)).toBe(false);
    expect(accepts(jwt, body, ['APIk1:another-secret'])).toBe(false);
    expect(accepts(jwt, body, ['APIk2:secret-one-0123456789'])).toBe(false);
  });

  it.each(vectors.livekit)('the known answer: $nbf', ({ key, nbf, body, sha256, authorization }) => {
    expect(sha256Of(body)).toBe(sha256);
    expect(livekitSamples.signatureOf!(JSON.parse(body), key, nbf)).toBe(authorization);
    expect(accepts(authorization, body, [key], Number(nbf) * 1000)).toBe(true);
  });
});

function specOf(stream: string) {
  const { sessionStartSec, timeSec, kind } = startOf(stream);
  return { kind, stream, sessionSec: sessionStartSec, timeSec };
}

describe('livekit token rules (RFC 7519 and LiveKit’s own)', () => {
  const good = claimsAt(nowSec);
  const hs256 = { alg: 'HS256', typ: 'JWT' };

  it('accepts LiveKit’s token, with or without typ and iat', () => {
    expect(refusal(token(hs256, good))).toBe('accepted');
    expect(refusal(token({ alg: 'HS256' }, { ...good, iat: nowSec }))).toBe('accepted');
  });

  it.each([
    ['alg none, unsigned', `${token({ alg: 'none' }, good).split('.').slice(0, 2).join('.')}.`],
    ['alg HS512', token({ alg: 'HS512' }, good, apiSecret, 'sha512')],
    ['a crit header', token({ ...hs256, crit: ['exp'] }, good)],
    ['another typ', token({ alg: 'HS256', typ: 'at+jwt' }, good)],
    ['an iss no key is configured for', token(hs256, { ...good, iss: 'APIother' })],
    ['another secret', token(hs256, good, 'not-the-secret')],
    ['a Bearer prefix (LiveKit sends the token bare)', `Bearer ${token(hs256, good)}`],
    ['two parts', token(hs256, good).split('.').slice(0, 2).join('.')],
    ['claims that are not an object', token(hs256, [good])],
    ['no sha256 claim', token(hs256, { ...good, sha256: undefined })],
    ['the sha256 claim of another body', token(hs256, { ...good, sha256: sha256Of('{"a":1}') })],
    ['the sha256 claim in hex', token(hs256, { ...good, sha256: createHash('sha256').update('{}').digest('hex') })],
    ['a changed claim under the old signature', withJwtClaims(token(hs256, good), (claims) => (claims.iss = 'APIk1 '))],
  ])('refuses %s as bad_signature', (_, jwt) => {
    expect(refusal(jwt)).toBe('bad_signature');
  });

  it.each([
    ['no nbf', { ...good, nbf: undefined }, 'missing_timestamp'],
    ['no exp', { ...good, exp: undefined }, 'missing_timestamp'],
    ['nbf as text', { ...good, nbf: String(nowSec) }, 'accepted'],
    ['nbf with a fraction', { ...good, nbf: nowSec + 0.5 }, 'bad_timestamp'],
    ['exp longer than five minutes after nbf', { ...good, exp: nowSec + 301 }, 'bad_timestamp'],
    ['exp before nbf', { ...good, exp: nowSec - 1 }, 'bad_timestamp'],
    ['exp as text', { ...good, exp: String(nowSec + 300) }, 'bad_timestamp'],
    ['exp passed, inside the minute of skew', { ...claimsAt(nowSec - 359) }, 'accepted'],
    ['exp passed by more than a minute', { ...claimsAt(nowSec - 370), exp: nowSec - 61 }, 'expired'],
    ['nbf more than a minute ahead', claimsAt(nowSec + 61), 'not_yet_valid'],
  ])('%s: %s', (_, claims, reason) => {
    expect(refusal(token(hs256, claims))).toBe(reason);
  });

  it('says how a key is written when an entry has no API key', () => {
    expect(refusal(token(hs256, good), '{}', ['just-a-secret'])).toBe('not_configured');
    expect(refusal(undefined, '{}', ['just-a-secret'])).toBe('missing_signature');
  });

  it('takes several secrets for one API key (a rotation), and several API keys', () => {
    const jwt = token(hs256, good);
    expect(refusal(jwt, '{}', ['APIk1:old-secret', entry])).toBe('accepted');
    expect(refusal(jwt, '{}', ['APIk0:x', entry, 'APIk2:y'])).toBe('accepted');
  });
});

describe('livekit ingress events', () => {
  it('tell pushes of one ingress apart by the state’s resource id, else its startedAt', () => {
    const start = livekitSamples.sample(specOf('IN_a')) as { ingressInfo: { state: Record<string, unknown> } };
    const draft = livekit.normalize(v.parse(livekit.schema, start), 'start', 0);
    expect(draft).toMatchObject({ app: 'show-42', stream: 'IN_a', sessionId: start.ingressInfo.state.resourceId });
    delete start.ingressInfo.state.resourceId;
    const again = livekit.normalize(v.parse(livekit.schema, start), 'start', 0);
    expect(again.sessionId).toBe(`started:${String(start.ingressInfo.state.startedAt)}`);
  });

  it('records an ingress that ended in error with its reason, and no stream key', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const event = fixture.callback(
      { kind: 'stop', stream: 'IN_err', sessionStartSec: nowSec - 60, timeSec: nowSec - 1 },
      {
        change: (fields) => {
          const state = (fields.ingressInfo as { state: Record<string, unknown> }).state;
          Object.assign(state, { status: 'ENDPOINT_ERROR', error: 'no video received' });
        },
      },
    );
    const answer = await call(handler, event);
    expect(answer.status).toBe(200);
    const [record] = (await table.scanAll()).filter((item) => String(item.sk).startsWith('event#'));
    expect(record).toMatchObject({ kind: 'stop', reason: { code: 'ENDPOINT_ERROR', message: 'no video received' } });
    expect(JSON.stringify(await table.scanAll())).not.toContain('Lk3mZpQ8vWx2');
  });

  it('answers the same event, sent twice with the same token, once', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const event = fixture.callback(startOf('IN_twice'));
    expect((await call(handler, event)).body.duplicate).toBe(false);
    expect((await call(handler, event)).body.duplicate).toBe(true);
  });
});
