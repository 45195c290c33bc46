/**
 * `npm run loadtest`: many streams, vendor-style retries, shuffled delivery and high
 * concurrency against `npm start` over real HTTP, while a consumer takes the notifications
 * from its queue; then an audit of the table against what was sent, and of a who-is-live
 * view rebuilt from the notifications alone (shuffled, some twice) against the table. The vendors that stamp their events (the registry's providers with an event
 * time): for them shuffled delivery has one right answer (self-hosted origins deliver in
 * order and never retry).
 *
 * A third of the streams of vendors that tell pushes apart push twice at once (a primary and
 * a backup, overlapping), and the first three streams, of three vendors, are one logical
 * stream (`LIVEHOOKS_LOGICAL_STREAMS`), checked against its members.
 *
 *   npm run loadtest -- [--streams 1000] [--sessions 11] [--concurrency 64]  (options after `--`)
 *                       [--duplicates 0.1] [--live 0.2] [--seed 7] [--json]
 */
import { createHash } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { envPrefix } from '../shared/config';
import { providerNames, providerOf } from '../tools/providers';
import { queryWithToken } from '../tools/vendor-requests';
import { signs } from './lib/callbacks';
import { auditDeliveries, requestAt, type LoadCallback } from './lib/load-delivery';
import { localStoreClient } from '../tools/local/embedded-store';
import { streamKeyOf, type StreamEvent } from '../shared/record';
import { sessionsOf } from '../shared/sessions';
import { createDynamoStore } from '../shared/store/reader';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import * as v from 'valibot';
import { StreamNotificationSchema, type StreamNotification } from '../shared/notification';
import { localSqsClient } from '../tools/local/sdk-clients';
import { applyNotification, emptyLiveView } from '../tools/live-view';
import { startLocalServer } from '../test/support/local-server';

/** Says what is wrong with the command line, in one line, and stops. */
function usage(message: string): never {
  console.error(`loadtest: ${message}`);
  process.exit(2);
}
const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        streams: { type: 'string', default: '1000' },
        sessions: { type: 'string', default: '11' },
        concurrency: { type: 'string', default: '64' },
        duplicates: { type: 'string', default: '0.1' },
        live: { type: 'string', default: '0.2' },
        seed: { type: 'string', default: '7' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
})();

// `npm run loadtest --streams 5` gives npm the option and this script the bare `5`.
if (positionals.length > 0) {
  usage(
    `unexpected "${positionals.join(' ')}": npm keeps the options before \`--\` for itself; run npm run loadtest -- --streams 5`,
  );
}
const streams = Number(values.streams);
const sessionsPerStream = Number(values.sessions);
const concurrency = Number(values.concurrency);
const duplicateShare = Number(values.duplicates);
const liveShare = Number(values.live);

/** A small seeded generator (mulberry32), so a run can be repeated exactly. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(Number(values.seed));

const providers = providerNames.filter((name) => providerOf(name).adapter.eventTimeField !== undefined);
type Provider = string;
const key = (provider: Provider) => {
  const secret = createHash('sha256').update(`loadtest-${provider}`).digest('hex').slice(0, 32);
  return providerOf(provider).samples.keyEntry?.(secret) ?? secret;
};
const token = 'loadtest-token';

type Callback = LoadCallback;

/** What a stream's events must come to. */
interface Expected {
  sessions: [startedAt: string, stoppedAt: string | undefined][];
  live: boolean;
  since: string;
  openPushes: number;
}

/** Vendors whose pushes of one stream are told apart (a session value, or a pairing key per push). */
const tellsPushesApart = (provider: Provider) => !providerOf(provider).adapter.pairByTime || provider === 'ome';

/** The key a stream of the vendor's samples is stored under. */
function streamKeyFor(provider: Provider, stream: string): string {
  const { adapter, samples } = providerOf(provider);
  const fields = samples.sample({ kind: 'start', stream, sessionSec: 0, timeSec: 0 });
  return streamKeyOf(provider, adapter.normalize(v.parse(adapter.schema, fields), 'start', 0), adapter.foldStreamCase);
}

