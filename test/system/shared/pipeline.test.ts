import { envPrefix } from '../../../shared/config';
import * as v from 'valibot';
import { beforeEach, describe, expect, it } from 'vitest';
import { StreamEventSchema } from '../../../shared/record';
import { createDynamoStore } from '../../../shared/store/reader';
import { storeClient, createTestTable, type TestTable } from '../../support/dynamo';
import { call, handlerFor, withFields, type Answer } from '../../support/harness';
import {
  configuredSecrets,
  keys,
  nowMs,
  nowSec,
  providerFixtures,
  tokens,
  type CallbackSpec,
} from '../../support/providers';

const start: CallbackSpec = {
  kind: 'start',
  stream: 'Stream_One',
  sessionStartSec: nowSec - 120,
  timeSec: nowSec - 120,
};
const stop: CallbackSpec = { kind: 'stop', stream: 'Stream_One', sessionStartSec: nowSec - 120, timeSec: nowSec - 5 };

describe.each(providerFixtures.map((fixture) => [fixture.adapter.name, fixture] as const))('%s', (name, fixture) => {
  let table: TestTable;
  beforeEach(async () => {
    table = await createTestTable();
  });

  /** An accepted answer's body: with `allowed`, for a vendor that admits pushes by it (OvenMediaEngine). */
  const accepted = (body: Record<string, unknown>) => (fixture.adapter.answer ? { allowed: true, ...body } : body);

  /**
   * Expects a refusal with this status and reason, and an untouched table; a 4xx kept for the
   * operator with its summary and no secret (a 503 is the store's failure, and not kept).
   */
  async function expectRejected(answer: Answer, status: number, reason: string) {
    expect(answer.status).toBe(status);
    expect(answer.body.reason).toBe(reason);
    expect(answer.body.code).not.toBe(0);
    expect(await table.scanAll()).toEqual([]);
    const kept = await table.refusals();
    if (status >= 500) return expect(kept).toEqual([]);
    expect(kept).toEqual([
      expect.objectContaining({
        v: 1,
        provider: name,
        status,
        reason,
        message: answer.body.message,
        receivedAt: new Date(nowMs).toISOString(),
        callerIp: '127.0.0.1',
        request: {
          method: expect.any(String),
          contentType: expect.any(String),
          bytes: expect.any(Number),
          fields: expect.any(Array),
        },
        expiresAt: nowSec + 7 * 86_400,
      }),
    ]);
    const text = JSON.stringify(kept);
    for (const secret of configuredSecrets) expect(text).not.toContain(secret);
  }

  it('stores a signed start and stop as one session, records valid against the schema', async () => {
    // Each callback arrives when it happens, as a vendor sends it.
    const arriving = (spec: CallbackSpec) => handlerFor(fixture, table.store, fixture.env, spec.timeSec * 1000);
    const started = await call(arriving(start), fixture.callback(start));
    const stopped = await call(arriving(stop), fixture.callback(stop));
    expect(started).toMatchObject({ status: 200, body: { code: 0, duplicate: false } });
    expect(stopped).toMatchObject({ status: 200, body: { code: 0, duplicate: false } });

    const { domain, app, clientIp, params } = fixture.draft;
    const streamKey = fixture.streamKey('Stream_One');
    const { state, events, sessions } = await table.store.readStream(streamKey);
    expect(events).toHaveLength(2);
    for (const record of events) {
      expect(() => v.parse(StreamEventSchema, record)).not.toThrow();
      expect(record).toMatchObject({
        v: 1,
        provider: name,
        domain,
        app,
        stream: 'Stream_One',
        streamKey,
        ...(clientIp ? { clientIp: '198.51.100.20' } : {}),
      });
      // The publisher's parameters, where the vendor forwards them.
      expect(Object.keys(record.params ?? {}).length > 0).toBe(params !== undefined);
      expect(record.raw.length).toBeGreaterThan(0);
    }
    const [stopped_, started_] = events;
    expect(started_).toMatchObject({
      kind: 'start',
      id: started.body.id,
      occurredAt: new Date(start.timeSec * 1000).toISOString(),
    });
    expect(stopped_).toMatchObject({ kind: 'stop', id: stopped.body.id, sessionId: started_!.sessionId });
    expect(sessions).toEqual([
      expect.objectContaining({
        sessionId: started_!.sessionId,
        startedAt: started_!.occurredAt,
        stoppedAt: stopped_!.occurredAt,
      }),
    ]);
    expect(state).toMatchObject({ live: false, since: stopped_!.occurredAt, lastEventId: stopped_!.id });
  });

  it('answers a repeated callback as a duplicate and stores it once', async () => {
    const handler = handlerFor(fixture, table.store);
    const first = await call(handler, fixture.callback(start));
    const again = await call(handler, fixture.callback(start));
    expect(again).toEqual({ status: 200, body: accepted({ code: 0, id: first.body.id, duplicate: true }) });
    expect((await table.scanAll()).filter((item) => String(item.sk).startsWith('event#'))).toHaveLength(1);
  });

  it('acknowledges event types that are neither start nor stop, and stores nothing', async () => {
    const handler = handlerFor(fixture, table.store);
    for (const event of fixture.ignored()) {
      expect(await call(handler, event)).toEqual({ status: 200, body: accepted({ code: 0, ignored: true }) });
    }
    expect(await table.scanAll()).toEqual([]);
  });

  describe('refuses, writing nothing,', () => {
    it('a wrong method with 405', async () => {
      const event = fixture.callback(start);
      event.requestContext.http.method = fixture.adapter.method === 'GET' ? 'POST' : 'GET';
      await expectRejected(await call(handlerFor(fixture, table.store), event), 405, 'method_not_allowed');
    });

    it('an unsupported content type with 415', async () => {
      const event = fixture.callback(start);
      event.headers['content-type'] = 'text/xml';
      if (fixture.adapter.method === 'GET') event.body = '<callback/>';
      await expectRejected(await call(handlerFor(fixture, table.store), event), 415, 'unsupported_media_type');
    });

    it('a body over 64 KiB with 413', async () => {
      const event = fixture.callback(start);
      event.body = `{"padding":"${'x'.repeat(64 * 1024)}"}`;
      event.isBase64Encoded = false;
      await expectRejected(await call(handlerFor(fixture, table.store), event), 413, 'payload_too_large');
    });

    if (fixture.adapter.format === 'json') {
      it('an unparseable body with 400', async () => {
        const event = fixture.callback(start);
        event.body = event.body!.slice(0, -3);
        await expectRejected(await call(handlerFor(fixture, table.store), event), 400, 'malformed_body');
      });
    }

    if (fixture.adapter.format !== 'query') {
      it('a body that is not UTF-8 with 400', async () => {
        const event = fixture.callback(start);
        event.body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64');
        event.isBase64Encoded = true;
        await expectRejected(await call(handlerFor(fixture, table.store), event), 400, 'malformed_body');
      });
    }

    it('a missing field with 400', async () => {
      const event = fixture.callback(start, { change: (fields) => deletePath(fields, fixture.schema.required) });
      await expectRejected(await call(handlerFor(fixture, table.store), event), 400, 'missing_field');
    });

    it('a field of the wrong type with 400', async () => {
      const { field, value } = fixture.schema.wrong;
      const event = fixture.callback(start, { change: (fields) => (fields[field] = value) });
      await expectRejected(await call(handlerFor(fixture, table.store), event), 400, 'bad_field');
    });

    it('a missing token with 401, when tokens are configured', async () => {
      const env = { ...fixture.env, [`${envPrefix(name)}TOKENS`]: tokens.newest };
      const event = withFields(fixture.callback(start), () => {});
      event.rawQueryString = event.rawQueryString.replace(/(^|&)token=[^&]*/, '');
      await expectRejected(await call(handlerFor(fixture, table.store, env), event), 401, 'missing_token');
    });

    it('a wrong token with 401, and accepts the older of two tokens', async () => {
      const env = { ...fixture.env, [`${envPrefix(name)}TOKENS`]: `${tokens.newest},${tokens.older}` };
      const handler = handlerFor(fixture, table.store, env);
      await expectRejected(await call(handler, fixture.callback(start, { token: tokens.unknown })), 401, 'bad_token');
      expect((await call(handler, fixture.callback(start, { token: tokens.older }))).status).toBe(200);
      const stored = await table.scanAll();
      expect(JSON.stringify(stored)).not.toContain(tokens.older);
    });

    it('everything with 401 when no key or token is configured', async () => {
      const answer = await call(handlerFor(fixture, table.store, {}), fixture.callback(start));
      // A vendor whose public key is published (Kick) is checked against it by default:
      // never unconfigured, and the test's own key is not the vendor's.
      if (fixture.adapter.readSettings?.({}).keys) return void (await expectRejected(answer, 401, 'bad_signature'));
      await expectRejected(answer, 401, 'not_configured');
      expect(answer.body.message).toContain(`${envPrefix(name)}TOKENS`);
      expect(answer.body.message).toContain(`${envPrefix(name)}AUTH=off`);
    });

    it('a store failure with 503, and the retry lands once', async () => {
      const deadStore = createDynamoStore({
        tableName: table.tableName,
        client: storeClient('http://127.0.0.1:9'),
        budgetMs: 1000,
      });
      await expectRejected(
        await call(handlerFor(fixture, deadStore), fixture.callback(start)),
        503,
        'store_unavailable',
      );
      const retried = await call(handlerFor(fixture, table.store), fixture.callback(start));
      expect(retried).toMatchObject({ status: 200, body: { duplicate: false } });
    });
  });

  it('accepts unchecked callbacks only when checking is turned off by name', async () => {
    const handler = handlerFor(fixture, table.store, { [`${envPrefix(name)}AUTH`]: 'off' });
    const unsigned = withFields(fixture.callback(start, { key: keys.unknown, token: tokens.unknown }), () => {});
    expect((await call(handler, unsigned)).status).toBe(200);
  });

  if (fixture.signature)
    describe('signature', () => {
      it('passes with the second configured key, fails with one not configured', async () => {
        const handler = handlerFor(fixture, table.store);
        expect((await call(handler, fixture.callback(start, { key: keys.older }))).status).toBe(200);
        await expectRejectedAfter(handler, fixture.callback(stop, { key: keys.unknown }), 'bad_signature');
      });

      it(fixture.signature?.caseSensitive ? 'fails in upper case (base64)' : 'passes in upper-case hex', async () => {
        const event = fixture.callback(start);
        const where = fixture.signature!;
        // The hex only: a header of parts keeps its part names (Mux's `t=…,v1=…`).
        const upperHex = (text: string, part?: string) =>
          part
            ? text.replace(
                new RegExp(`(^|,)(${part}=)([0-9a-f]+)`, 'g'),
                (_, lead, name, hex: string) => lead + name + hex.toUpperCase(),
              )
            : text.toUpperCase();
        const upper =
          'header' in where
            ? {
                ...event,
                headers: { ...event.headers, [where.header]: upperHex(event.headers[where.header]!, where.part) },
              }
            : withFields(event, (fields) => (fields[where.field] = String(fields[where.field]).toUpperCase()));
        const answer = await call(handlerFor(fixture, table.store), upper);
        if (where.caseSensitive) await expectRejected(answer, 401, 'bad_signature');
        else expect(answer.status).toBe(200);
      });

      it('refuses a missing signature with 401', async () => {
        const event = fixture.callback(start);
        const where = fixture.signature!;
        if ('header' in where) delete event.headers[where.header];
        const unsigned = 'header' in where ? event : withFields(event, (fields) => delete fields[where.field]);
        await expectRejected(await call(handlerFor(fixture, table.store), unsigned), 401, 'missing_signature');
      });

      /** After an accepted callback, a refused one must add nothing. */
      async function expectRejectedAfter(
        handler: ReturnType<typeof handlerFor>,
        event: ReturnType<typeof fixture.callback>,
        reason: string,
      ) {
        const before = await table.scanAll();
        const answer = await call(handler, event);
        expect(answer.status).toBe(401);
        expect(answer.body.reason).toBe(reason);
        expect(await table.scanAll()).toEqual(before);
      }
    });

  if (fixture.time)
    describe('time window', () => {
      const { field, past, future, text } = fixture.time!;
      const cases: [string, string | null, number, string | undefined][] = [
        ['one second inside the past edge', text(nowSec - past + 1), 200, undefined],
        ['one second outside the past edge', text(nowSec - past - 1), 401, 'expired'],
        ['one second inside the future edge', text(nowSec + future - 1), 200, undefined],
        ['one second outside the future edge', text(nowSec + future + 1), 401, 'not_yet_valid'],
        ['not numeric', 'soon', 401, 'bad_timestamp'],
        ['missing', null, 401, 'missing_timestamp'],
      ];
      it.each(cases)(`${field} %s`, async (_case, signedTime, status, reason) => {
        const answer = await call(handlerFor(fixture, table.store), fixture.callback(start, { signedTime }));
        if (reason) await expectRejected(answer, status, reason);
        else expect(answer).toMatchObject({ status: 200, body: { code: 0 } });
      });
    });
});

/** Deletes a field, or one inside an object (`data.input_id`). */
function deletePath(fields: Record<string, unknown>, path: string): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let object = fields;
  for (const key of keys) object = object[key] as Record<string, unknown>;
  delete object[last];
}
