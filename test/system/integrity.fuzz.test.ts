/**
 * One generator per class of attack in test/integrity.test.ts, each run against the real
 * handlers and store (or, for the pure parts, against an independent reference): boundary
 * shifts of a Huawei signature's text, leading zeros on time fields, separators inside
 * names, far-future times, numbers JSON cannot carry, lone surrogates, and long names
 * against star patterns. A tenth of `FUZZ_RUNS` each, at least 50 (50 by default, 1,000 in CI).
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it, vi } from 'vitest';
import { createApiHandler } from '../../shared/api';
import { maxJsonDepth } from '../../shared/pipeline';
import { defaultCredentialNames } from '../../shared/redact';
import { streamKeyOf } from '../../shared/record';
import { compileStreamPatterns } from '../../shared/stream-patterns';
import { createTestTable } from '../support/dynamo';
import { call, handlerFor, withFields } from '../support/harness';
import { keepingPublisher } from '../support/notifications';
import {
  fixtureFor,
  huaweiCallbackSignedAs,
  nowSec,
  providerFixtures,
  startOf,
  timeFields,
  type ProviderFixture,
} from '../support/providers';

/** Requests per property through a handler; pure properties take ten times as many. */
const runs = Math.max(50, Math.round(Number(process.env.FUZZ_RUNS ?? 250) / 10));

/** Whether an answer wrote nothing that counts: a refusal, or an acknowledged other event type. */
const harmless = (answer: { status: number; body: { ignored?: boolean } }) =>
  answer.status >= 400 || answer.body.ignored === true;

describe('Huawei: every other split of a signed text is refused', () => {
  const huawei = fixtureFor('huawei');
  const signedFields = ['event', 'domain', 'app', 'stream', 'auth_timestamp'] as const;
  const name = fc.stringMatching(/^[a-z0-9_.-]{1,10}$/);

  it(`holds for ${runs} genuine callbacks, each cut again at random`, async () => {
    const table = await createTestTable();
    const handler = handlerFor(huawei, table.store);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('PUBLISH', 'PUBLISH_DONE'),
        name,
        name,
        name,
        fc.integer({ min: 1, max: 200 }),
        // Where the text is cut again: mostly at the genuine event's and time's edges (or
        // `PUBLISH` | `_DONE…`, a digit onto the time), so that the shifts that pass the
        // other checks are tried often, and anywhere at all otherwise.
        fc.record({
          first: fc.oneof(fc.constant('event'), fc.constant('PUBLISH'), fc.nat()),
          middle: fc.array(fc.nat(), { minLength: 2, maxLength: 2 }),
          last: fc.oneof(fc.constant(0), fc.constant(1), fc.nat()),
        }),
        async (event, domain, app, stream, ago, cut) => {
          const genuine = { event, domain, app, stream, auth_timestamp: String(nowSec - ago) };
          const text = signedFields.map((field) => genuine[field]).join('');
          const publish_timestamp = String(nowSec - 300);
          const sign = (fields: Record<string, string>) =>
            huaweiCallbackSignedAs({ ...fields, publish_timestamp }, { ...genuine });
          const timeAt = text.length - genuine.auth_timestamp.length;
          const firstAt =
            cut.first === 'event' ? event.length : cut.first === 'PUBLISH' ? 7 : cut.first % (text.length + 1);
          const lastAt = cut.last <= 1 ? timeAt - cut.last : cut.last % (text.length + 1);
          const middle = cut.middle.map((at) => firstAt + (at % (Math.max(firstAt, lastAt) - firstAt + 1)));
          const at = [0, ...[firstAt, ...middle, lastAt].sort((a, b) => a - b), text.length];
          const split = Object.fromEntries(signedFields.map((field, i) => [field, text.slice(at[i], at[i + 1])]));
          fc.pre(signedFields.some((field) => split[field] !== genuine[field]));

          expect((await call(handler, sign(genuine))).status).toBe(200);
          const before = await table.contents();
          const answer = await call(handler, sign(split));
          expect(harmless(answer), JSON.stringify({ split, answer })).toBe(true);
          expect(await table.contents()).toEqual(before);
        },
      ),
      { numRuns: runs },
    );
  }, 600_000);
});