// Every stream: pushes 20 s apart, each 10 s long, the newest one still live for some; an
// overlapping stream has a backup push beside each, from 2 s after it to 2 s after its end.
// Times sit within the last 240 s. Each callback is signed when it is sent, as vendors do,
// so a long run outlives no token; the receiver gets wider windows (below) for a run that
// replays minutes of history.
const nowSec = Math.floor(Date.now() / 1000);
const callbacks: Callback[] = [];
const expected = new Map<string, Expected>();
const logicalName = 'load-show';
const logicalMembers: string[] = [];
for (let index = 0; index < streams; index += 1) {
  const provider = providers[index % providers.length]!;
  const stream = `load-${index}`;
  const streamKey = streamKeyFor(provider, stream);
  if (index < 3) logicalMembers.push(streamKey);
  const overlapping = index % 3 === 1 && tellsPushesApart(provider);
  const liveAtEnd = next() < liveShare;
  const first = nowSec - 235 + Math.floor(next() * 10);
  const sessions: Expected['sessions'] = [];
  const iso = (sec: number) => new Date(sec * 1000).toISOString();
  const push = (startSec: number, stopSec: number | undefined) => {
    const happened: ['start' | 'stop', number][] = [['start', startSec]];
    if (stopSec !== undefined) happened.push(['stop', stopSec]);
    for (const [kind, atSec] of happened) {
      const { samples } = providerOf(provider);
      const fields = samples.sample({ kind, stream, sessionSec: startSec, timeSec: atSec });
      callbacks.push({ provider, streamKey, kind, atSec, fields });
    }
    sessions.push([iso(startSec), stopSec === undefined ? undefined : iso(stopSec)]);
  };
  let lastStart = 0;
  let lastStop = 0;
  for (let session = 0; session < sessionsPerStream; session += 1) {
    const startSec = first + session * 20;
    const live = session === sessionsPerStream - 1 && liveAtEnd;
    push(startSec, live ? undefined : startSec + 10);
    if (overlapping) push(startSec + 2, live ? undefined : startSec + 12);
    lastStart = startSec;
    lastStop = startSec + (overlapping ? 12 : 10);
  }
  sessions.sort((a, b) => a[0].localeCompare(b[0]));
  const openPushes = liveAtEnd ? (overlapping ? 2 : 1) : 0;
  expected.set(streamKey, { sessions, live: liveAtEnd, since: iso(liveAtEnd ? lastStart : lastStop), openPushes });
}

// Vendor retries: a share of the callbacks delivered twice; then one shuffled order.
const deliveries = [...callbacks, ...callbacks.filter(() => next() < duplicateShare)];
for (let index = deliveries.length - 1; index > 0; index -= 1) {
  const other = Math.floor(next() * (index + 1));
  [deliveries[index], deliveries[other]] = [deliveries[other]!, deliveries[index]!];
}

const server = await startLocalServer(
  Object.fromEntries(
    [['LIVEHOOKS_LOGICAL_STREAMS', JSON.stringify({ [logicalName]: logicalMembers })]].concat(
      providers.flatMap((provider) => [
        [`${envPrefix(provider)}WINDOW_PAST`, '1800'],
        [`${envPrefix(provider)}TOKENS`, token],
        ...(signs(provider) ? [[`${envPrefix(provider)}KEYS`, key(provider)]] : []),
      ]),
    ),
  ) as Record<string, string>,
);

/**
 * A consumer of the notification queue, as a product runs one: takes what arrives, ten at a
 * time, and deletes it. `stop()` resolves once the queue is empty after the last delivery.
 */
function consumeNotifications(queueUrl: string) {
  const sqs = localSqsClient(new URL(queueUrl).origin);
  const received: StreamNotification[] = [];
  let finishing = false;
  const running = (async () => {
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
      );
      if (Messages.length === 0) {
        if (finishing) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      for (const message of Messages) received.push(v.parse(StreamNotificationSchema, JSON.parse(message.Body!)));
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
    }
  })();
  return {
    received,
    stop: () => ((finishing = true), running),
  };
}
const consumer = consumeNotifications(server.queueUrl);

