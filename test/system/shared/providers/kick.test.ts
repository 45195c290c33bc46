/**
 * Kick: the RSA check against known answers and the openssl command line (a second tool,
 * never livehooks' code), with throwaway key pairs (Kick's private key is Kick's); the
 * published key's PEM as it is printed; the broadcaster binding every app's shared signer
 * calls for; the stream's start as its session.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { kick, kickPublicKey, kickSamples, publicKeyOf, verifyKickSignature } from '../../../../shared/providers/kick';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor } from '../../../support/harness';
import { fixtureFor, keys, nowMs, nowSec, startOf } from '../../../support/providers';

const fixture = fixtureFor('kick');
const window = { past: 300, future: 60 };
const vectors = JSON.parse(readFileSync(new URL('../../../fixtures/signatures.json', import.meta.url), 'utf8'))
  .kick as { publicKey: string; id: string; timestamp: string; body: string; signature: string }[];
const folder = mkdtempSync(join(tmpdir(), 'livehooks-kick-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const headersOf = (id: string, timestamp: string, signature: string) => ({
  'kick-event-message-id': id,
  'kick-event-message-timestamp': timestamp,
  'kick-event-signature': signature,
});
const ours = (headers: Record<string, string>, body: string, keyList: string[], now = nowMs) => {
  try {
    verifyKickSignature(headers, body, keyList, window, now);
    return true;
  } catch {
    return false;
  }
};

/** What `openssl dgst -sha256 -verify` says of a signature over `text`. */
function opensslVerifies(publicPem: string, text: string, signatureBase64: string): boolean {
  const [key, data, signature] = ['key.pem', 'data', 'signature'].map((name) => join(folder, name));
  writeFileSync(key!, publicPem);
  writeFileSync(data!, text);
  writeFileSync(signature!, Buffer.from(signatureBase64, 'base64'));
  try {
    execFileSync('openssl', ['dgst', '-sha256', '-verify', key!, '-signature', signature!, data!], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** `openssl dgst -sha256 -sign`: base64 of the PKCS#1 v1.5 signature of `text`. */
function opensslSigns(privatePem: string, text: string): string {
  const [key, data] = ['private.pem', 'data'].map((name) => join(folder, name));
  writeFileSync(key!, privatePem, { mode: 0o600 });
  writeFileSync(data!, text);
  return execFileSync('openssl', ['dgst', '-sha256', '-sign', key!, data!]).toString('base64');
}

describe('kick signatures', () => {
  it.each(vectors)('match the known answer at $timestamp (openssl and Python), as openssl verifies', (vector) => {
    const { publicKey, id, timestamp, body, signature } = vector;
    const at = Date.parse(timestamp);
    expect(ours(headersOf(id, timestamp, signature), body, [kickPublicKey, publicKey], at)).toBe(true);
    const pem = publicKeyOf(publicKey).export({ type: 'spki', format: 'pem' }).toString();
    expect(opensslVerifies(pem, `${id}.${timestamp}.${body}`, signature)).toBe(true);
    expect(ours(headersOf(id, timestamp, signature), `${body} `, [publicKey], at)).toBe(false);
    expect(ours(headersOf(id, timestamp, signature), body, [kickPublicKey], at)).toBe(false);
  });

  it('agrees with openssl on any body, id and time, for a throwaway key pair, both ways', () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    fc.assert(
      fc.property(
        fc.string({ maxLength: 120 }),
        fc.stringMatching(/^[0-9A-Z]{26}$/),
        fc.integer({ min: 0, max: 299 }),
        fc.boolean(),
        (body, id, ago, tamper) => {
          const timestamp = new Date(nowMs - ago * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
          const signature = opensslSigns(privatePem, `${id}.${timestamp}.${body}`);
          const sent = tamper ? `${body}!` : body;
          const accepted = ours(headersOf(id, timestamp, signature), sent, [publicPem]);
          expect(accepted).toBe(opensslVerifies(publicPem, `${id}.${timestamp}.${sent}`, signature));
          expect(accepted).toBe(!tamper);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('reads Kick’s published key as docs.kick.com prints it, as PEM or its base64 alone', () => {
    const key = publicKeyOf(kickPublicKey);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const base64 = kickPublicKey.split('\n').slice(1, -1).join('');
    expect(publicKeyOf(base64).equals(key)).toBe(true);
    expect(kick.readSettings!({})).toMatchObject({ keys: [kickPublicKey] });
    expect(() => kick.readSettings!({ LIVEHOOKS_KICK_KEYS: 'not-a-key' })).toThrow('LIVEHOOKS_KICK_KEYS');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
    expect(() => publicKeyOf(ec.toString())).toThrow('not an RSA key');
  });

  it('refuses a time of another form, a split moved across the dots, and base64 written otherwise', () => {
    const [vector] = vectors;
    const { publicKey, id, body, signature } = vector!;
    const at = Date.parse(vector!.timestamp);
    const check =
      (headers: Record<string, string>, text = body) =>
      () =>
        verifyKickSignature(headers, text, [publicKey], window, at);
    expect(check(headersOf(id, '1735689602', signature))).toThrow('not an RFC 3339 time');
    expect(check(headersOf(`${id}.2025`, vector!.timestamp.slice(5), signature))).toThrow('not an RFC 3339 time');
    expect(check(headersOf(`${id}.x`, vector!.timestamp, signature))).toThrow('not a message id');
    expect(check(headersOf(id, vector!.timestamp, signature.replace(/=+$/, '')))).toThrow('not base64');
    expect(check(headersOf(id, vector!.timestamp, `${signature}\n`))).toThrow('not base64');
  });
});

describe('kick', () => {
  it('pairs the end with its start by started_at, whatever the offset it is written in', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const start = startOf('123456789', 90);
    const started = await call(handler, fixture.callback(start));
    const stopped = await call(
      handler,
      fixture.callback(
        { ...start, kind: 'stop', timeSec: nowSec - 10 },
        {
          change: (fields) => (fields.started_at = new Date((nowSec - 90) * 1000).toISOString().replace('Z', '+00:00')),
        },
      ),
    );
    expect([started.status, stopped.status]).toEqual([200, 200]);
    const { sessions, state } = await table.store.readStream('kick///123456789');
    expect(sessions).toEqual([
      expect.objectContaining({
        sessionId: new Date((nowSec - 90) * 1000).toISOString(),
        stoppedAt: new Date((nowSec - 10) * 1000).toISOString(),
      }),
    ]);
    expect(state).toMatchObject({ live: false });
  });

  it('takes only the broadcasters of LIVEHOOKS_KICK_BROADCASTERS: another app’s delivery is refused', async () => {
    const table = await createTestTable();
    const env = { ...fixture.env, LIVEHOOKS_KICK_BROADCASTERS: '123456789, 42' };
    const handler = handlerFor(fixture, table.store, env);
    expect((await call(handler, fixture.callback(startOf('123456789')))).status).toBe(200);
    const foreign = await call(handler, fixture.callback(startOf('987654321')));
    expect(foreign).toMatchObject({ status: 403, body: { reason: 'foreign_event' } });
    expect(() => kick.readSettings!({ LIVEHOOKS_KICK_BROADCASTERS: 'broadcaster_name' })).toThrow('user ids');
  });

  it('refuses an end without ended_at, and signs with a throwaway key only', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const noEnd = fixture.callback(
      { ...startOf('123456789'), kind: 'stop', timeSec: nowSec },
      { change: (fields) => (fields.ended_at = null) },
    );
    expect(await call(handler, noEnd)).toMatchObject({ status: 400, body: { reason: 'missing_field' } });
    expect(() => kickSamples.sign({}, { key: kickPublicKey, nowSec })).toThrow('Kick signs with its own private key');
    // A throwaway entry is a private key, read as its public half where it verifies.
    expect(publicKeyOf(kickSamples.keyEntry!(keys.newest)).asymmetricKeyType).toBe('rsa');
    expect(kickSamples.keyEntry!(keys.newest)).toBe(kickSamples.keyEntry!(keys.newest));
  });
});