describe('time fields: leading zeros and far-future values are refused, nothing written', () => {
  it(`holds for ${runs} spoiled times across every vendor time field`, async () => {
    const table = await createTestTable();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...timeFields),
        fc.integer({ min: 0, max: 250 }),
        fc.oneof(
          fc.record({ zeros: fc.integer({ min: 1, max: 3 }) }),
          fc.record({ beyond: fc.integer({ min: 1, max: 253_402_300_799 - nowSec - 700 }) }),
        ),
        async (time, ago, spoil) => {
          const fixture = fixtureFor(time.provider);
          const written = (sec: number) =>
            time.format === 'rfc3339' ? new Date(sec * 1000).toISOString() : String(sec * time.unit);
          const genuine = written(nowSec - ago + time.ahead);
          const signedField = time.signed;
          let value: string;
          if ('zeros' in spoil) value = `${'0'.repeat(spoil.zeros)}${genuine}`;
          else {
            // Signed times have a window of their own; event times may lie `future` seconds ahead.
            const future = signedField ? fixture.time!.future : (fixture.adapter.defaultWindow?.future ?? 60);
            value = written(nowSec + future + spoil.beyond);
          }
          // Changed before signing: a vendor that signs its whole body would send it so.
          const event = signedField
            ? fixture.callback(startOf(`cam${ago}`), { signedTime: value })
            : fixture.callback(startOf(`cam${ago}`), { change: (fields) => time.set!(fields, value) });
          const before = await table.contents();
          const answer = await call(handlerFor(fixture, table.store), event);
          const expected =
            'zeros' in spoil
              ? [signedField ? 'bad_timestamp' : 'bad_field']
              : signedField
                ? ['not_yet_valid', 'bad_timestamp']
                : ['event_time_ahead', 'bad_field'];
          expect(expected, `${time.provider} ${time.field}=${value}`).toContain(answer.body.reason);
          expect(await table.contents()).toEqual(before);
        },
      ),
      { numRuns: runs },
    );
  }, 600_000);
});

describe('stream keys: separators inside names never make two streams one', () => {
  const part = fc.string({ unit: fc.constantFrom('a', 'b', '/', '%', '2', 'F', '5'), maxLength: 6 });
  const triple = fc.record({ domain: part, app: part, stream: part.filter((s) => s !== '') });

  it(`streamKeyOf is injective and can be read back (${runs * 10} pairs)`, () => {
    const unescape = (text: string) => decodeURIComponent(text);
    fc.assert(
      fc.property(triple, triple, (a, b) => {
        const [keyA, keyB] = [streamKeyOf('p', a), streamKeyOf('p', b)];
        expect(keyA === keyB).toBe(a.domain === b.domain && a.app === b.app && a.stream === b.stream);
        const [, domain, app, stream] = keyA.split('/');
        expect({ domain: unescape(domain!), app: unescape(app!), stream: unescape(stream!) }).toEqual(a);
      }),
      { numRuns: runs * 10 },
    );
  });

  it(`keeps names that join alike apart in the table (${runs} pairs through the handler)`, async () => {
    const table = await createTestTable();
    const tencent = fixtureFor('tencent');
    const handler = handlerFor(tencent, table.store);
    await fc.assert(
      fc.asyncProperty(triple, fc.nat(), async (names, cut) => {
        // Another split of the same joined text: what a naive key would confuse with it.
        const joined = `${names.domain}/${names.app}`;
        const at = cut % (joined.length + 1);
        const other = { domain: joined.slice(0, at), app: joined.slice(at), stream: names.stream };
        const push = (n: typeof names, sequence: string) =>
          withFields(tencent.callback(startOf(n.stream)), (fields) => {
            Object.assign(fields, { app: n.domain, appname: n.app, stream_id: n.stream, sequence });
          });
        fc.pre(other.domain !== names.domain);
        expect((await call(handler, push(names, 'first'))).status).toBe(200);
        expect((await call(handler, push(other, 'second'))).status).toBe(200);
        // Each push's stream holds its own names: had the keys met, one state would hold the other's.
        for (const pushed of [names, other]) {
          const { state } = await table.store.readStream(streamKeyOf('tencent', pushed));
          expect(state && { domain: state.domain, app: state.app, stream: state.stream }).toEqual(pushed);
        }
      }),
      { numRuns: runs },
    );
  }, 600_000);
});

describe('numbers JSON cannot carry exactly are refused', () => {
  it(`holds for ${runs} integers around and beyond 2^53 in Tencent sequence and SRS client_id`, async () => {
    const table = await createTestTable();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(['tencent', 'sequence'], ['srs', 'client_id']),
        fc.bigInt({ min: 2n ** 52n, max: 2n ** 70n }),
        async ([provider, field], number) => {
          const fixture = fixtureFor(provider);
          const event = withFields(fixture.callback(startOf(`n${number}`)), (fields) => (fields[field] = 0));
          event.body = event.body!.replace(`"${field}":0`, `"${field}":${number}`);
          const answer = await call(handlerFor(fixture, table.store), event);
          const exact = number <= BigInt(Number.MAX_SAFE_INTEGER);
          expect(answer.body.reason, String(number)).toBe(exact ? undefined : 'bad_field');
        },
      ),
      { numRuns: runs },
    );
  }, 600_000);
});

