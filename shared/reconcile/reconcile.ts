/**
 * One reconciliation run of one provider (docs/behaviour.md §7): read the vendor's live
 * list and the table's open pushes, compare them, and record what the comparison repairs
 * as events of `origin: "reconcile"`, through the store's own `save` and announced like
 * any callback. The Lambda handler, the CLI and `npm start` all run this.
 */
import { buildRecord, streamKeyOf, type EventDraft, type StreamEvent } from '../record';
import type { ProviderConfig } from '../config';
import type { SourceAdapter } from '../provider';
import { notificationOf } from '../notification';
import type { Publisher } from '../publishers/port';
import type { EventStore } from '../store/port';
import { timeLaneOf } from '../store/pushes';
import { sha256Hex } from '../signature';
import { compare, type Observed, type StartRepair, type StopRepair, type TablePush } from './compare';
import type { LiveList } from './live-list';

/** Where reconciliation keeps what it saw between runs (`observed-store.ts`: in the table). */
export interface ObservedStore {
  read(provider: string): Promise<Observed>;
  write(provider: string, observed: Observed): Promise<void>;
}

/** What a run reads the table's open pushes with. */
export interface OpenPushReader {
  /** Every push the table holds open for the provider. */
  openPushes(provider: string): Promise<TablePush[]>;
}

/** Everything one run needs. */
export interface ReconcileContext {
  adapter: Pick<SourceAdapter<unknown>, 'name' | 'pairByTime' | 'foldStreamCase'>;
  list: LiveList;
  table: OpenPushReader;
  observedStore: ObservedStore;
  /** Where repairs are saved; absent in a dry run. */
  store?: EventStore | undefined;
  publisher?: Publisher | undefined;
  config?: Pick<ProviderConfig, 'logical' | 'staleAfter'> | undefined;
  nowMs: number;
  graceMs: number;
  /** Compare and say what would be repaired; write nothing (not even what was seen). */
  dryRun?: boolean;
  signal: AbortSignal;
}

/** What a run found and did. */
export interface ReconcileResult {
  /** The repairs as records (saved, unless a dry run). */
  stops: StreamEvent[];
  starts: StreamEvent[];
  /** Of those, how many were new to the table (a rerun finds its repairs already there). */
  stored: number;
  listed: number;
  open: number;
  /** How long the vendor's list took (ms). */
  listMs: number;
  /** Every difference seen now, repaired or still within the grace period. */
  observed: Observed;
}

/** Runs one reconciliation. Rejects when the list, the table or a save fails: nothing half-repaired is remembered. */
export async function reconcile(context: ReconcileContext): Promise<ReconcileResult> {
  const { adapter, nowMs, graceMs, signal } = context;
  const provider = adapter.name;
  const [table, observed] = await Promise.all([
    context.table.openPushes(provider),
    context.observedStore.read(provider),
  ]);
  const listStarted = performance.now();
  const listed = await context.list.list(signal);
  const listMs = performance.now() - listStarted;
  const comparison = compare(table, listed, observed, {
    streamKeyOf: (push) => streamKeyOf(provider, push, adapter.foldStreamCase),
    pairedByTime: adapter.pairByTime,
    nowMs,
    graceMs,
  });
  const stops = comparison.stops.map((repair) => repairRecord(provider, repair, adapter.pairByTime, nowMs));
  const starts = comparison.starts.map((repair) => repairRecord(provider, repair, adapter.pairByTime, nowMs));
  let stored = 0;
  if (!context.dryRun) {
    for (const record of [...stops, ...starts]) if (await save(record, context)) stored++;
    await context.observedStore.write(provider, comparison.observed);
  }
  return { stops, starts, stored, listed: listed.length, open: table.length, listMs, observed: comparison.observed };
}

/** Saves one repair as the pipeline saves a callback, and announces it; true when it was new. */
async function save(record: StreamEvent, context: ReconcileContext): Promise<boolean> {
  const { store, publisher, config, adapter, nowMs, signal } = context;
  // A session id paired by time carries its pairing key (`start@<time>#<key>`, `stop@…`).
  const pairWithin = adapter.pairByTime ? pairingKeyOf(record.sessionId) : undefined;
  const saved = await store?.save(record, {
    nowMs,
    pairWithin,
    logical: config?.logical.get(record.streamKey),
    staleAfter: config?.staleAfter,
    announce: publisher !== undefined,
    abortSignal: signal,
  });
  if (publisher) {
    const notifications = saved
      ? saved.announcements.map((told) => notificationOf(saved.record, told))
      : [notificationOf(record)];
    for (const notification of notifications) await publisher.publish(notification);
  }
  return saved?.result !== 'duplicate';
}

/** The pairing key inside a session id paired by time (`start@<time>#<key>`), `''` without one. */
const pairingKeyOf = (sessionId: string) => (timeLaneOf(sessionId) ?? '').slice(1);

/**
 * The record of a repair: a draft as the provider's adapter would have made it, completed
 * as every record is, then marked `origin: "reconcile"` under an id of its own, made from
 * the provider, the push and what was observed (the record's own id covers those), so that
 * a rerun writes nothing new and a real callback is never taken for its duplicate.
 */
export function repairRecord(
  provider: string,
  repair: StopRepair | StartRepair,
  pairedByTime: boolean,
  nowMs: number,
): StreamEvent {
  let draft: EventDraft;
  let streamKey: string;
  let observed: Record<string, unknown>;
  if (repair.kind === 'stop') {
    const { push } = repair;
    streamKey = push.streamKey;
    const pairingKey = pairedByTime ? pairingKeyOf(push.sessionId) : undefined;
    draft = {
      kind: 'stop',
      domain: push.domain,
      app: push.app,
      stream: push.stream,
      ...(pairedByTime ? (pairingKey ? { pairingKey } : {}) : { sessionId: push.sessionId }),
      occurredAtMs: repair.atMs,
      reason: { code: 'reconcile_absent', message: 'the vendor no longer lists this push as live' },
    };
    observed = { reconcile: 'absent', sessionId: push.sessionId, lastSeenAt: new Date(repair.atMs).toISOString() };
  } else {
    const { push } = repair;
    streamKey = repair.streamKey;
    draft = {
      kind: 'start',
      domain: push.domain,
      app: push.app,
      stream: push.stream,
      ...(!pairedByTime && push.sessionId ? { sessionId: push.sessionId } : {}),
      ...(pairedByTime && push.pairingKey ? { pairingKey: push.pairingKey } : {}),
      occurredAtMs: repair.atMs,
    };
    observed = { reconcile: 'present', ...push };
  }
  const record = buildRecord(draft, { provider, streamKey, raw: JSON.stringify(observed), receivedAtMs: nowMs });
  return { ...record, id: sha256Hex(`reconcile\n${record.id}`).slice(0, 32), origin: 'reconcile' };
}
