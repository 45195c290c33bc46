import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { StreamNotification } from '../../shared/notification';
import type { Publisher } from '../../shared/publishers/port';
import type { EventStore } from '../../shared/store/port';
import { buildRecord, sessionIdFromStart, streamKeyOf } from '../../shared/record';
import { repairRecord } from '../../shared/reconcile/reconcile';
import { createDynamoStore } from '../../shared/store/reader';
import { applyNotification, emptyLiveView } from '../../tools/live-view';
import { createTestTable } from '../support/dynamo';
import { eventBridgeFixtures } from '../support/event-bridge';
import { clientWithInjectedFaults } from '../support/faults';
import { keepingPublisher } from '../support/notifications';
import { call, handlerFor } from '../support/harness';
import { cloudFixtures, nowMs, nowSec, type CallbackSpec } from '../support/providers';

/**
 * Cloud vendors and EventBridge sources: self-hosted origins send no event time and deliver in order.
 *
 * docs/behaviour.md §4: a stream is live while any of its pushes is open. Up to four pushes
 * of a stream overlap as they like; each callback is delivered one to three times, in any
 * order, waves of them at once, and the store fails now and then (the vendor retries until
 * the callback is taken). After every wave the state is the reference model's for the set
 * of callbacks taken so far; at the end it is the model's for all of them, the same as one
 * in-order delivery, and a consumer that takes the notifications in another order, some
 * twice, tells the same. A logical stream over two or three providers is judged the same way.
 */
const streamNames = ['alpha', 'bravo'];

/**
 * Up to four pushes of one stream, each a start and (unless still live) a stop. For a vendor
 * whose signature binds no push (`oneStopPerSecond`), no two of its stops fall in one second:
 * those would be one signature, and the second is refused as a replay (docs/security.md).
 */
