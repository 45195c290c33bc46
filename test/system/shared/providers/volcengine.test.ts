import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { volcengineSamples } from '../../../../shared/providers/volcengine';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor, withFields } from '../../../support/harness';
import { fixtureFor, keys, nowSec, startOf, type CallbackSpec } from '../../../support/providers';

const fixture = fixtureFor('volcengine');
const streamKey = 'volcengine/push.example.com/live/cam';

/** The envelope of the vendor's examples: `sign` and `t` in `data`, the push's own fields in `data.detail`. */
function enveloped(fields: Record<string, unknown>) {
  const { vhost, domain, app, stream, event_type, priority, backup_count, sign, t, ...detail } = fields;
  for (const name of Object.keys(fields)) delete fields[name];
  const data = { vhost, domain, app, stream, event_type, priority, backup_count, detail };
  Object.assign(fields, { code: 0, message: 'ok', data });
}

describe('volcengine', () => {
  it('takes the examples’ envelope, signed in `data`, and pairs its stop by session_id', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const start = startOf('cam');
    const started = await call(handler, fixture.callback(start, { change: enveloped }));
    expect(started).toMatchObject({ status: 200, body: { code: 0 } });
    const stop = fixture.callback({ ...start, kind: 'stop', timeSec: nowSec }, { change: enveloped });
    expect(JSON.parse(stop.body!).data).toMatchObject({ sign: expect.any(String), t: nowSec + 600 });
    expect((await call(handler, stop)).status).toBe(200);
    const { sessions, state, events } = await table.store.readStream(streamKey);
    expect(sessions).toEqual([
      expect.objectContaining({
        sessionId: `${start.sessionStartSec}_1`,
        stoppedAt: new Date(nowSec * 1000).toISOString(),
      }),
    ]);
    expect(state).toMatchObject({ live: false });
    expect(events.find((event) => event.kind === 'start')).toMatchObject({
      clientIp: '198.51.100.20',
      node: '192.0.2.10',
      params: { volcTime: '1796558400', volcSecret: '[redacted]' },
    });
    // The stored payload keeps the envelope, its signature and push credential redacted at depth.
    const raw = JSON.parse(events.find((event) => event.kind === 'start')!.raw);
    expect(raw.data).toMatchObject({ sign: '[redacted]', priority: 0, backup_count: '1' });
    expect(raw.data.detail.fp_user_url).toBe('volcTime=1796558400&volcSecret=[redacted]');
  });

  it('refuses an envelope whose `data` is unsigned, as auth-disabled callbacks are (sign "", t 0)', async () => {
    const table = await createTestTable();
    const unsigned = withFields(fixture.callback(startOf('cam'), { change: enveloped }), (fields) => {
      Object.assign(fields.data as object, { sign: '', t: 0 });
    });
    const answer = await call(handlerFor(fixture, table.store), unsigned);
    expect(answer).toMatchObject({ status: 401, body: { reason: 'missing_signature' } });
    expect(await table.scanAll()).toEqual([]);
  });

  it('keeps a stream live while its backup ingest goes on after the primary stopped', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const primary: CallbackSpec = {
      kind: 'start',
      stream: 'cam',
      sessionStartSec: nowSec - 120,
      timeSec: nowSec - 120,
    };
    const backup: CallbackSpec = { ...primary, sessionStartSec: nowSec - 110, timeSec: nowSec - 110 };
    const withIngest = (priority: number, backupCount: string) => (fields: Record<string, unknown>) =>
      Object.assign(fields, { priority, backup_count: backupCount });
    await call(handler, fixture.callback(primary, { change: withIngest(0, '1') }));
    await call(handler, fixture.callback(backup, { change: withIngest(1, '2') }));
    expect((await table.store.readStream(streamKey)).state).toMatchObject({ live: true, openPushes: 2 });
    await call(
      handler,
      fixture.callback({ ...primary, kind: 'stop', timeSec: nowSec - 60 }, { change: withIngest(0, '1') }),
    );
    const { state } = await table.store.readStream(streamKey);
    expect(state).toMatchObject({ live: true, openPushes: 1, sessionId: `${backup.sessionStartSec}_1` });
  });

  it('reads the publisher parameters out of a whole push URL too', async () => {
    const table = await createTestTable();
    const full = fixture.callback(startOf('cam'), {
      change: (fields) => (fields.fp_user_url = 'rtmp://push.example.com/live/cam?room=42&volcSecret=abc'),
    });
    expect((await call(handlerFor(fixture, table.store), full)).status).toBe(200);
    const { events } = await table.store.readStream(streamKey);
    expect(events[0]).toMatchObject({ params: { room: '42', volcSecret: '[redacted]' } });
  });

  it('acknowledges other event types and refuses a callback without one', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    for (const eventType of ['record', 'snapshot', 'audit_snapshot', 42]) {
      const event = withFields(fixture.ignored()[0]!, (fields) => (fields.event_type = eventType));
      expect(await call(handler, event)).toEqual({ status: 200, body: { code: 0, ignored: true } });
    }
    const untyped = withFields(fixture.callback(startOf('cam')), (fields) => delete fields.event_type);
    expect(await call(handler, untyped)).toMatchObject({ status: 400, body: { reason: 'missing_field' } });
    expect(await table.scanAll()).toEqual([]);
  });

  it('takes any envelope whose content is mangled with a 200 or a 4xx with its reason, never stores a refusal', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const accepted = new Set<string>();
    const places = ['data', 'data.detail'] as const;
    const names = ['event_type', 'domain', 'app', 'stream', 'session_id', 'time_ms', 'detail', 'sign', 't', 'data'];
    const values = fc.oneof(
      fc.constant(undefined),
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.object(),
      fc.array(fc.string()),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...places), fc.constantFrom(...names), values, async (place, name, value) => {
        const event = fixture.callback(startOf('fuzzed'), {
          change: (fields) => {
            enveloped(fields);
            const data = fields.data as Record<string, unknown>;
            const target = place === 'data' ? data : (data.detail as Record<string, unknown>);
            if (value === undefined) delete target[name];
            else target[name] = value;
          },
        });
        const answer = await call(handler, event);
        if (answer.status === 200) return void (answer.body.id && accepted.add(`event#${answer.body.id}`));
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(answer.body.reason).toEqual(expect.any(String));
      }),
      { numRuns: 300 },
    );
    const stored = (await table.scanAll()).map((item) => String(item.sk)).filter((sk) => sk.startsWith('event#'));
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.filter((sk) => !accepted.has(sk))).toEqual([]);
  });

  it('signs as md5(key + t), the answer of a second tool (md5sum)', () => {
    const t = String(nowSec + 600);
    const md5sum = execFileSync('md5sum', { input: keys.newest + t })
      .toString()
      .split(' ')[0];
    expect(volcengineSamples.signatureOf!({}, keys.newest, t)).toBe(md5sum);
  });
});