const latencies: number[] = [];
const answers = new Map<Callback, Set<string>>();
const refusals = new Map<Callback, string[]>();
let errors = 0;
let retried = 0;
let duplicatesAnswered = 0;
let cursor = 0;
const started = performance.now();
try {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (cursor < deliveries.length) {
        const callback = deliveries[cursor++]!;
        let status = 0;
        let body: { id?: string; duplicate?: boolean } = {};
        // Like the vendors: a 503 is retried, a second apart, up to five times (Alibaba).
        for (let attempt = 0; attempt <= 5; attempt += 1) {
          if (attempt > 0) {
            retried += 1;
            await new Promise((resolve) => setTimeout(resolve, 1_000));
          }
          const request = requestAt(callback, Math.floor(Date.now() / 1000), key(callback.provider));
          const query = queryWithToken(request, token);
          const sent = performance.now();
          const response = await fetch(`${server.baseUrl}/${callback.provider}?${query}`, {
            method: request.method,
            headers: request.headers,
            body: request.body ?? null,
          });
          body = (await response.json()) as typeof body;
          latencies.push(performance.now() - sent);
          status = response.status;
          if (status !== 503) break;
        }
        if (status !== 200 || !body.id) {
          errors += 1;
          const reason = (body as { reason?: string }).reason ?? String(status);
          refusals.set(callback, [...(refusals.get(callback) ?? []), reason]);
          continue;
        }
        if (body.duplicate) duplicatesAnswered += 1;
        answers.set(callback, (answers.get(callback) ?? new Set()).add(body.id));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  // The audit reads the table itself, not the answers.
  const store = createDynamoStore({ tableName: 'livehooks', client: localStoreClient(server.storeUrl) });
  const [stored, states] = await Promise.all([store.listEvents(), store.listStreams()]);
  const byStream = new Map<string, StreamEvent[]>();
  for (const event of stored) byStream.set(event.streamKey, [...(byStream.get(event.streamKey) ?? []), event]);
  const storedIds = new Set(stored.map((event) => event.id));

  // Lost: accepted, then missing. A refused callback is counted apart, with its reason,
  // and its stream is not held to what it would have come to.
  const delivery = auditDeliveries(callbacks, answers, refusals, storedIds);
  const refusedStreams = new Set(callbacks.filter((c) => !answers.has(c)).map((c) => c.streamKey));
  const doubleStored =
    Math.max(0, stored.length - callbacks.length) + callbacks.filter((c) => (answers.get(c)?.size ?? 0) > 1).length;
  let wrongState = 0;
  let wrongSessions = 0;
  for (const [streamKey, want] of expected) {
    if (refusedStreams.has(streamKey)) continue;
    const state = states.find((candidate) => candidate.streamKey === streamKey);
    if (!state || state.live !== want.live || state.since !== want.since || state.openPushes !== want.openPushes)
      wrongState += 1;
    const got = sessionsOf(byStream.get(streamKey) ?? []).map((s) => [s.startedAt, s.stoppedAt]);
    if (JSON.stringify(got) !== JSON.stringify(want.sessions)) wrongSessions += 1;
  }

  // The logical stream: live while any member is, its open pushes theirs.
  const logical = (await store.readStream(`logical/${logicalName}`)).state;
  const members = logicalMembers.map((member) => states.find((state) => state.streamKey === member));
  const wrongLogical =
    !logical ||
    logical.live !== members.some((member) => member?.live) ||
    logical.openPushes !== members.reduce((sum, member) => sum + (member?.openPushes ?? 0), 0) ||
    JSON.stringify(logical.members?.map((member) => member.live)) !== JSON.stringify(members.map((m) => m?.live))
      ? 1
      : 0;

  // The notifications, after the last answer: every accepted callback told at least once,
  // and a view built from them alone, taken shuffled and partly twice, is the table's.
  await consumer.stop();
  const notified = new Set(consumer.received.map((notification) => notification.id));
  // Lost: accepted (answered with an id) and never announced; a refusal is counted apart.
  const notificationsLost = [...answers.values()].filter((ids) => ![...ids].some((id) => notified.has(id))).length;
  // A member's every callback is told of its logical stream too, under an id of its own.
  const toldLogical = new Set(
    consumer.received.filter((told) => told.streamKey !== told.record.streamKey).map((told) => told.record.id),
  );
  const logicalNotificationsLost = callbacks.filter(
    (callback) =>
      logicalMembers.includes(callback.streamKey) &&
      answers.has(callback) &&
      ![...answers.get(callback)!].some((id) => toldLogical.has(id)),
  ).length;
  // One callback, one content: a repeat of a stream's own notification says the same.
  const contents = new Map<string, Set<string>>();
  for (const told of consumer.received) {
    if (told.streamKey !== told.record.streamKey) continue;
    contents.set(told.id, (contents.get(told.id) ?? new Set()).add(JSON.stringify(told)));
  }
  const notificationsChanged = [...contents.values()].filter((bodies) => bodies.size > 1).length;
  const redelivered = [...consumer.received, ...consumer.received.filter(() => next() < duplicateShare)];
  for (let index = redelivered.length - 1; index > 0; index -= 1) {
    const other = Math.floor(next() * (index + 1));
    [redelivered[index], redelivered[other]] = [redelivered[other]!, redelivered[index]!];
  }
  const view = redelivered.reduce(applyNotification, emptyLiveView());
  let wrongLiveView = 0;
  for (const state of states) {
    const told = view.streams.get(state.streamKey);
    if (
      !told ||
      told.live !== state.live ||
      told.since !== state.since ||
      told.sessionId !== state.sessionId ||
      told.openPushes !== state.openPushes
    )
      wrongLiveView += 1;
  }
  const toldShow = view.streams.get(`logical/${logicalName}`);
  if (!toldShow || toldShow.live !== logical?.live || toldShow.openPushes !== logical.openPushes) wrongLiveView += 1;
  const stateKeys = new Set(states.map((state) => state.streamKey));
  wrongLiveView += [...expected.keys()].filter((k) => !refusedStreams.has(k) && !stateKeys.has(k)).length;
  const notifiedSessions = new Map<string, string>();
  for (const session of view.sessions.values()) {
    const list = JSON.parse(notifiedSessions.get(session.streamKey) ?? '[]') as unknown[];
    notifiedSessions.set(session.streamKey, JSON.stringify([...list, [session.startedAt, session.stoppedAt]].sort()));
  }
  let wrongNotifiedSessions = 0;
  for (const [streamKey, want] of expected) {
    if (refusedStreams.has(streamKey)) continue;
    if (notifiedSessions.get(streamKey) !== JSON.stringify([...want.sessions].sort())) wrongNotifiedSessions += 1;
  }

  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  const report = {
    machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    streams,
    callbacks: callbacks.length,
    sent: deliveries.length,
    duplicatesSent: deliveries.length - callbacks.length,
    duplicatesAnswered,
    retriedAfter503: retried,
    stored: stored.length,
    accepted: delivery.accepted,
    lost: delivery.lost,
    doubleStored,
    wrongState,
    wrongSessions,
    overlappingStreams: [...expected.values()].filter((want) => want.sessions.length > sessionsPerStream).length,
    wrongLogical,
    logicalNotificationsLost,
    notificationsChanged,
    notificationsReceived: consumer.received.length,
    notificationsRepeated: consumer.received.length - notified.size,
    notificationsLost,
    wrongLiveView,
    wrongNotifiedSessions,
    errors,
    refused: delivery.refused,
    refusals: JSON.stringify(delivery.refusals),
    streamsRefused: refusedStreams.size,
    concurrency,
    seconds: Number(seconds.toFixed(2)),
    callbacksPerSecond: Math.round(deliveries.length / seconds),
    p50Ms: Number(percentile(50).toFixed(1)),
    p99Ms: Number(percentile(99).toFixed(1)),
  };
  if (values.json) console.log(JSON.stringify(report));
  else {
    console.log(`livehooks load test against npm start (${report.machine})`);
    for (const [name, value] of Object.entries(report))
      if (name !== 'machine') console.log(`  ${name.padEnd(22)} ${value}`);
  }
  const failures =
    delivery.lost +
    doubleStored +
    wrongState +
    wrongSessions +
    wrongLogical +
    logicalNotificationsLost +
    notificationsChanged +
    notificationsLost +
    wrongLiveView +
    wrongNotifiedSessions +
    errors;
  process.exitCode = failures === 0 ? 0 : 1;
} finally {
  server.stop();
}
