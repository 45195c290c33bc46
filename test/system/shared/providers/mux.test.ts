/**
 * Mux: its signature checked against Mux's own SDK (`@mux/mux-node`, a test oracle only,
 * never in a function), the broadcast's asset as the session, the encoder's link events
 * acknowledged, and the stream's push credentials kept out of the table.
 */
import Mux from '@mux/mux-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { muxSamples, verifyMuxSignature } from '../../../../shared/providers/mux';
import { hmacSha256Hex } from '../../../../shared/signature';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor } from '../../../support/harness';
import { fixtureFor, keys, nowMs, nowSec, startOf } from '../../../support/providers';

const fixture = fixtureFor('mux');
const window = { past: 300, future: 60 };
const sdk = new Mux({ tokenId: 'unused', tokenSecret: 'unused' });

describe('mux signatures, against Mux’s SDK', () => {
  it('agree on any body, secret and time: what the SDK accepts, livehooks accepts, and the reverse', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.string({ minLength: 1, maxLength: 40 }).filter((key) => !key.includes('\u0000')),
        fc.integer({ min: 0, max: 250 }),
        fc.boolean(),
        async (body, key, ago, tamper) => {
          const t = String(Math.floor(Date.now() / 1000) - ago);
          const v1 = hmacSha256Hex(key, `${t}.${body}`);
          const sent = tamper ? `${body}x` : body;
          const headers = { 'mux-signature': `t=${t},v1=${v1}` };
          const ours = (() => {
            try {
              verifyMuxSignature(headers, sent, [key], window, Date.now());
              return true;
            } catch {
              return false;
            }
          })();
          const theirs = await sdk.webhooks.verifySignature(sent, headers, key).then(
            () => true,
            () => false,
          );
          expect(ours).toBe(theirs);
          expect(ours).toBe(!tamper);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('signs samples the SDK unwraps', async () => {
    const fields = muxSamples.sample({ kind: 'start', stream: 'ls1', sessionSec: nowSec - 30, timeSec: nowSec });
    const now = Math.floor(Date.now() / 1000);
    const request = muxSamples.sign(fields, { key: keys.newest, nowSec: now });
    expect(await sdk.webhooks.unwrap(request.body!, request.headers, keys.newest)).toEqual(fields);
  });

  it('refuses a t that is not canonical digits, and a header of more than 1 KiB', () => {
    const body = '{}';
    for (const t of [`0${nowSec}`, ` ${nowSec}`, `${nowSec}.0`]) {
      const headers = { 'mux-signature': `t=${t},v1=${hmacSha256Hex('k', `${t}.${body}`)}` };
      expect(() => verifyMuxSignature(headers, body, ['k'], window, nowMs)).toThrow('not a Unix time in seconds');
    }
    const long = { 'mux-signature': `t=${nowSec},${'v1=00,'.repeat(200)}` };
    expect(() => verifyMuxSignature(long, body, ['k'], window, nowMs)).toThrow('longer than 1024');
  });
});

describe('mux', () => {
  it('pairs active and idle by the broadcast’s asset, and keeps the stream key out of the table', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const started = await call(handler, fixture.callback(startOf('ls1', 90)));
    const stopped = await call(
      handler,
      fixture.callback({ ...startOf('ls1', 90), kind: 'stop', timeSec: nowSec - 10 }),
    );
    expect([started.status, stopped.status]).toEqual([200, 200]);
    const { events, sessions, state } = await table.store.readStream('mux/j0863n//ls1');
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ durationMs: 80_000 });
    expect(state).toMatchObject({ live: false });
    const stored = JSON.stringify(await table.scanAll());
    expect(stored).not.toContain('e9d5c8a5-2b5f-4e4c-9c0f-4f1d1c7e3b21');
    expect(events.every((event) => JSON.parse(event.raw).data.stream_key === '[redacted]')).toBe(true);
  });

  it('takes the stream’s latest asset when an idle event names no active one', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const idle = fixture.callback(
      { ...startOf('ls2', 90), kind: 'stop', timeSec: nowSec - 10 },
      { change: (fields) => delete (fields.data as Record<string, unknown>).active_asset_id },
    );
    await call(handler, fixture.callback(startOf('ls2', 90)));
    expect((await call(handler, idle)).status).toBe(200);
    expect((await table.store.readStream('mux/j0863n//ls2')).sessions).toHaveLength(1);
  });

  it('acknowledges connected, disconnected and every other event of the environment', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    for (const type of ['video.live_stream.connected', 'video.live_stream.disconnected', 'video.asset.ready']) {
      const event = fixture.callback(startOf('ls3'), { change: (fields) => (fields.type = type) });
      expect(await call(handler, event)).toEqual({ status: 200, body: { code: 0, ignored: true } });
    }
    expect(await table.scanAll()).toEqual([]);
  });
});
