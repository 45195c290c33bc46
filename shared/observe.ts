import { randomUUID } from 'node:crypto';
import type { Rejection } from './answer';
import { switchSetting, wholeNumberSetting, type Env } from './config';
import { logKeepFailure } from './log';
import { emitMetrics, type CallbackReport } from './metrics';
import type { FieldFormat } from './provider';
import { keptRefusalOf, refusalBudget } from './refusal';
import type { RawRequest } from './request';
import type { EventStore } from './store/port';

/** What an operator sees of the callbacks besides the records: refusals kept, and metrics. */
export interface ObserveSettings {
  /** Keep refused callbacks' summaries in the table (`LIVEHOOKS_KEEP_REFUSALS`, on by default). */
  keepRefusals: boolean;
  /** At most this many of each reason per container per minute (`LIVEHOOKS_REFUSALS_PER_MINUTE`, 5). */
  refusalsPerMinute: number;
  /** Days a kept refusal lives (`LIVEHOOKS_REFUSALS_DAYS`, 7). */
  refusalDays: number;
  /** Write CloudWatch metrics (`LIVEHOOKS_METRICS`; on by default inside Lambda, off elsewhere). */
  metrics: boolean;
}

/** Reads the observation settings; throws on a malformed one, failing the cold start. */
export function readObserveSettings(env: Env): ObserveSettings {
  return {
    keepRefusals: switchSetting(env, 'LIVEHOOKS_KEEP_REFUSALS', ['on', 'off'], true),
    refusalsPerMinute: wholeNumberSetting(env, 'LIVEHOOKS_REFUSALS_PER_MINUTE', 5),
    refusalDays: wholeNumberSetting(env, 'LIVEHOOKS_REFUSALS_DAYS', 7, 'days'),
    metrics: switchSetting(env, 'LIVEHOOKS_METRICS', ['on', 'off'], Boolean(env.AWS_LAMBDA_FUNCTION_NAME)),
  };
}

/** Where a pipeline tells what became of each callback. */
export interface Observer {
  /** Keeps a refusal (4xx) within the budget; a failure to keep it is logged and changes nothing. */
  refused(rejection: Rejection, request: RawRequest, nowMs: number): Promise<void>;
  /** Writes the callback's metrics, when they are on. */
  report(report: CallbackReport, nowMs: number): void;
}

/** The observer of one provider's handler, or none when there is nothing to do. */
export function createObserver(
  provider: string,
  format: FieldFormat,
  settings: ObserveSettings,
  store: EventStore | undefined,
): Observer | undefined {
  const keep = settings.keepRefusals && store !== undefined && settings.refusalsPerMinute > 0;
  if (!keep && !settings.metrics) return undefined;
  const budget = refusalBudget(settings.refusalsPerMinute);
  const retentionMs = settings.refusalDays * 86_400_000;
  return {
    async refused(rejection, request, nowMs) {
      // A 503 is not the caller's fault, and the store it would be kept in is the one failing.
      if (!keep || rejection.status >= 500) return;
      const taken = budget.take(rejection.reason, nowMs);
      if (!taken.keep) return;
      const refusal = keptRefusalOf(provider, rejection, request, format, { nowMs, id: randomUUID() });
      if (taken.suppressed > 0) refusal.suppressed = taken.suppressed;
      try {
        await store.keepRefusal(refusal, nowMs + retentionMs, AbortSignal.timeout(1000));
      } catch (error) {
        logKeepFailure(provider, error);
      }
    },
    report(report, nowMs) {
      if (settings.metrics) emitMetrics(report, nowMs);
    },
  };
}