const pushesOf = (stream: string, oneStopPerSecond = false) =>
  fc
    .uniqueArray(
      fc.record({
        startSec: fc.integer({ min: 0, max: 60 }),
        duration: fc.integer({ min: 1, max: 60 }),
        live: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4, selector: (push) => push.startSec },
    )
    .map((pushes) =>
      oneStopPerSecond
        ? pushes.filter(
            (push, index) =>
              push.live ||
              !pushes.some(
                (other, before) =>
                  before < index && !other.live && other.startSec + other.duration === push.startSec + push.duration,
              ),
          )
        : pushes,
    )
    .map((pushes) =>
      pushes.flatMap(({ startSec, duration, live }): CallbackSpec[] => {
        const sessionStartSec = nowSec - 200 + startSec;
        const start: CallbackSpec = { kind: 'start', stream, sessionStartSec, timeSec: sessionStartSec };
        return live ? [start] : [start, { ...start, kind: 'stop', timeSec: sessionStartSec + duration }];
      }),
    );

/** Each callback delivered 1 to 3 times, all deliveries in one shuffled order. */
const deliveriesOf = <T>(callbacks: T[]) =>
  fc
    .tuple(...callbacks.map((callback) => fc.integer({ min: 1, max: 3 }).map((times) => Array(times).fill(callback))))
    .chain((groups) => fc.shuffledSubarray(groups.flat(), { minLength: groups.flat().length }));

/** A source under test: where its streams are stored, and how one callback of it is delivered. */
interface Source {
  name: string;
  /** The vendor sends a value per push (else its pushes are counted: docs/behaviour.md §4). */
  tellsPushesApart: boolean;
  /** Its signature binds no push: two of a stream's stops in one second share it (Huawei). */
  oneStopPerSecond: boolean;
  /** Without a push id: the pairing key the callback carries (OME's connection); pushes are counted within one. */
  pairingKey(callback: CallbackSpec): string;
  streamKey(stream: string): string;
  /** A delivery of one callback through its real handler over `store`; resolves whether it was accepted. */
  deliverer(
    store: EventStore,
    env: Record<string, string>,
    publisher?: Publisher,
  ): (callback: CallbackSpec) => Promise<boolean>;
}

const sources: Source[] = [
  ...cloudFixtures.map((fixture): Source => ({
    name: fixture.adapter.name,
    tellsPushesApart: !fixture.adapter.pairByTime,
    // Huawei's auth_sign covers the event, the stream and auth_timestamp, not publish_timestamp.
    oneStopPerSecond: fixture.adapter.name === 'huawei',
    pairingKey(callback) {
      const { kind, stream, sessionStartSec: sessionSec, timeSec } = callback;
      const fields = v.parse(fixture.adapter.schema, fixture.samples.sample({ kind, stream, sessionSec, timeSec }));
      return fixture.adapter.normalize(fields, kind, nowMs).pairingKey ?? '';
    },
    streamKey: fixture.streamKey,
    deliverer(store, env, publisher) {
      const handler = handlerFor(fixture, store, { ...fixture.env, ...env }, nowMs, publisher);
      return async (callback) => (await call(handler, fixture.callback(callback))).status === 200;
    },
  })),
  // EventBridge sources: best effort and out of order too (IVS says so).
  ...eventBridgeFixtures.map((fixture): Source => ({
    name: fixture.adapter.name,
    tellsPushesApart: true,
    oneStopPerSecond: false,
    pairingKey: () => '',
    streamKey: fixture.streamKey,
    deliverer(store, env, publisher) {
      const handler = fixture.handler({ env, store, ...(publisher ? { publisher } : {}) });
      // A store failure is thrown, so that Lambda retries the event.
      return async (callback) => (await handler(fixture.event(callback)).catch(() => ({ code: 503 }))).code === 0;
    },
  })),
];

/** What the model says of a stream's pushes, from the callbacks taken. */
interface Expected {
  live: boolean;
  openPushes: number;
  /** The start time of the current push, when the vendor tells pushes apart. */
  currentStartedAt?: string;
}

const iso = (sec: number) => new Date(sec * 1000).toISOString();

/**
 * The reference model. With a value per push: a push is open when its start was taken and
 * its stop was not. Without: the pushes are counted within each pairing key, in the
 * vendor's time order, a stop ending one of the pushes of its key open before it (which
 * one, nothing says); a stop of another key ends none of them (docs/behaviour.md §4).
 */
function expected(
  taken: readonly CallbackSpec[],
  { tellsPushesApart, pairingKey }: Pick<Source, 'tellsPushesApart' | 'pairingKey'>,
): Expected {
  // Distinct by value (fast-check's shrinking may copy a repeated callback); without a
  // value per push, two stops (or starts) of one stream and pairing key at the same time
  // are one callback (one record id).
  const identity = (callback: CallbackSpec) =>
    tellsPushesApart
      ? JSON.stringify(callback)
      : `${callback.kind} ${callback.stream} ${pairingKey(callback)} ${callback.timeSec}`;
  const distinct = [...new Map(taken.map((callback) => [identity(callback), callback])).values()];
  if (tellsPushesApart) {
    const open = distinct.filter(
      (start) =>
        start.kind === 'start' &&
        !distinct.some((stop) => stop.kind === 'stop' && stop.sessionStartSec === start.sessionStartSec),
    );
    const latest = open
      .map((start) => start.timeSec)
      .sort((a, b) => a - b)
      .at(-1);
    return {
      live: open.length > 0,
      openPushes: open.length,
      ...(latest === undefined ? {} : { currentStartedAt: iso(latest) }),
    };
  }
  const openByKey = new Map<string, number>();
  const inTime = distinct.sort((a, b) => a.timeSec - b.timeSec || (a.kind === 'start' ? -1 : 1));
  for (const callback of inTime) {
    const key = pairingKey(callback);
    const open = openByKey.get(key) ?? 0;
    openByKey.set(key, callback.kind === 'start' ? open + 1 : Math.max(0, open - 1));
  }
  const open = [...openByKey.values()].reduce((sum, count) => sum + count, 0);
  return { live: open > 0, openPushes: open };
}

/** The state's view, in the model's terms. */
function observed(
  state: { live: boolean; openPushes: number; pushes: { startedAt: string }[] } | undefined,
  exact: boolean,
): Expected {
  const current = state?.pushes.at(-1);
  return {
    live: state?.live ?? false,
    openPushes: state?.openPushes ?? 0,
    ...(exact && current ? { currentStartedAt: current.startedAt } : {}),
  };
}

/**
 * Delivers in waves of `concurrency` at once, each callback retried until it is taken
 * (the store fails when `faults` says so); after each wave, `check` sees what was taken.
 */
async function deliver<T>(
  deliverOne: (callback: T) => Promise<boolean>,
  callbacks: readonly T[],
  concurrency: number,
  check: (taken: readonly T[]) => Promise<void>,
) {
  const taken: T[] = [];
  for (let index = 0; index < callbacks.length; index += concurrency) {
    const wave = callbacks.slice(index, index + concurrency);
    await Promise.all(
      wave.map(async (callback) => {
        for (let attempt = 0; !(await deliverOne(callback)); attempt++) {
          expect(attempt, 'a callback was refused ten times').toBeLessThan(10);
        }
      }),
    );
    taken.push(...wave);
    await check(taken);
  }
}

/** At most this many DynamoDB calls fail in one run: fast-check would otherwise shrink to "every call fails". */
const maxFaults = 8;

/** A store over a fresh table whose DynamoDB calls fail (one in ten, before reaching the engine) as the draws say. */
async function faultyTable(draws: fc.Stream<number>) {
  const table = await createTestTable();
  let faults = 0;
  const client = clientWithInjectedFaults(
    table.endpoint,
    () => faults < maxFaults && draws.next().value < 10 && ++faults > 0,
  );
  return { table, store: createDynamoStore({ tableName: table.tableName, client }) };
}

const runs = { numRuns: Number(process.env.PROPERTY_RUNS ?? 5) };
/** Each run delivers twice (shuffled with faults, then in order) and reads the state after every wave. */
const timeout = 600_000;

describe.each(sources)('$name', (source) => {
  it(
    'keeps the model’s state at every wave and the end, for any order, repeats, overlap and store failures',
    async () => {
      const scenario = fc
        .tuple(...streamNames.map((stream) => pushesOf(stream, source.oneStopPerSecond)))
        .chain((perStream) => {
          const callbacks = perStream.flat();
          return fc.record({ callbacks: fc.constant(callbacks), deliveries: deliveriesOf(callbacks) });
        });
      await fc.assert(
        fc.asyncProperty(
          scenario,
          fc.integer({ min: 1, max: 4 }),
          fc.infiniteStream(fc.nat(99)),
          fc.infiniteStream(fc.nat()),
          async ({ callbacks, deliveries }, concurrency, faultDraws, picks) => {
            const { table, store } = await faultyTable(faultDraws);
            const { publisher, notifications } = keepingPublisher();
            const deliverOne = source.deliverer(store, {}, publisher);
            const check = async (taken: readonly CallbackSpec[]) => {
              for (const stream of streamNames) {
                const ofStream = taken.filter((callback) => callback.stream === stream);
                const { state } = await table.store.readStream(source.streamKey(stream));
                if (ofStream.length === 0) continue;
                expect(observed(state, source.tellsPushesApart)).toEqual(expected(ofStream, source));
              }
            };
            await deliver(deliverOne, deliveries, concurrency, check);

            // The end: the same as one in-order delivery, events and sessions included.
            const inOrder = await createTestTable();
            await deliver(source.deliverer(inOrder.store, {}), callbacks, 1, async () => {});
            for (const stream of streamNames) {
              const key = source.streamKey(stream);
              const [shuffled, ordered] = await Promise.all([
                table.store.readStream(key),
                inOrder.store.readStream(key),
              ]);
              const { lastEventId: _a, ...state } = shuffled.state!;
              const { lastEventId: _b, ...orderedState } = ordered.state!;
              expect(state).toEqual(orderedState);
              expect(shuffled.events).toHaveLength(ordered.events.length);
              if (source.tellsPushesApart) expect(shuffled.sessions).toEqual(ordered.sessions);
            }

            // A consumer's view, from the notifications taken in another order, some twice.
            const view = shuffledView(notifications, picks);
            for (const stream of streamNames) {
              const { state } = await table.store.readStream(source.streamKey(stream));
              const told = view.streams.get(source.streamKey(stream));
              expect(told && { live: told.live, openPushes: told.openPushes, sessionId: told.sessionId }).toEqual({
                live: state!.live,
                openPushes: state!.openPushes,
                sessionId: state!.sessionId,
              });
            }
          },
        ),
        runs,
      );
    },
    timeout,
  );
});

describe('a logical stream over two or three providers', () => {
  it(
    'is live while any member push is, at every wave and the end, and its notifications tell the same',
    async () => {
      const scenario = fc
        .shuffledSubarray(sources, { minLength: 2, maxLength: 3 })
        .chain((members) =>
          fc.tuple(
            fc.constant(members),
            fc.tuple(...members.map((member) => pushesOf('alpha', member.oneStopPerSecond))),
          ),
        )
        .chain(([members, perMember]) => {
          const callbacks = perMember.flatMap((pushes, index) =>
            pushes.map((callback) => ({ member: index, callback })),
          );
          return fc.record({
            members: fc.constant(members),
            callbacks: fc.constant(callbacks),
            deliveries: deliveriesOf(callbacks),
          });
        });
      await fc.assert(
        fc.asyncProperty(
          scenario,
          fc.integer({ min: 1, max: 4 }),
          fc.infiniteStream(fc.nat(99)),
          fc.infiniteStream(fc.nat()),
          async ({ members, deliveries }, concurrency, faultDraws, picks) => {
            const { table, store } = await faultyTable(faultDraws);
            const { publisher, notifications } = keepingPublisher();
            const keys = members.map((member) => member.streamKey('alpha'));
            const env = { LIVEHOOKS_LOGICAL_STREAMS: JSON.stringify({ show: keys }) };
            const deliverers = members.map((member) => member.deliverer(store, env, publisher));
            // A push of one member is not a push of another: the model counts per member.
            const model = (taken: readonly { member: number; callback: CallbackSpec }[]) => {
              const perMember = members.map((member, index) =>
                expected(
                  taken.filter((one) => one.member === index).map((one) => one.callback),
                  member,
                ),
              );
              const openPushes = perMember.reduce((sum, one) => sum + one.openPushes, 0);
              return { live: openPushes > 0, openPushes, members: perMember.map((one) => one.live) };
            };
            const look = async () => {
              const { state } = await table.store.readStream('logical/show');
              return {
                live: state?.live ?? false,
                openPushes: state?.openPushes ?? 0,
                members: keys.map((key) => state?.members?.find((member) => member.streamKey === key)?.live ?? false),
              };
            };
            await deliver(
              ({ member, callback }) => deliverers[member]!(callback),
              deliveries,
              concurrency,
              async (taken) => expect(await look()).toEqual(model(taken)),
            );

            const { state } = await table.store.readStream('logical/show');
            expect(state).toMatchObject({ provider: 'logical', streamKey: 'logical/show' });
            if (state!.live) expect(state!.currentMember).toBe(state!.pushes.at(-1)!.streamKey);
            const told = shuffledView(notifications, picks).streams.get('logical/show');
            expect(told && { live: told.live, openPushes: told.openPushes, currentMember: told.currentMember }).toEqual(
              {
                live: state!.live,
                openPushes: state!.openPushes,
                currentMember: state!.currentMember,
              },
            );
          },
        ),
        runs,
      );
    },
    timeout,
  );
});

/** A consumer's view from the notifications taken in another order, each twice. */
function shuffledView(notifications: StreamNotification[], picks: fc.Stream<number>) {
  const pool = notifications.flatMap((notification) => [notification, notification]);
  const consumed = [...pool].map(() => pool.splice(picks.next().value % pool.length, 1)[0]!);
  return consumed.reduce(applyNotification, emptyLiveView());
}

/**
 * Reconciliation's synthetic events (docs/behaviour.md §7): a repaired start or stop of a
 * push whose real callback also comes, before it or after it, any number of times, leaves
 * the state the real callbacks alone leave. The real callbacks are saved as the pipeline
 * saves them; the synthetic ones as a reconcile run does (`repairRecord`).
 */
describe('synthetic events of reconciliation', () => {
  const kinds = [
    { name: 'mux', pairByTime: false },
    { name: 'nginx-rtmp', pairByTime: true },
    { name: 'alibaba', pairByTime: true },
  ];
  it.each(kinds)(
    '$name: real callbacks with synthetic twins in any order end as the real ones alone',
    async (adapter) => {
      const t0 = nowMs - 3_600_000;
      const pushes = fc.uniqueArray(
        fc.record({
          startSec: fc.integer({ min: 0, max: 60 }),
          duration: fc.integer({ min: 1, max: 60 }),
          key: fc.constantFrom('1', '2'),
          // How much earlier than the real one the synthetic stop is dated (the last list that showed it).
          stopLeadSec: fc.integer({ min: 0, max: 30 }),
          startOffsetSec: fc.integer({ min: -30, max: 30 }),
          twins: fc.subarray(['start', 'stop'] as const),
        }),
        { minLength: 1, maxLength: 4, selector: (push) => push.startSec },
      );
      await fc.assert(
        fc.asyncProperty(pushes, fc.infiniteStream(fc.nat()), async (drawn, order) => {
          const draftOf = (kind: 'start' | 'stop', push: (typeof drawn)[number], atSec: number) => ({
            kind,
            domain: 'd',
            app: 'live',
            stream: 'cam',
            ...(adapter.pairByTime
              ? adapter.name === 'nginx-rtmp'
                ? { pairingKey: push.key }
                : {}
              : { sessionId: `s${push.startSec}` }),
            occurredAtMs: t0 + atSec * 1000,
          });
          const streamKey = streamKeyOf(adapter.name, draftOf('start', drawn[0]!, 0));
          const real = drawn.flatMap((push) => [
            buildRecord(draftOf('start', push, push.startSec), {
              provider: adapter.name,
              streamKey,
              raw: '{}',
              receivedAtMs: nowMs,
            }),
            buildRecord(draftOf('stop', push, push.startSec + push.duration), {
              provider: adapter.name,
              streamKey,
              raw: '{}',
              receivedAtMs: nowMs,
            }),
          ]);
          const synthetic = drawn.flatMap((push) =>
            push.twins.map((kind) => {
              const sessionId = adapter.pairByTime
                ? sessionIdFromStart(
                    iso((t0 + push.startSec * 1000) / 1000),
                    adapter.name === 'nginx-rtmp' ? push.key : undefined,
                  )
                : `s${push.startSec}`;
              if (kind === 'stop') {
                const atSec = Math.max(push.startSec, push.startSec + push.duration - push.stopLeadSec);
                const open = {
                  streamKey,
                  domain: 'd',
                  app: 'live',
                  stream: 'cam',
                  sessionId,
                  startedAt: iso((t0 + push.startSec * 1000) / 1000),
                };
                return repairRecord(
                  adapter.name,
                  { kind: 'stop', push: open, atMs: t0 + atSec * 1000 },
                  adapter.pairByTime,
                  nowMs,
                );
              }
              const listed = {
                domain: 'd',
                app: 'live',
                stream: 'cam',
                ...(adapter.pairByTime
                  ? adapter.name === 'nginx-rtmp'
                    ? { pairingKey: push.key }
                    : {}
                  : { sessionId }),
              };
              const atMs = t0 + (adapter.pairByTime ? push.startSec + push.startOffsetSec : push.startSec) * 1000;
              return repairRecord(
                adapter.name,
                { kind: 'start', streamKey, push: listed, atMs },
                adapter.pairByTime,
                nowMs,
              );
            }),
          );
          const save = (store: EventStore) => async (record: (typeof real)[number]) => {
            const pairWithin = adapter.pairByTime ? (record.sessionId.split('#')[1] ?? '') : undefined;
            await store.save(record, { nowMs, pairWithin });
          };
          const mixed = [...real, ...synthetic, ...synthetic.slice(0, 1)]
            .map((record) => ({ record, rank: order.next().value }))
            .sort((a, b) => a.rank - b.rank)
            .map(({ record }) => record);
          const [withTwins, alone] = await Promise.all([createTestTable(), createTestTable()]);
          for (const record of mixed) await save(withTwins.store)(record);
          for (const record of real) await save(alone.store)(record);
          const [got, want] = await Promise.all([
            withTwins.store.readStream(streamKey),
            alone.store.readStream(streamKey),
          ]);
          const { lastEventId: _a, ...state } = got.state!;
          const { lastEventId: _b, ...wanted } = want.state!;
          expect(state).toEqual(wanted);
        }),
        { numRuns: Number(process.env.PROPERTY_RUNS ?? 8) },
      );
    },
    timeout,
  );
});
