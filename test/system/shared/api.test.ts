/**
 * The read API's handler over a real (embedded) table: page tokens it did not give, and
 * query parameters out of bounds, are a 400 with a reason, never a call DynamoDB refuses
 * (a 500 locally, a 502 behind the deployed Function URL).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../../shared/api';
import { buildRecord, streamKeyOf, type EventDraft } from '../../../shared/record';
import { encodeCursor, maxPageTokenChars } from '../../../shared/store/cursor';
import type { KeptRefusal } from '../../../shared/refusal';
import { createTestTable } from '../../support/dynamo';
import { functionUrlEvent } from '../../support/function-url';
import { nowMs } from '../../support/providers';

const today = new Date(nowMs).toISOString().slice(0, 10);
let api: ReturnType<typeof createApiHandler>;

beforeAll(async () => {
  const { store } = await createTestTable();
  for (const [index, stream] of ['cam-a', 'cam-b', 'cam-c'].entries()) {
    const draft: EventDraft = { kind: 'start', domain: 'd', app: 'live', stream, occurredAtMs: nowMs - 60_000 };
    const streamKey = streamKeyOf('srs', draft);
    await store.save(buildRecord(draft, { provider: 'srs', streamKey, raw: '{}', receivedAtMs: nowMs - index }), {
      nowMs,
    });
    const refusal: KeptRefusal = {
      v: 1,
      id: `r${index}`,
      provider: 'srs',
      receivedAt: new Date(nowMs - index).toISOString(),
      status: 401,
      reason: 'bad_token',
      message: 'the token is not one of the configured tokens',
      request: { method: 'POST', contentType: 'application/json', bytes: 2, fields: [] },
    };
    await store.keepRefusal(refusal, nowMs + 86_400_000);
  }
  api = createApiHandler(store, { basePath: '/api', now: () => nowMs });
});

const get = async (path: string, rawQuery = '') => {
  const answer = (await api(functionUrlEvent({ method: 'GET', path: `/api${path}`, rawQuery }))) as {
    statusCode: number;
    body: string;
  };
  return { status: answer.statusCode, body: JSON.parse(answer.body) as Record<string, any> };
};

const listings = ['/streams', '/streams?live=true', '/deliveries', '/refusals'] as const;
const call = (listing: string, query: string) => {
  const [path, own] = listing.split('?') as [string, string | undefined];
  return get(path, [own, query].filter(Boolean).join('&'));
};
const token = (cursor: unknown) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
const key = (pk: unknown, sk: unknown, more: Record<string, unknown> = {}) => ({ pk, sk, ...more });

/** Tokens an attacker can write: every shape DynamoDB would refuse, and the key of another partition. */
const forged: Record<string, string> = {
  'not base64url JSON': 'garbage!',
  'JSON, not an object': token([1, 2]),
  'k a string': token({ k: 'stream#x' }),
  'k null': token({ k: null }),
  'k empty': token({ k: {} }),
  'k missing a key attribute': token({ k: { pk: 'stream#x' } }),
  'k a number value': token({ k: key(1, 'state') }),
  'k an object value': token({ k: key({ S: 'x' }, 'state') }),
  'k an empty value': token({ k: key('', '') }),
  'k a value longer than a key': token({ k: key('stream#x', 'x'.repeat(1025)) }),
  'k with an attribute more': token({ k: key('stream#x', 'state', { extra: 'x' }) }),
  'k with a lone surrogate': token({ k: key('stream#\ud800', 'state') }),
  'another field': token({ k: key('stream#x', 'state'), x: 1 }),
  'd not a day': token({ d: 'yesterday' }),
  'd not a calendar day': token({ d: '2026-02-30' }),
  'd before the listing’s days': token({ d: '2000-01-01' }),
  'd after today': token({ d: '2999-01-01' }),
  'too long': 'A'.repeat(maxPageTokenChars + 1),
};

