/**
 * The worst-case CPU cost of one request per route, in process, store excluded (it
 * answers at once, as in bench/warm.ts): the largest and most costly shapes an attacker
 * can send, unauthenticated and, where a token or signature lets more through,
 * authenticated. docs/security.md quotes a run of it. Usage: `npx tsx bench/worst-case.ts`
 * (`ONLY=<provider>` for one route, `WORST_CASE_RUNS=<n>` calls per shape, 15 by default).
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { maxFieldCount } from '../shared/pipeline';
import { maxPayloadBytes } from '../shared/request';
import type { EventStore } from '../shared/store/port';
import { httpProviderNames, providerOf } from '../tools/providers';
import { benchHandler, lambdaContext, providerEnv, signedCallback } from './lib/callbacks';
import { median } from './lib/stats';

const instantStore: EventStore = {
  save: async (record) => ({ result: 'stored', record, announcements: [] }),
  claimSignature: async () => true,
  keepRefusal: async () => {},
};

const nowSec = 1_795_428_000;
/** 6 MB: a Function URL takes bodies up to 6 MB. */
const hugeBytes = 6 * 1024 * 1024;
/** Pairs `a0=1&a1=1&…` filling `bytes`. */
const manyPairs = (bytes: number) => {
  const pairs: string[] = [];
  for (let index = 0, length = 0; length < bytes - 12; index++) {
    const pair = `a${index}=%41`;
    pairs.push(pair);
    length += pair.length + 1;
  }
  return pairs.join('&');
};
/** A JSON object of many short fields (with escapes and `?`, so that redaction reads them), filling `bytes`. */
const manyFields = (fields: Record<string, unknown>, bytes: number) => {
  const wide: Record<string, string> = {};
  let length = JSON.stringify(fields).length;
  for (let index = 0; length < bytes - 40; index++) {
    wide[`k${index}`] = `?a=%41&@`;
    length += `"k${index}":"?a=%41&@",`.length;
  }
  return JSON.stringify({ ...fields, wide });
};

/** The shapes tried on one route: name → the event. */
function shapesOf(provider: string): Record<string, LambdaFunctionURLEvent> {
  const { adapter } = providerOf(provider) as { adapter: { format: string } };
  const genuine = signedCallback(provider, 'cam', nowSec).event;
  const text = genuine.isBase64Encoded ? Buffer.from(genuine.body ?? '', 'base64').toString() : (genuine.body ?? '');
  const shapes: Record<string, LambdaFunctionURLEvent> = {
    '6 MB base64 body, unauthenticated': {
      ...genuine,
      body: Buffer.alloc(hugeBytes, 'a').toString('base64'),
      isBase64Encoded: true,
    },
    '6 MB text body, unauthenticated': { ...genuine, body: 'a'.repeat(hugeBytes), isBase64Encoded: false },
    '64 KiB of query pairs after a genuine callback': {
      ...genuine,
      rawQueryString: `${genuine.rawQueryString}&${manyPairs(maxPayloadBytes - genuine.rawQueryString.length - 1)}`,
    },
  };
  if (adapter.format === 'json') {
    const genuineFields = JSON.parse(text) as Record<string, unknown>;
    const most: Record<string, string> = {};
    // The most a body may hold, each field a URL every reader of redaction reads whole.
    for (let index = 0; index < maxFieldCount - 64; index++)
      most[`k${index}`] = `rtmp://u:p@h/a/b?x=%41&y=1?z&${index}`;
    shapes[`${maxFieldCount - 64} fields taken, each a URL with user info and queries`] = {
      ...genuine,
      body: JSON.stringify({ ...genuineFields, most }),
      isBase64Encoded: false,
    };
    shapes['64 KiB JSON body, wide, with the genuine fields'] = {
      ...genuine,
      body: manyFields(JSON.parse(text) as Record<string, unknown>, maxPayloadBytes),
      isBase64Encoded: false,
    };
    const depth = Math.floor((maxPayloadBytes - 20) / 2);
    shapes['64 KiB JSON body nested 32,000 deep'] = {
      ...genuine,
      body: `{"a":${'['.repeat(depth)}"\\uD800"${']'.repeat(depth)}}`,
      isBase64Encoded: false,
    };
  } else if (adapter.format === 'form') {
    const most = Array.from(
      { length: maxFieldCount - 64 },
      (_, index) => `k${index}=${encodeURIComponent(`rtmp://u:p@h/a/b?x=%41&y=1?z&${index}`)}`,
    );
    shapes[`${maxFieldCount - 64} form fields taken, each a URL with user info and queries`] = {
      ...genuine,
      body: Buffer.from(`${text}&${most.join('&')}`).toString('base64'),
      isBase64Encoded: true,
    };
    shapes['64 KiB form body after the genuine fields'] = {
      ...genuine,
      body: Buffer.from(`${text}&${manyPairs(maxPayloadBytes - text.length - 1)}`).toString('base64'),
      isBase64Encoded: true,
    };
  }
  return shapes;
}

const runs = Number(process.env.WORST_CASE_RUNS ?? 15);
const rows: string[] = [`Node ${process.version}; median of ${runs} calls, ms, and the answer`];
for (const provider of httpProviderNames.filter((name) => !process.env.ONLY || name === process.env.ONLY)) {
  const handler = benchHandler(provider, { env: providerEnv(provider), store: instantStore, now: () => nowSec * 1000 });
  for (const [shape, event] of Object.entries(shapesOf(provider))) {
    const timings: number[] = [];
    let status = 0;
    // Copies made beforehand: a handler may change the event it is given.
    const events = Array.from({ length: runs + 2 }, () => ({ ...event, headers: { ...event.headers } }));
    for (let run = 0; run < runs + 2; run++) {
      const started = performance.now();
      const result = (await handler(events[run], lambdaContext)) as { statusCode?: number; body?: string };
      if (run >= 2) timings.push(performance.now() - started);
      status = result.statusCode ?? 200;
    }
    rows.push(`${provider}\t${shape}\t${median(timings).toFixed(2)}\t${status}`);
  }
}
process.stdout.write(`${rows.join('\n')}\n`);
