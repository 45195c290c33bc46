/**
 * Fuzzing every provider's real middy handler with requests built from valid ones and
 * then broken: flipped signatures, shifted times, missing, duplicated, oversized, unicode
 * and re-typed fields, `__proto__` keys, wrong methods and content types, truncated and
 * non-UTF-8 bodies, base64 flags that lie, huge query strings. Whatever arrives: no 5xx,
 * no exception out of the handler, a reason code on every 4xx, and the table holds exactly
 * what was accepted.
 */
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reasonStatus } from '../../shared/answer';
import { notificationJson } from '../../shared/notification';
import { streamKeyOf } from '../../shared/record';
import { compileStreamPatterns } from '../../shared/stream-patterns';
import { createTestTable } from '../support/dynamo';
import { handlerFor, withFields } from '../support/harness';
import { eventBridgeFixtures } from '../support/event-bridge';
import { checkedNotification, keepingPublisher } from '../support/notifications';
import { omePublishes, rtmpPublish, srtPublish, urlStringOf, webrtcPublish } from '../support/ome-url';
import {
  keys,
  nowMs,
  nowSec,
  providerFixtures,
  tokens,
  withJwtClaims,
  type ProviderFixture,
} from '../support/providers';

/** Cases per provider: `FUZZ_RUNS` (250 by default, 10,000 in CI). */
const runs = Number(process.env.FUZZ_RUNS ?? 250);

type Mutation =
  | { type: 'flipSignature'; at: number }
  | { type: 'shiftTime'; by: number }
  | { type: 'dropField' | 'duplicateField'; which: number }
  | { type: 'setField'; which: number; value: unknown }
  | { type: 'protoKey'; key: string; value: unknown }
  | { type: 'method'; method: string }
  | { type: 'contentType'; value: string }
  | { type: 'truncate'; at: number }
  | { type: 'nonUtf8'; bytes: Uint8Array }
  | { type: 'lyingBase64' }
  | { type: 'hugeQuery'; size: number }
  | { type: 'garbage'; body: string };

const oddValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(''),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.integer({ min: 1_000, max: 70_000 }).map((size) => 'x'.repeat(size)),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ type: fc.constant('flipSignature' as const), at: fc.nat() }),
  fc.record({ type: fc.constant('shiftTime' as const), by: fc.integer({ min: -2_000, max: 2_000 }) }),
  fc.record({ type: fc.constantFrom('dropField' as const, 'duplicateField' as const), which: fc.nat() }),
  fc.record({ type: fc.constant('setField' as const), which: fc.nat(), value: oddValue }),
  fc.record({
    type: fc.constant('protoKey' as const),
    key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.record({
    type: fc.constant('method' as const),
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
  }),
  fc.record({
    type: fc.constant('contentType' as const),
    value: fc.oneof(
      fc.constantFrom(
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/json; charset=utf-8',
        'APPLICATION/JSON',
        '',
      ),
      fc.string({ maxLength: 30 }),
    ),
  }),
  fc.record({ type: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ type: fc.constant('nonUtf8' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  fc.record({ type: fc.constant('lyingBase64' as const) }),
  fc.record({ type: fc.constant('hugeQuery' as const), size: fc.integer({ min: 1_000, max: 100_000 }) }),
  fc.record({ type: fc.constant('garbage' as const), body: fc.string({ unit: 'binary', maxLength: 200 }) }),
);

const bodyText = (event: LambdaFunctionURLEvent) =>
  Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
const withBody = (event: LambdaFunctionURLEvent, body: Buffer): LambdaFunctionURLEvent => ({
  ...event,
  body: body.toString('base64'),
  isBase64Encoded: true,
});
const pick = <T>(items: readonly T[], which: number) => items[which % items.length]!;
const flip = (text: string, at: number) => {
  if (!text) return 'x';
  const index = at % text.length;
  return text.slice(0, index) + (text[index] === 'a' ? 'b' : 'a') + text.slice(index + 1);
};

/** Field names of the callback, wherever they travel. */
function fieldNames(event: LambdaFunctionURLEvent): string[] {
  const names: string[] = [];
  try {
    withFields(event, (fields) => void names.push(...Object.keys(fields)));
  } catch {
    // Not parseable any more: no fields to pick.
  }
  return names;
}

/** A JWT with one claim moved by `by` (its signature kept), or as it was when it is no JWT any more. */
function shiftedClaim(token: string, claim: string, by: number): string {
  try {
    return withJwtClaims(token, (claims) => (claims[claim] = Number(claims[claim]) + by));
  } catch {
    return token;
  }
}

/** Applies one mutation; field-level ones give up quietly when the body is no longer parseable. */
function mutate(fixture: ProviderFixture, event: LambdaFunctionURLEvent, m: Mutation): LambdaFunctionURLEvent {
  const fields = (change: (fields: Record<string, unknown>) => void) => {
    try {
      return withFields(event, change);
    } catch {
      return event;
    }
  };
  switch (m.type) {
    case 'flipSignature': {
      const where = fixture.signature;
      if (where && 'header' in where)
        return {
          ...event,
          headers: { ...event.headers, [where.header]: flip(event.headers[where.header] ?? '', m.at) },
        };
      if (where) return fields((f) => (f[where.field] = flip(String(f[where.field] ?? ''), m.at)));
      return {
        ...event,
        rawQueryString: event.rawQueryString.replace(
          /token=([^&]*)/,
          (_, token: string) => `token=${flip(token, m.at)}`,
        ),
      };
    }
    case 'shiftTime': {
      const time = fixture.time;
      if (!time) return event;
      if (time.inHeader) {
        const header = time.field.toLowerCase();
        const sent = event.headers[header] ?? '';
        const shifted = time.claim
          ? shiftedClaim(sent, time.claim, m.by)
          : time.part
            ? sent.replace(
                new RegExp(`(^|,)${time.part}=(\\d+)`),
                (_, lead: string, t: string) => `${lead}${time.part}=${Number(t) + m.by}`,
              )
            : String(Number(sent) + m.by);
        return { ...event, headers: { ...event.headers, [header]: shifted } };
      }
      return fields((f) => (f[time.field] = Number(f[time.field]) + m.by));
    }
    case 'dropField':
      return fields((f) => delete f[pick(Object.keys(f), m.which)]);
    case 'setField':
      return fields((f) => (f[pick(Object.keys(f), m.which)] = m.value));
    case 'duplicateField': {
      const name = pick(fieldNames(event), m.which);
      if (event.requestContext.http.method === 'GET')
        return { ...event, rawQueryString: `${event.rawQueryString}&${encodeURIComponent(name)}=second` };
      const text = bodyText(event);
      const doubled = text.startsWith('{')
        ? `{${JSON.stringify(name)}:"second",${text.slice(1)}`
        : `${text}&${encodeURIComponent(name)}=second`;
      return withBody(event, Buffer.from(doubled));
    }
    case 'protoKey': {
      if (event.requestContext.http.method === 'GET')
        return { ...event, rawQueryString: `${m.key}=1&${event.rawQueryString}` };
      const text = bodyText(event);
      const polluted = text.startsWith('{')
        ? `{${JSON.stringify(m.key)}:${JSON.stringify(m.value)},${text.slice(1)}`
        : `${m.key}[x]=1&${text}`;
      return withBody(event, Buffer.from(polluted));
    }
    case 'method':
      return {
        ...event,
        requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method: m.method } },
      };
    case 'contentType':
      return { ...event, headers: { ...event.headers, 'content-type': m.value } };
    case 'truncate':
      return withBody(event, Buffer.from(bodyText(event)).subarray(0, m.at % Math.max(1, bodyText(event).length)));
    case 'nonUtf8':
      return withBody(event, Buffer.concat([Buffer.from(bodyText(event)), Buffer.from(m.bytes)]));
    case 'lyingBase64':
      return { ...event, isBase64Encoded: !event.isBase64Encoded };
    case 'hugeQuery':
      return { ...event, rawQueryString: `${event.rawQueryString}&pad=${'q'.repeat(m.size)}` };
    case 'garbage':
      return { ...event, body: m.body, isBase64Encoded: false };
  }
}

const secrets = [...Object.values(keys), ...Object.values(tokens)];

describe.each(providerFixtures.map((fixture) => [fixture.adapter.name, fixture] as const))('%s', (_name, fixture) => {
  it(`survives ${runs} mutated requests: no 5xx, no exception, a reason on every 4xx, nothing kept or announced from a refusal`, async () => {
    const table = await createTestTable();
    const { publisher, notifications } = keepingPublisher();
    const handler = handlerFor(fixture, table.store, fixture.env, nowMs, publisher);
    const accepted = new Set<string>();
    const base = fc.record({
      kind: fc.constantFrom('start' as const, 'stop' as const),
      stream: fc.stringMatching(/^[a-z0-9_-]{1,12}$/),
      ago: fc.integer({ min: 1, max: 200 }),
    });

    await fc.assert(
      fc.asyncProperty(base, fc.array(mutation, { maxLength: 3 }), async ({ kind, stream, ago }, mutations) => {
        const valid = fixture.callback({ kind, stream, sessionStartSec: nowSec - ago - 10, timeSec: nowSec - ago });
        const event = mutations.reduce((current, m) => mutate(fixture, current, m), valid);
        let result;
        try {
          result = await handler(event, {} as Context);
        } catch (error) {
          throw new Error(`the handler threw: ${String(error)}`, { cause: error });
        }
        const { statusCode = 0, body = '' } = result;
        expect(statusCode).toBeLessThan(500);
        const answer = JSON.parse(body) as {
          code: number;
          reason?: keyof typeof reasonStatus;
          id?: string;
          ignored?: boolean;
        };
        if (statusCode >= 400) {
          expect(answer.reason && reasonStatus[answer.reason]).toBe(statusCode);
          expect(answer.code).toBe(statusCode);
        } else {
          expect(statusCode).toBe(200);
          if (!answer.ignored) accepted.add(answer.id!);
        }
        for (const secret of secrets) expect(body).not.toContain(secret);
      }),
      { numRuns: runs },
    );

    const stored = (await table.scanAll()).filter((item) => String(item.sk).startsWith('event#'));
    expect(new Set(stored.map((item) => item.id))).toEqual(accepted);
    expect(stored).toHaveLength(accepted.size);
    // Every accepted callback announced, each announcement valid, none for a refusal.
    const announced = notifications.map((notification) => checkedNotification(notificationJson(notification)).id);
    expect(new Set(announced)).toEqual(accepted);
  }, 600_000);
});

describe.each(eventBridgeFixtures.map((fixture) => [fixture.adapter.name, fixture] as const))(
  '%s (EventBridge)',
  (_name, fixture) => {
    it(`survives ${runs} mutated events: no exception but a store's, a reason on every refusal, nothing kept from one`, async () => {
      const table = await createTestTable();
      const { publisher, notifications } = keepingPublisher();
      const handler = fixture.handler({ env: {}, store: table.store, publisher });
      const accepted = new Set<string>();
      const value = fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
        fc.constantFrom('aws.ivs', '123456789012', 'us-east-1', 'Stream Start', 'Stream End', '__proto__'),
      );
      const mutation = fc.record({
        where: fc.constantFrom('top', 'detail'),
        which: fc.nat(),
        how: fc.constantFrom('drop', 'set', 'add'),
        value,
        name: fc.string({ maxLength: 12 }),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('start' as const, 'stop' as const),
          fc.stringMatching(/^[a-z0-9-]{1,12}$/),
          fc.integer({ min: 1, max: 200 }),
          fc.array(mutation, { maxLength: 3 }),
          async (kind, stream, ago, mutations) => {
            const event = fixture.event({ kind, stream, sessionStartSec: nowSec - ago - 10, timeSec: nowSec - ago });
            for (const m of mutations) {
              const target =
                m.where === 'detail' && typeof event.detail === 'object' && event.detail !== null
                  ? (event.detail as Record<string, unknown>)
                  : event;
              const names = Object.keys(target);
              const name = m.how === 'add' ? m.name : names[m.which % Math.max(names.length, 1)];
              if (name === undefined) continue;
              if (m.how === 'drop') delete target[name];
              else target[name] = m.value;
            }
            const result = await handler(event);
            if (result.code === 0) {
              if ('id' in result) accepted.add(result.id);
            } else {
              expect(result).toMatchObject({ reason: expect.any(String) });
              expect(reasonStatus[(result as { reason: keyof typeof reasonStatus }).reason]).toBe(result.code);
              expect(result.code).toBeLessThan(500);
            }
          },
        ),
        { numRuns: runs },
      );
      const stored = (await table.scanAll()).filter((item) => String(item.sk).startsWith('event#'));
      expect(new Set(stored.map((item) => item.id))).toEqual(accepted);
      expect(new Set(notifications.map((notification) => notification.id))).toEqual(accepted);
    }, 600_000);
  },
);

describe('OvenMediaEngine: URLs of every shape, as OME writes them for RTMP, SRT and WebRTC', () => {
  const fixture = providerFixtures.find((candidate) => candidate.adapter.name === 'ome')!;
  // Names with an `a` anywhere: about half the generated ones, so that admissions are tried as often as refusals.
  const allowed = compileStreamPatterns(['*a*']);
  /** At least 200: about one generated publish in ten is one OME would make and livehooks admits. */
  const omeRuns = Math.max(200, Math.ceil(runs / 10));

  it(`checks and keys only the name OME publishes, for ${omeRuns} publishes through the handler`, async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store, { ...fixture.env, LIVEHOOKS_OME_ALLOW_STREAMS: '*a*' });
    let port = 40_000;
    let admitted = 0;
    await fc.assert(
      fc.asyncProperty(omePublishes, async ({ protocol, published }) => {
        fc.pre(published !== undefined);
        const url = urlStringOf(published);
        const event = fixture.callback(
          { kind: 'start', stream: 'cam', sessionStartSec: nowSec, timeSec: nowSec },
          {
            change: (fields) => {
              Object.assign(fields.client as object, { port: port++ });
              Object.assign(fields.request as object, { protocol, url });
            },
          },
        );
        const answer = await handler(event, {} as Context);
        expect(answer.statusCode).toBeLessThan(500);
        const body = JSON.parse(answer.body!) as { allowed: boolean; id?: string };
        if (!body.allowed) return;
        admitted++;
        // Admitted: the name OME publishes is in the list, and it is the one the table keys.
        const { host, app, stream } = published;
        expect(allowed(stream), url).toBe(true);
        const state = (await table.scanAll()).find((item) => item.sk === 'state' && item.lastEventId === body.id);
        expect(state?.streamKey, url).toBe(streamKeyOf('ome', { domain: host.toLowerCase(), app, stream }));
      }),
      {
        numRuns: omeRuns,
        // One publish per protocol that OME makes and the list admits, so that the run never
        // passes on refusals alone (a random run can generate none).
        examples: [
          [{ protocol: 'RTMP', published: rtmpPublish('rtmp://ome.example.com:1935/app', 'cam-a?token=x', 1935) }],
          [{ protocol: 'SRT', published: srtPublish('srt://ome.example.com:9999/app/cam-a') }],
          [{ protocol: 'WebRTC', published: webrtcPublish('wss', 'ome.example.com:3333', '/app/cam-a', 3333) }],
        ],
      },
    );
    expect(admitted).toBeGreaterThanOrEqual(3);
  }, 600_000);
});