describe('page tokens', () => {
  it.each(Object.entries(forged))(
    'refuses a forged token (%s) on every listing with 400 bad_cursor',
    async (_, next) => {
      for (const listing of listings) {
        const answer = await call(listing, `next=${encodeURIComponent(next)}`);
        expect(answer, listing).toMatchObject({ status: 400, body: { code: 400, reason: 'bad_cursor' } });
      }
    },
  );

  it('refuses the key of another partition, or of another listing', async () => {
    const liveKey = { pk: 'stream#srs/d/live/cam-a', sk: 'state', liveIndex: 'live', streamKey: 'srs/d/live/cam-a' };
    const deliveryKey = { pk: 'stream#x', sk: 'event#x', recentDay: today, recentAt: `${today}T00:00:00.000Z#x` };
    const cases: [string, unknown][] = [
      ['/streams?live=true', { k: { ...liveKey, liveIndex: 'other' } }],
      ['/streams?live=true', { k: { ...liveKey, streamKey: 'srs/d/live/cam-b' } }],
      ['/streams?live=true', { k: { pk: 'stream#x', sk: 'state' } }],
      ['/streams', { k: liveKey }],
      ['/deliveries', { d: today, k: { ...deliveryKey, recentDay: '2026-01-01' } }],
      ['/deliveries', { d: today, k: { pk: 'refusal#x', sk: 'y' } }],
      ['/refusals', { d: today, k: { pk: 'refusal#2026-01-01', sk: 'x' } }],
      ['/refusals', { d: today, k: deliveryKey }],
      ['/refusals', { k: { pk: `refusal#${today}`, sk: 'x' } }],
      ['/streams', { d: today, k: { pk: 'x', sk: 'y' } }],
    ];
    for (const [listing, cursor] of cases) {
      const answer = await call(listing, `next=${token(cursor)}`);
      expect(answer, `${listing} ${JSON.stringify(cursor)}`).toMatchObject({
        status: 400,
        body: { reason: 'bad_cursor' },
      });
    }
  });

  it('pages every listing with its own tokens, each item once', async () => {
    for (const listing of listings) {
      const seen: unknown[] = [];
      let next: string | undefined;
      do {
        const page = await call(listing, `limit=1${next ? `&next=${next}` : ''}`);
        expect(page.status, listing).toBe(200);
        seen.push(...page.body.items);
        next = page.body.next;
      } while (next);
      expect(new Set(seen.map((item) => JSON.stringify(item))).size, listing).toBe(3);
    }
  });

  it('takes a token of the table’s own shape even where the listing stopped on another item', async () => {
    // A Scan stops on any item (an event, a refusal), not only on a state.
    const answer = await call('/streams', `next=${encodeCursor({ k: { pk: 'refusal#x', sk: 'y' } })}`);
    expect(answer.status).toBe(200);
  });
});

describe('query parameters', () => {
  const cases: [string, string, string][] = [
    ['live neither true nor false', '/streams', 'live=yes'],
    ['a query string of 20,000 characters', '/streams', `x=${'a'.repeat(20_000)}`],
    ['a key longer than any stored', '/stream', `key=${'a'.repeat(513)}`],
    ['an id not of 32 hex digits', '/event', `stream=srs%2Fd%2Flive%2Fcam-a&id=${'0'.repeat(31)}Z`],
    ['a stream longer than any stored', '/event', `stream=${'a'.repeat(600)}&id=${'0'.repeat(32)}`],
  ];
  it.each(cases)('%s is a 400 bad_request', async (_, path, query) => {
    expect(await get(path, query)).toMatchObject({ status: 400, body: { reason: 'bad_request' } });
  });

  it('answers the ones in bounds', async () => {
    expect((await get('/streams', 'live=false')).body.items).toHaveLength(3);
    expect((await get('/stream', `key=${encodeURIComponent('srs/d/live/cam-a')}`)).status).toBe(200);
    // Any character can be in a stored name; an escaped lone surrogate reads as U+FFFD.
    expect((await get('/stream', `key=${encodeURIComponent('srs/d/live/a\u0000\n\ufffd')}`)).status).toBe(404);
    expect((await get('/stream', 'key=%ED%A0%80')).status).toBe(404);
    expect((await get('/event', `stream=srs%2Fd%2Flive%2Fcam-a&id=${'0'.repeat(32)}`)).status).toBe(404);
  });
});