describe('names that are not well-formed Unicode are refused', () => {
  const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff });

  it.each(providerFixtures.map((fixture) => [fixture.adapter.name, fixture] as const))(
    `%s: a lone surrogate anywhere in a name (${runs} cases), nothing written`,
    async (_name, fixture: ProviderFixture) => {
      const table = await createTestTable();
      const handler = handlerFor(fixture, table.store);
      await fc.assert(
        fc.asyncProperty(fc.stringMatching(/^[a-z0-9]{0,8}$/), loneSurrogate, fc.nat(), async (base, unit, at) => {
          const where = at % (base.length + 1);
          const stream = `${base.slice(0, where)}${String.fromCharCode(unit)}${base.slice(where)}`;
          const event = withFields(fixture.callback(startOf('cam')), () => {});
          if (fixture.adapter.format === 'json') {
            // The first string "cam", at the top or inside an object (Mux's `data.id`), or the
            // stream in a URL (OvenMediaEngine's `request.url`).
            const escaped = `\\u${unit.toString(16)}`;
            const name = `${base.slice(0, where)}${escaped}${base.slice(where)}`;
            event.body = /:"cam"/.test(event.body!)
              ? event.body!.replace(/:"cam"/, `:"${name}"`)
              : event.body!.replace('/cam?', `/${name}?`);
          } else {
            // The surrogate's code point as UTF-8 would encode it (CESU-8): bytes that are not UTF-8.
            const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
            const encoded = `${base.slice(0, where)}${bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('')}${base.slice(where)}`;
            const field = fixture.adapter.format === 'query' ? 'id' : 'name';
            if (fixture.adapter.format === 'query')
              event.rawQueryString = event.rawQueryString.replace(`${field}=cam`, `${field}=${encoded}`);
            else
              event.body = Buffer.from(
                Buffer.from(event.body!, 'base64').toString().replace(`${field}=cam`, `${field}=${encoded}`),
              ).toString('base64');
          }
          const answer = await call(handler, event);
          expect(answer.body.reason, JSON.stringify(stream)).toBe('malformed_body');
        }),
        { numRuns: Math.ceil(runs / 4) },
      );
      expect(await table.scanAll()).toEqual([]);
    },
    600_000,
  );
});

describe('star patterns match as globs, in time linear in the name', () => {
  /** An independent reference: dynamic programming over (pattern, name) positions. */
  function globMatches(pattern: string, name: string): boolean {
    let row = Array.from({ length: name.length + 1 }, (_, j) => j === 0);
    for (const char of pattern) {
      const next = Array<boolean>(name.length + 1).fill(false);
      next[0] = char === '*' && row[0]!;
      for (let j = 1; j <= name.length; j++) {
        next[j] = char === '*' ? row[j]! || next[j - 1]! : row[j - 1]! && name[j - 1] === char;
      }
      row = next;
    }
    return row[name.length]!;
  }
  const alphabet = fc.constantFrom('a', 'b', '-', '*');
  const pattern = fc.string({ unit: alphabet, maxLength: 12 });
  const name = fc.string({ unit: fc.constantFrom('a', 'b', '-'), maxLength: 24 });

  it(`agrees with the reference on ${runs * 10} short patterns and names`, () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 3 }), name, (patterns, candidate) => {
        const expected = patterns.some((p) => globMatches(p, candidate));
        expect(compileStreamPatterns(patterns)(candidate)).toBe(expected);
      }),
      { numRuns: runs * 10 },
    );
  });

  it(`agrees on long names (up to 512 characters) against patterns of up to 6 stars (${runs} cases)`, () => {
    const piece = fc.string({ unit: fc.constantFrom('a', 'b', '-'), maxLength: 3 });
    const starry = fc.array(piece, { minLength: 2, maxLength: 7 }).map((pieces) => pieces.join('*'));
    const long = fc.string({ unit: fc.constantFrom('a', 'b', '-'), minLength: 256, maxLength: 512 });
    fc.assert(
      fc.property(starry, long, (p, candidate) => {
        expect(compileStreamPatterns([p])(candidate)).toBe(globMatches(p, candidate));
      }),
      { numRuns: runs },
    );
  });

  it(`refuses names too long for a key before matching them (${Math.ceil(runs / 10)} cases through the handler)`, async () => {
    const srs = fixtureFor('srs');
    const table = await createTestTable();
    const handler = handlerFor(srs, table.store, { ...srs.env, LIVEHOOKS_SRS_ALLOW_STREAMS: 'cam-*-*-*-*-hd' });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 513, max: 20_000 }), async (length) => {
        const event = withFields(srs.callback(startOf('x')), (fields) => (fields.stream = `cam-${'-'.repeat(length)}`));
        expect((await call(handler, event)).body.reason).toBe('bad_field');
      }),
      { numRuns: Math.ceil(runs / 10) },
    );
  }, 600_000);
});

