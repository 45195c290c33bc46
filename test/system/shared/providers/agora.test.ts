/**
 * Agora Media Gateway: the V2 signature (HMAC-SHA256) and the older V1 (HMAC-SHA1) only
 * where the operator accepts it, other products' and event types' notifications
 * acknowledged, a stream as the host's uid in its channel, and no stream key in the table.
 */
import { describe, expect, it } from 'vitest';
import { verifyAgoraSignature } from '../../../../shared/providers/agora';
import vectors from '../../../fixtures/signatures.json';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor } from '../../../support/harness';
import { fixtureFor, nowSec, startOf } from '../../../support/providers';

const fixture = fixtureFor('agora');
const window = { past: 300, future: 60 };

/** The reason livehooks refuses a notification with, or `accepted`. */
function outcome(headers: Record<string, string>, body: string, legacySignature = false): string {
  const fields = JSON.parse(body) as Record<string, unknown>;
  try {
    verifyAgoraSignature(
      fields,
      headers,
      body,
      ['other', 'secret'],
      { window, legacySignature },
      Number(fields.notifyMs),
    );
    return 'accepted';
  } catch (error) {
    return (error as { reason: string }).reason;
  }
}

describe.each(vectors.agora)('agora known answer', ({ body, v1, v2 }) => {
  it('takes Agora-Signature-V2, in either case', () => {
    expect(outcome({ 'agora-signature-v2': v2 }, body)).toBe('accepted');
    expect(outcome({ 'agora-signature-v2': v2.toUpperCase() }, body)).toBe('accepted');
    expect(outcome({ 'agora-signature-v2': v2 }, body.replace('"uid":"1234"', '"uid":"1235"'))).toBe('bad_signature');
  });

  it('takes Agora-Signature (HMAC-SHA1) only when the operator accepts it, and only without V2', () => {
    expect(outcome({ 'agora-signature': v1 }, body)).toBe('missing_signature');
    expect(outcome({ 'agora-signature': v1 }, body, true)).toBe('accepted');
    // A V2 that came is checked, whatever V1 says.
    expect(outcome({ 'agora-signature': v1, 'agora-signature-v2': v1 }, body, true)).toBe('bad_signature');
    expect(outcome({ 'agora-signature': v2 }, body, true)).toBe('bad_signature');
  });
});

describe('agora notifications', () => {
  it('says how to take the older header when only it came', async () => {
    const table = await createTestTable();
    const event = fixture.callback(startOf('1001'));
    delete event.headers['agora-signature-v2'];
    const answer = await call(handlerFor(fixture, table.store), event);
    expect(answer).toMatchObject({ status: 401, body: { reason: 'missing_signature' } });
    expect(answer.body.message).toContain('LIVEHOOKS_AGORA_LEGACY_SIGNATURE=accept');
    const legacy = handlerFor(fixture, table.store, { ...fixture.env, LIVEHOOKS_AGORA_LEGACY_SIGNATURE: 'accept' });
    expect((await call(legacy, event)).status).toBe(200);
  });

  it('fail the cold start on a malformed LIVEHOOKS_AGORA_LEGACY_SIGNATURE', () => {
    expect(() => handlerFor(fixture, {} as never, { ...fixture.env, LIVEHOOKS_AGORA_LEGACY_SIGNATURE: 'yes' })).toThrow(
      'LIVEHOOKS_AGORA_LEGACY_SIGNATURE must be "accept" or "refuse", got "yes"',
    );
  });

  it('acknowledge other products’ notifications, whatever their event code', async () => {
    const table = await createTestTable();
    const event = fixture.callback(startOf('1001'), { change: (fields) => void (fields.productId = 5) });
    expect(await call(handlerFor(fixture, table.store), event)).toMatchObject({ status: 200, body: { ignored: true } });
    expect(await table.scanAll()).toEqual([]);
  });

  it('record a push as the host’s uid in its channel, from connection to disconnection, without its stream key', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    // Sent (notifyMs) just now: the start's time is the push's `beginAt`.
    const start = { kind: 'start', stream: '1001', sessionStartSec: nowSec - 3600, timeSec: nowSec - 10 } as const;
    // A uid sent as an integer is the same host.
    const started = await call(
      handler,
      fixture.callback(start, {
        change: (fields) => void ((fields.payload as { rtcInfo: { uid: unknown } }).rtcInfo.uid = 1001),
      }),
    );
    const stopped = await call(handler, fixture.callback({ ...start, kind: 'stop', timeSec: nowSec - 5 }));
    expect([started.status, stopped.status]).toEqual([200, 200]);
    const items = await table.scanAll();
    const events = items.filter((item) => String(item.sk).startsWith('event#'));
    expect(events.map((item) => [item.kind, item.streamKey, item.occurredAt])).toEqual(
      expect.arrayContaining([
        ['start', 'agora//studio-7/1001', new Date((nowSec - 3600) * 1000).toISOString()],
        ['stop', 'agora//studio-7/1001', new Date((nowSec - 5) * 1000).toISOString()],
      ]),
    );
    expect(new Set(events.map((item) => item.sessionId)).size).toBe(1);
    expect(JSON.stringify(items)).not.toContain('7Bd6Y2kKqLmNpQrStUvWxYzQbs');
  });
});

describe('agora: two projects on one URL', () => {
  const projects = {
    a: { appId: '0123456789abcdef0123456789abcdef', secret: 'project-a-notifications-secret' },
    b: { appId: 'fedcba9876543210fedcba9876543210', secret: 'project-b-notifications-secret' },
  };
  const env = {
    ...fixture.env,
    LIVEHOOKS_AGORA_KEYS: Object.values(projects)
      .map(({ appId, secret }) => `${appId}:${secret}`)
      .join(','),
  };

  it('keys each stream by the App ID of the project whose secret signed it', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store, env);
    for (const { secret } of Object.values(projects)) {
      expect((await call(handler, fixture.callback(startOf('1001'), { key: secret }))).body).toMatchObject({
        code: 0,
        duplicate: false,
      });
    }
    const states = (await table.scanAll()).filter((item) => item.sk === 'state').map((item) => item.streamKey);
    expect(states.sort()).toEqual(Object.values(projects).map(({ appId }) => `agora/${appId}/studio-7/1001`));
  });

  it('takes the App ID from the key, never from a body that names another project', async () => {
    const table = await createTestTable();
    const claimed = fixture.callback(startOf('1001'), {
      key: projects.a.secret,
      change: (fields) => void (fields.appId = projects.b.appId),
    });
    expect((await call(handlerFor(fixture, table.store, env), claimed)).status).toBe(200);
    const [state] = (await table.scanAll()).filter((item) => item.sk === 'state');
    expect(state!.streamKey).toBe(`agora/${projects.a.appId}/studio-7/1001`);
  });
});
