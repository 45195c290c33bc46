/**
 * Livepeer Studio: its signature (HMAC-SHA256 of the raw body, in `Livepeer-Signature`'s
 * `v1`) against known answers from openssl and Python, and against Livepeer's own signer
 * ported verbatim (test/support/livepeer-signer.ts, an oracle only); the body's signed
 * `timestamp` as the send time, the header's unsigned `t` not trusted; retries as
 * duplicates; a broadcast paired by time; other event types acknowledged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { livepeerSamples, verifyLivepeerSignature } from '../../../../shared/providers/livepeer';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor } from '../../../support/harness';
import { fireHook, sign } from '../../../support/livepeer-signer';
import { fixtureFor, keys, nowSec } from '../../../support/providers';

const fixture = fixtureFor('livepeer');
const window = { past: 300, future: 60 };

/** The reason livehooks refuses a webhook with, or `accepted`. */
function outcome(headers: Record<string, string>, body: string, secrets: string[], nowMs: number): string {
  try {
    verifyLivepeerSignature(JSON.parse(body), headers, body, secrets, window, nowMs);
    return 'accepted';
  } catch (error) {
    return (error as { reason: string }).reason;
  }
}

/**
 * Computed with `printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$KEY"` and with Python's
 * `hmac.new(KEY, BODY, hashlib.sha256).hexdigest()`; the two agreed. The first body is
 * Livepeer's own test event (`webhook_test_12`, `streamid`, secret `my-secret`, from
 * packages/api/src/webhooks/cannon.test.ts).
 */
const vectors = [
  {
    key: 'my-secret',
    body: '{"id":"webhook_test_12","webhookId":"3e02c844-d364-4d48-b401-24b2773b5d6c","createdAt":1700000000000,"timestamp":1700000000087,"event":"stream.started","stream":{"id":"streamid","isActive":true}}',
    v1: 'd2f44603d1e0c4b5b87b959a428495080b56f6938f4d6859e203a0e1f3e50454',
  },
  {
    key: 'whsec-Livepeer-0123456789',
    body: '{"id":"9b1e0d5c-7f41-4f4a-8a55-2f0c7e9a3b10","webhookId":"3e02c844-d364-4d48-b401-24b2773b5d6c","createdAt":1796029200000,"timestamp":1796029200412,"event":"stream.idle","stream":{"id":"de7818e7-610a-4057-8f6f-b785dc1e6f88","name":"studio-7","isActive":false}}',
    v1: '7e85240e24234f9a303a7d0527730ba65c1f849fa5905ff3572a2c3e9b2ad575',
  },
];

describe.each(vectors)('livepeer known answer %#', ({ key, body, v1 }) => {
  const sentMs = Number(JSON.parse(body).timestamp);

  it('takes the signature of the raw body, in either case, with any configured secret', () => {
    const headers = { 'livepeer-signature': `t=${sentMs},v1=${v1}` };
    expect(outcome(headers, body, ['other', key], sentMs + 1000)).toBe('accepted');
    expect(outcome({ 'livepeer-signature': `t=${sentMs},v1=${v1.toUpperCase()}` }, body, [key], sentMs)).toBe(
      'accepted',
    );
    expect(outcome(headers, body.replace('"isActive"', '"isactive"'), [key], sentMs)).toBe('bad_signature');
    expect(outcome(headers, body, ['other'], sentMs)).toBe('bad_signature');
  });

  it('signs as the vendor does', () => {
    expect(sign(body, key)).toBe(v1);
    expect(livepeerSamples.signatureOf!(JSON.parse(body), key, String(sentMs))).toBe(v1);
  });

  it('reads the time from the signed body, not from the header’s t', () => {
    // t is not signed: an old t with a fresh body passes, a fresh t with an old body does not.
    const stale = { 'livepeer-signature': `t=1,v1=${v1}` };
    expect(outcome(stale, body, [key], sentMs + 60_000)).toBe('accepted');
    const fresh = { 'livepeer-signature': `t=${sentMs + 3_600_000},v1=${v1}` };
    expect(outcome(fresh, body, [key], sentMs + 3_600_000)).toBe('expired');
    expect(outcome({ 'livepeer-signature': `v1=${v1}` }, body, [key], sentMs)).toBe('accepted');
  });
});