describe('push credentials: none reaches the table, a notification, a log line or an answer', () => {
  const hostOf: Record<string, string> = { ome: 'ome.example.com:1935', srs: '127.0.0.1:1935', 'nginx-rtmp': 'h:1935' };
  /** Where a publisher writes a credential: each way a reader of the URL could take it. */
  const placement = fc.constantFrom(
    'first',
    'equalsBeforeQuestion',
    'userInfo',
    'bareUserInfo',
    'escapedName',
    'twiceEscapedName',
    'bare',
    'secondQuestion',
    'nested',
  );
  const credentialName = fc
    .constantFrom(...defaultCredentialNames)
    .chain((name) => fc.constantFrom(name, name.toUpperCase()));
  const secret = fc.stringMatching(/^[A-Za-z0-9]{12}$/).map((text) => `Zq${text}`);

  /** The publish URL with the credential placed, and its query alone (what query-valued fields carry). */
  function placed(kind: string, name: string, value: string, host: string): { url: string; query: string } {
    const escape = (text: string) => `%${text.charCodeAt(0).toString(16)}${text.slice(1)}`;
    const query = {
      first: `?${name}=${value}&room=1`,
      equalsBeforeQuestion: `?room=1&${name}=${value}`,
      escapedName: `?${escape(name)}=${value}`,
      twiceEscapedName: `?${escape(name).replace('%', '%25')}=${value}`,
      bare: `?${value}`,
      secondQuestion: `?room=1?${name}=${value}`,
      nested: `?next=${encodeURIComponent(`rtmp://g/x?${name}=${value}`)}`,
    }[kind];
    const userInfo = kind === 'userInfo' ? `u:${value}@` : kind === 'bareUserInfo' ? `${value}@` : '';
    const stream = kind === 'equalsBeforeQuestion' ? 'cam-c3RyZWFtMQ==' : 'cam';
    return { url: `rtmp://${userInfo}${host}/app/${stream}${query ?? ''}`, query: query ?? `?${name}=${value}` };
  }

  /** The vendor's callback carrying it in each URL-valued and query-valued field it has. */
  function callbackWith(provider: string, kind: string, name: string, value: string) {
    const fixture = fixtureFor(provider);
    const { url, query } = placed(kind, name, value, hostOf[provider] ?? 'h');
    const bareQuery = query.slice(1);
    const spec = startOf('cam');
    switch (provider) {
      case 'ome':
        return fixture.callback(spec, { change: (fields) => void ((fields.request as { url: string }).url = url) });
      case 'srs':
        return withFields(fixture.callback(spec), (fields) => Object.assign(fields, { tcUrl: url, param: query }));
      case 'nginx-rtmp': {
        const event = withFields(fixture.callback(spec), (fields) => void (fields.tcurl = url));
        // nginx-rtmp appends the publisher's arguments to its form as they were written.
        const body = `${Buffer.from(event.body!, 'base64').toString()}&${bareQuery}`;
        return { ...event, body: Buffer.from(body).toString('base64') };
      }
      case 'tencent':
        return fixture.callback(spec, { change: (fields) => void (fields.stream_param = bareQuery) });
      case 'huawei':
        return fixture.callback(spec, { change: (fields) => void (fields.user_args = bareQuery) });
      case 'alibaba':
        return fixture.callback(spec, { change: (fields) => void (fields.usrargs = bareQuery) });
      default:
        return fixture.callback(spec, {
          change: (fields) => void (fields.pushParams = { room: '1', [name]: value, next: url }),
        });
    }
  }

  it(`holds for ${runs} credentials placed at random in each vendor's URLs and queries`, async () => {
    const table = await createTestTable();
    const api = createApiHandler(table.store);
    const logged: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation(
        (...args: unknown[]) => void logged.push(args.map(String).join(' ')),
      );
    }
    const { publisher, notifications } = keepingPublisher();
    const providers = ['ome', 'srs', 'nginx-rtmp', 'tencent', 'huawei', 'alibaba', 'jdcloud'];
    const handlers = new Map(
      providers.map((provider) => {
        const fixture = fixtureFor(provider);
        return [provider, handlerFor(fixture, table.store, fixture.env, undefined, publisher)];
      }),
    );
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...providers),
          placement,
          credentialName,
          secret,
          async (provider, kind, name, value) => {
            const answer = await call(handlers.get(provider)!, callbackWith(provider, kind, name, value));
            const reads = await Promise.all(
              ['/streams', '/refusals', `/stream?key=${encodeURIComponent(`${provider}/`)}`].map((path) => {
                const [rawPath, rawQueryString = ''] = path.split('?');
                return api({ rawPath, rawQueryString, requestContext: { http: { method: 'GET' } } } as never);
              }),
            );
            const everything = JSON.stringify([
              answer,
              await table.scanAll(),
              await table.refusals(),
              notifications,
              logged,
              reads,
            ]);
            expect(everything.includes(value), JSON.stringify({ provider, kind, name, value, answer })).toBe(false);
          },
        ),
        { numRuns: runs },
      );
    } finally {
      vi.restoreAllMocks();
    }
  }, 600_000);
});

