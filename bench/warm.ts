/**
 * Warm cost per callback, in process, store excluded: the real middy handler of each
 * provider (its settings from the environment) over a store that answers
 * at once, against the floor of the same callbacks: parsing the body (or query) and the
 * vendor's one hash. The clock is fixed so that every signature stays valid.
 */
import { isEventBridgeAdapter } from '../shared/provider';
import { providerOf } from '../tools/providers';
import { parseFormFields } from '../shared/request';
import type { EventStore } from '../shared/store/port';
import {
  accepted,
  benchHandler,
  benchKeyOf,
  lambdaContext,
  providerEnv,
  signedCallback,
  type ProviderName,
  type SignedCallback,
} from './lib/callbacks';
import { median } from './lib/stats';

/** A store that takes every callback at once: this benchmark leaves the store out by design. */
const instantStore: EventStore = {
  save: async (record) => ({
    result: 'stored',
    record,
    announcements: [
      {
        id: record.id,
        type: 'stream.started',
        streamKey: record.streamKey,
        notice: {
          state: {
            live: true,
            since: record.occurredAt,
            sessionId: record.sessionId,
            openPushes: 1,
            pushes: [{ sessionId: record.sessionId, startedAt: record.occurredAt }],
            lastEventAt: record.occurredAt,
            changed: true,
            order: 'v2#000000000001',
          },
          session: { sessionId: record.sessionId },
        },
      },
    ],
  }),
  claimSignature: async () => true,
  keepRefusal: async () => {},
};

const bodyText = (callback: SignedCallback) => {
  const { body, isBase64Encoded } = callback.event;
  return isBase64Encoded ? Buffer.from(body!, 'base64').toString('utf8') : (body ?? '');
};

/**
 * The least any receiver must do with one of a provider's callbacks: read its fields
 * (JSON.parse, or a form / query parse with the product's own parser, faster than
 * URLSearchParams) and, for a vendor that signs, compute its one signature (the vendor's
 * own `signatureOf`, over the signed time as sent).
 */
export function floorOf(provider: ProviderName): (callback: SignedCallback) => unknown {
  const { adapter, samples } = providerOf(provider);
  // An EventBridge event arrives parsed; the least a receiver does is write it out (its `raw`).
  if (isEventBridgeAdapter(adapter)) return (c) => JSON.stringify(c.event);
  const read = (c: SignedCallback): Record<string, unknown> =>
    adapter.format === 'json'
      ? (JSON.parse(bodyText(c)) as Record<string, unknown>)
      : parseFormFields(adapter.format === 'query' ? c.event.rawQueryString : bodyText(c));
  const { signatureOf, signedTime } = samples;
  if (!signatureOf) return read;
  const key = benchKeyOf(provider);
  return (c) => {
    const fields = read(c);
    let time = !signedTime
      ? ''
      : 'header' in signedTime
        ? c.event.headers[signedTime.header]
        : fields[signedTime.field];
    // A JWT's claim (LiveKit's `nbf`): the token's claims are read as a receiver reads them.
    if (signedTime && 'claim' in signedTime && signedTime.claim) {
      const claims = JSON.parse(Buffer.from(String(time).split('.')[1]!, 'base64url').toString('utf8')) as Record<
        string,
        string
      >;
      time = claims[signedTime.claim];
    }
    return signatureOf(fields, key, String(time));
  };
}

/** Nanoseconds per call: the median over `samples` timed batches, after a warm-up. */
async function nsPerCall(call: (index: number) => unknown, batch: number, samples: number): Promise<number> {
  let index = 0;
  const runBatch = async () => {
    const started = process.hrtime.bigint();
    for (let count = 0; count < batch; count += 1) {
      const result = call(index++);
      if (result instanceof Promise) await result;
    }
    return Number(process.hrtime.bigint() - started) / batch;
  };
  for (let warmup = 0; warmup < Math.max(3, samples / 3); warmup += 1) await runBatch();
  const timings: number[] = [];
  for (let sample = 0; sample < samples; sample += 1) timings.push(await runBatch());
  return median(timings);
}

/** One provider's warm figures. */
export interface WarmResult {
  provider: ProviderName;
  handlerNs: number;
  floorNs: number;
  ratio: number;
  /** Callbacks per second on one core, from `handlerNs`. */
  perSecond: number;
}

/**
 * Times one provider's handler and floor in `rounds` alternating rounds, so that drift
 * (GC, other load) hits both; the ratio is the median of the rounds' ratios.
 */
export async function measureWarm(
  provider: ProviderName,
  options = { batch: 1_000, samples: 8, rounds: 5 },
): Promise<WarmResult> {
  const nowSec = 1_795_428_000;
  const pool = Array.from({ length: 256 }, (_, index) => signedCallback(provider, `warm-${index}`, nowSec));
  const handler = benchHandler(provider, { env: providerEnv(provider), store: instantStore, now: () => nowSec * 1000 });
  // Every answer must be the accepted one, or the benchmark is timing refusals.
  for (const callback of pool) {
    const answer = await handler(callback.event, lambdaContext);
    if (!accepted(answer)) throw new Error(`${provider}: ${JSON.stringify(answer)}`);
  }
  const floor = floorOf(provider);
  const handlerRuns: number[] = [];
  const floorRuns: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    handlerRuns.push(
      await nsPerCall((i) => handler(pool[i & 255]!.event, lambdaContext), options.batch, options.samples),
    );
    floorRuns.push(await nsPerCall((i) => floor(pool[i & 255]!), options.batch, options.samples));
    ratios.push(handlerRuns.at(-1)! / floorRuns.at(-1)!);
  }
  const handlerNs = median(handlerRuns);
  return { provider, handlerNs, floorNs: median(floorRuns), ratio: median(ratios), perSecond: 1e9 / handlerNs };
}
