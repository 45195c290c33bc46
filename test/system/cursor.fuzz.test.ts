/**
 * Forged page tokens against the read API over a real (embedded) table: whatever `next`
 * says, every listing answers a page (200) or 400 `bad_cursor`, and never lets DynamoDB
 * refuse the call (the handler throws: a 500 locally, a 502 deployed). Three generators:
 * any text, any JSON cursor, and a genuine token with one part changed. A tenth of
 * `FUZZ_RUNS` each, at least 50 (50 by default, 1,000 in CI).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../shared/api';
import { buildRecord, streamKeyOf, type EventDraft } from '../../shared/record';
import { createTestTable } from '../support/dynamo';
import { functionUrlEvent } from '../support/function-url';
import { nowMs } from '../support/providers';

const runs = Math.max(50, Math.round(Number(process.env.FUZZ_RUNS ?? 250) / 10));
const today = new Date(nowMs).toISOString().slice(0, 10);
const listings = ['/streams', '/streams?live=true', '/deliveries', '/refusals'];
let api: ReturnType<typeof createApiHandler>;
/** A genuine token of each listing (a page of one item). */
const genuine: Record<string, string> = {};

const list = async (listing: string, next?: string) => {
  const [path, own] = listing.split('?') as [string, string | undefined];
  const rawQuery = [own, 'limit=1', next !== undefined && `next=${encodeURIComponent(next)}`].filter(Boolean).join('&');
  const answer = (await api(functionUrlEvent({ method: 'GET', path: `/api${path}`, rawQuery }))) as {
    statusCode: number;
    body: string;
  };
  return { status: answer.statusCode, body: JSON.parse(answer.body) as { reason?: string; next?: string } };
};

beforeAll(async () => {
  const { store } = await createTestTable();
  for (const [index, stream] of ['cam-a', 'cam-b'].entries()) {
    const draft: EventDraft = { kind: 'start', domain: 'd', app: 'live', stream, occurredAtMs: nowMs - 60_000 };
    const streamKey = streamKeyOf('srs', draft);
    await store.save(buildRecord(draft, { provider: 'srs', streamKey, raw: '{}', receivedAtMs: nowMs - index }), {
      nowMs,
    });
    await store.keepRefusal(
      {
        v: 1,
        id: `r${index}`,
        provider: 'srs',
        receivedAt: new Date(nowMs - index).toISOString(),
        status: 401,
        reason: 'bad_token',
        message: 'm',
        request: { method: 'POST', contentType: 'application/json', bytes: 2, fields: [] },
      },
      nowMs + 86_400_000,
    );
  }
  api = createApiHandler(store, { basePath: '/api', now: () => nowMs });
  for (const listing of listings) genuine[listing] = (await list(listing)).body.next!;
});

/** The property: a page or a 400 bad_cursor (bad_request past the query string's limit), whatever the token. */
async function answersSafely(listing: string, next: string) {
  const answer = await list(listing, next);
  expect([200, 400], JSON.stringify({ listing, next, answer })).toContain(answer.status);
  const nearLimit = encodeURIComponent(next).length > 10 * 1024 - 256;
  if (answer.status === 400)
    expect(['bad_cursor', ...(nearLimit ? ['bad_request'] : [])]).toContain(answer.body.reason);
}

const attribute = fc.constantFrom('pk', 'sk', 'liveIndex', 'streamKey', 'recentDay', 'recentAt', 'd', 'k', 'x');
/** Values DynamoDB may refuse as a key: other types, empty, too long, ill-formed, another partition. */
const value = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constant(''),
  fc.constant('x'.repeat(2048)),
  fc.constant('\ud800'),
  fc.constantFrom('live', 'state', `refusal#${today}`, 'refusal#2020-01-01', 'stream#srs/d/live/cam-a', today),
  fc.integer(),
  fc.constant(null),
  fc.constant({ S: 'x' }),
  fc.array(fc.string(), { maxLength: 2 }),
);
const day = fc.oneof(
  fc.constant(today),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
  fc.string({ maxLength: 12 }),
  value,
);
const cursor = fc.record(
  { d: day, k: fc.oneof(fc.dictionary(attribute, value, { maxKeys: 6 }), value), x: value },
  { requiredKeys: [] },
);
const tokenOf = (json: unknown) => Buffer.from(JSON.stringify(json)).toString('base64url');

describe('forged page tokens', () => {
  it(`any text is a page or bad_cursor (${runs} tokens per listing)`, async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...listings), fc.string({ maxLength: 200 }), answersSafely), {
      numRuns: runs,
    });
  });

  it(`any JSON cursor is a page or bad_cursor (${runs} cursors)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...listings), cursor, (listing, forged) =>
        answersSafely(listing, tokenOf(forged)),
      ),
      { numRuns: runs },
    );
  });

  it(`a genuine token with one part changed is a page or bad_cursor (${runs} changes)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...listings),
        fc.constantFrom(...listings),
        fc.oneof(
          fc.record({ change: fc.constant('set'), name: attribute, to: value }),
          fc.record({ change: fc.constant('drop'), name: attribute }),
          fc.record({ change: fc.constant('set day'), to: day }),
        ),
        async (listing, source, change) => {
          const parsed = JSON.parse(Buffer.from(genuine[source]!, 'base64url').toString()) as {
            d?: unknown;
            k: Record<string, unknown>;
          };
          if (change.change === 'set') parsed.k[change.name] = change.to;
          else if (change.change === 'drop') delete parsed.k[change.name];
          else parsed.d = change.to;
          await answersSafely(listing, tokenOf(parsed));
        },
      ),
      { numRuns: runs },
    );
  });

  it('each genuine token still pages its own listing', async () => {
    for (const listing of listings) expect((await list(listing, genuine[listing])).status).toBe(200);
  });
});