describe('nesting: no JSON body reaches a recursion', () => {
  const jsonFixtures = providerFixtures.filter((fixture) => fixture.adapter.format === 'json');

  it(`holds for ${runs} bodies nested up to 40,000 deep, through every JSON receiver`, async () => {
    const table = await createTestTable();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...jsonFixtures),
        fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40_000 })),
        fc.constantFrom('"\\uD800"', '"\\u00e9"', '1', '{}', 'null'),
        fc.boolean(),
        async (fixture, depth, inner, objects) => {
          const [open, close] = objects ? ['{"a":', '}'] : ['[', ']'];
          const body = `{"a":${open.repeat(depth - 1)}${inner}${close.repeat(depth - 1)}}`;
          const event = { ...fixture.callback(startOf('cam')), body, isBase64Encoded: false };
          const answer = await call(handlerFor(fixture, table.store), event);
          expect(answer.status).toBeLessThan(500);
          const tooDeep = depth + (inner === '{}' ? 1 : 0) > maxJsonDepth;
          if (tooDeep && Buffer.byteLength(body) <= 64 * 1024) expect(answer.body.reason).toBe('malformed_body');
        },
      ),
      { numRuns: runs },
    );
    expect(await table.scanAll()).toEqual([]);
  }, 600_000);
});

describe('far-past times: every stored time is one the record schema takes', () => {
  const recordTime = v.pipe(v.string(), v.isoTimestamp());
  const unsignedTimes = timeFields.filter((time) => !time.signed);
  /** 0000-01-01T00:00:00Z in Unix seconds. */
  const yearZeroSec = -62_167_219_200;

  it(`holds for ${runs} times from year 0 to 1970, with offsets, across every unsigned time field`, async () => {
    const table = await createTestTable();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...unsignedTimes),
        // Often within a day of year 0 and of 1970, where an offset moves a time across the bound.
        fc.oneof(
          fc.integer({ min: yearZeroSec, max: yearZeroSec + 86_400 }),
          fc.integer({ min: -86_400, max: 86_400 }),
          fc.integer({ min: yearZeroSec, max: 86_400 }),
        ),
        fc.constantFrom('Z', '+01:00', '-01:00', '+23:59', '-23:59'),
        async (time, sec, zone) => {
          const fixture = fixtureFor(time.provider);
          // The time as the vendor would write it: its digits, or the UTC time written with an offset that is not applied.
          const value =
            time.format === 'rfc3339' ? new Date(sec * 1000).toISOString().replace('Z', zone) : String(sec * time.unit);
          const event = fixture.callback(startOf(`cam${sec}`), { change: (fields) => time.set!(fields, value) });
          const answer = await call(handlerFor(fixture, table.store), event);
          expect(answer.status, `${time.provider} ${time.field}=${value}`).toBeLessThan(500);
          for (const item of await table.scanAll()) {
            for (const field of ['occurredAt', 'receivedAt', 'since']) {
              if (item[field] !== undefined)
                expect(v.is(recordTime, item[field]), `${field}: ${String(item[field])}`).toBe(true);
            }
          }
        },
      ),
      { numRuns: runs },
    );
  }, 600_000);
});