describe('livepeer signatures, against Livepeer’s own signer', () => {
  it('agree on any stream, secret and send time: what Livepeer signs is taken, and a changed body is not', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 64 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.integer({ min: -60_000, max: 300_000 }),
        fc.boolean(),
        (name, secret, ageMs, tamper) => {
          const now = 1_796_029_200_000;
          const sent = fireHook(
            { id: 'e1', timestamp: now - 600_000, event: 'stream.started' },
            { id: 'w1', sharedSecret: secret },
            { id: 'de7818e7-610a-4057-8f6f-b785dc1e6f88', name },
            now - ageMs,
          );
          const headers = Object.fromEntries(
            Object.entries(sent.headers).map(([k, value]) => [k.toLowerCase(), value]),
          );
          const body = tamper ? sent.body.replace('"stream.started"', '"stream.idle"') : sent.body;
          expect(outcome(headers, body, [secret], now)).toBe(tamper ? 'bad_signature' : 'accepted');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses what Livepeer sends for a webhook without a secret, and a header of more than 1 KiB', () => {
    const sent = fireHook(
      { id: 'e1', timestamp: 1_000, event: 'stream.started' },
      { id: 'w1', sharedSecret: '' },
      { id: 's' },
      2_000,
    );
    expect(outcome(sent.headers, sent.body, ['k'], 2_000)).toBe('missing_signature');
    expect(outcome({ 'livepeer-signature': 't=2000,v0=abc' }, sent.body, ['k'], 2_000)).toBe('missing_signature');
    expect(outcome({ 'livepeer-signature': `t=2000,${'v1=0,'.repeat(300)}` }, sent.body, ['k'], 2_000)).toBe(
      'bad_signature',
    );
  });
});

describe('livepeer webhooks', () => {
  it('record a broadcast from stream.started to stream.idle, paired by time, without the pull source', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const start = { kind: 'start', stream: 'st-1', sessionStartSec: nowSec - 200, timeSec: nowSec - 200 } as const;
    const withPull = (fields: Record<string, unknown>) => {
      (fields.stream as Record<string, unknown>).pull = { source: 'rtmp://origin.example/live?key=pull-secret-1' };
    };
    const started = await call(handler, fixture.callback(start, { change: withPull }));
    const stopped = await call(handler, fixture.callback({ ...start, kind: 'stop', timeSec: nowSec - 5 }));
    expect([started.status, stopped.status]).toEqual([200, 200]);
    const items = await table.scanAll();
    const events = items.filter((item) => String(item.sk).startsWith('event#'));
    expect(events.map((item) => [item.kind, item.streamKey, item.occurredAt])).toEqual(
      expect.arrayContaining([
        ['start', 'livepeer///st-1', new Date((nowSec - 200) * 1000).toISOString()],
        ['stop', 'livepeer///st-1', new Date((nowSec - 5) * 1000).toISOString()],
      ]),
    );
    expect(new Set(events.map((item) => item.sessionId)).size).toBe(1);
    expect(JSON.stringify(items)).not.toContain('pull-secret-1');
  });

  it('take a retry, sent later and signed anew with the same event id, as a duplicate', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const spec = { kind: 'start', stream: 'st-2', sessionStartSec: nowSec - 60, timeSec: nowSec - 60 } as const;
    const first = fixture.callback(spec);
    // Livepeer's retry: the same event (id, createdAt), sent and signed again later.
    const fields = livepeerSamples.sample({
      kind: 'start',
      stream: 'st-2',
      sessionSec: nowSec - 60,
      timeSec: nowSec - 60,
    });
    const retry = livepeerSamples.sign(fields, { key: keys.newest, nowSec: nowSec + 5 });
    expect(JSON.parse(retry.body!).timestamp).not.toBe(JSON.parse(first.body!).timestamp);
    expect((await call(handler, first)).body).toMatchObject({ code: 0, duplicate: false });
    const again = { ...first, headers: { ...first.headers, ...retry.headers }, body: retry.body! };
    expect((await call(handler, again)).body).toMatchObject({ code: 0, duplicate: true });
  });

  it('acknowledge recording, multistream and asset events without recording them', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    for (const event of fixture.ignored()) {
      expect(await call(handler, event)).toMatchObject({ status: 200, body: { ignored: true } });
    }
    expect(await table.scanAll()).toEqual([]);
  });
});
