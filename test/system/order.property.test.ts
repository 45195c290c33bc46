import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Publisher } from '../../shared/publishers/port';
import type { EventStore } from '../../shared/store/port';
import { applyNotification, emptyLiveView } from '../../tools/live-view';
import { createTestTable } from '../support/dynamo';
import { eventBridgeFixtures } from '../support/event-bridge';
import { keepingPublisher } from '../support/notifications';
import { call, handlerFor } from '../support/harness';
import { cloudFixtures, nowMs, nowSec, type CallbackSpec } from '../support/providers';

/**
 * Cloud vendors and EventBridge sources: self-hosted origins send no event time and deliver in order.
 *
 * docs/behaviour.md §4: whatever the order and however often callbacks arrive, the table
 * ends up as after one in-order delivery. Sessions per stream follow each other in time;
 * the last one may still be live (no stop yet). Times stay inside every vendor's window.
 * docs/notifications.md: the notifications sent on the way, taken in any order and with
 * repeats, tell the same states and sessions as the table.
 */
const streamNames = ['alpha', 'bravo', 'charlie'];

const streamHistory = fc.array(
  fc.record({ gap: fc.integer({ min: 1, max: 20 }), duration: fc.integer({ min: 1, max: 20 }) }),
  { minLength: 1, maxLength: 3 },
);

const scenario = fc
  .record({
    histories: fc.array(streamHistory, { minLength: 1, maxLength: streamNames.length }),
    lastIsLive: fc.array(fc.boolean(), { minLength: streamNames.length, maxLength: streamNames.length }),
  })
  .map(({ histories, lastIsLive }) => {
    const callbacks: CallbackSpec[] = [];
    histories.forEach((sessions, index) => {
      let timeSec = nowSec - 240;
      sessions.forEach(({ gap, duration }, position) => {
        const sessionStartSec = (timeSec += gap);
        const stream = streamNames[index]!;
        callbacks.push({ kind: 'start', stream, sessionStartSec, timeSec });
        const live = position === sessions.length - 1 && lastIsLive[index];
        timeSec += duration;
        if (!live) callbacks.push({ kind: 'stop', stream, sessionStartSec, timeSec });
      });
    });
    return callbacks;
  })
  .chain((callbacks) =>
    fc.record({
      callbacks: fc.constant(callbacks),
      // Each callback delivered 1 to 3 times, all deliveries in one shuffled order.
      deliveries: fc
        .tuple(
          ...callbacks.map((callback) =>
            fc.integer({ min: 1, max: 3 }).map((times) => Array<CallbackSpec>(times).fill(callback)),
          ),
        )
        .chain((groups) => fc.shuffledSubarray(groups.flat(), { minLength: groups.flat().length })),
    }),
  );

/** A source under test: where its streams are stored, and how one callback of it is delivered. */
interface Source {
  streamKey(stream: string): string;
  /** A delivery of one callback through its real handler over `store`; resolves whether it was accepted. */
  deliverer(store: EventStore, publisher?: Publisher): (callback: CallbackSpec) => Promise<boolean>;
}

const sources: [string, Source][] = [
  ...cloudFixtures.map((fixture): [string, Source] => [
    fixture.adapter.name,
    {
      streamKey: fixture.streamKey,
      deliverer(store, publisher) {
        const handler = handlerFor(fixture, store, fixture.env, nowMs, publisher);
        return async (callback) => (await call(handler, fixture.callback(callback))).status === 200;
      },
    },
  ]),
  // EventBridge sources: best effort and out of order too (IVS says so).
  ...eventBridgeFixtures.map((fixture): [string, Source] => [
    fixture.adapter.name,
    {
      streamKey: fixture.streamKey,
      deliverer(store, publisher) {
        const handler = fixture.handler({ env: {}, store, ...(publisher ? { publisher } : {}) });
        return async (callback) => (await handler(fixture.event(callback))).code === 0;
      },
    },
  ]),
];

/** Delivers callbacks in waves of `concurrency` at once, each wave in flight together. */
async function deliver(source: Source, callbacks: readonly CallbackSpec[], concurrency = 1, publisher?: Publisher) {
  const table = await createTestTable();
  const deliverOne = source.deliverer(table.store, publisher);
  for (let index = 0; index < callbacks.length; index += concurrency) {
    const wave = callbacks.slice(index, index + concurrency);
    expect(await Promise.all(wave.map(deliverOne))).toEqual(wave.map(() => true));
  }
  return table;
}

describe.each(sources)('%s', (_name, fixture) => {
  it('stores and announces the same events, sessions and states for any order, number and overlap of deliveries', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        fc.integer({ min: 1, max: 4 }),
        fc.infiniteStream(fc.nat()),
        async ({ callbacks, deliveries }, concurrency, picks) => {
          const inOrder = await deliver(fixture, callbacks);
          const { publisher, notifications } = keepingPublisher();
          const shuffled = await deliver(fixture, deliveries, concurrency, publisher);
          // The notice kept beside each event is the one difference: only one run announced.
          expect(withoutNotices(await shuffled.contents())).toEqual(await inOrder.contents());

          // A consumer's view, from the notifications taken in another order, some twice.
          const pool = notifications.flatMap((notification) => [notification, notification]);
          const consumed = [...pool].map(() => pool.splice(picks.next().value % pool.length, 1)[0]!);
          const view = consumed.reduce(applyNotification, emptyLiveView());

          for (const stream of new Set(callbacks.map((callback) => callback.stream))) {
            const starts = callbacks.filter((callback) => callback.stream === stream && callback.kind === 'start');
            const stops = callbacks.filter((callback) => callback.stream === stream && callback.kind === 'stop');
            const streamKey = fixture.streamKey(stream);
            const { state, events, sessions } = await shuffled.store.readStream(streamKey);
            expect(events).toHaveLength(starts.length + stops.length);
            const expectedSessions = starts.map((start) => {
              const stop = stops.find((candidate) => candidate.sessionStartSec === start.sessionStartSec);
              return [
                new Date(start.timeSec * 1000).toISOString(),
                stop && new Date(stop.timeSec * 1000).toISOString(),
              ];
            });
            expect(sessions.map((session) => [session.startedAt, session.stoppedAt])).toEqual(expectedSessions);
            expect(state?.live).toBe(starts.length > stops.length);

            const told = view.streams.get(streamKey);
            expect(told && { live: told.live, since: told.since, sessionId: told.sessionId }).toEqual({
              live: state!.live,
              since: state!.since,
              sessionId: state!.sessionId,
            });
            const toldSessions = [...view.sessions.values()]
              .filter((session) => session.streamKey === streamKey)
              .sort((a, b) => a.startedAt!.localeCompare(b.startedAt!));
            expect(toldSessions.map((session) => [session.startedAt, session.stoppedAt])).toEqual(expectedSessions);
          }
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 25) },
    );
  });
});

/** Table items without the notices kept beside events. */
const withoutNotices = (items: Record<string, unknown>[]) => items.map(({ notice: _notice, ...item }) => item);
