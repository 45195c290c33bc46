import type { Outcome, Rejection, Reason } from './answer';

/** How one callback ended, for its metrics. */
export interface CallbackReport {
  provider: string;
  outcome: 'accepted' | 'duplicate' | 'ignored' | 'refused' | 'failed';
  /** The reason of a refusal or failure. */
  reason?: Reason | 'internal_error';
  /** Milliseconds the store took, when it was asked. */
  storeMs?: number;
  /** Milliseconds the notification destinations took, when there were any. */
  publishMs?: number;
  /** The stream's open pushes older than the provider's `STALE_AFTER`, when it is set. */
  stalePushes?: number;
}

/** The report of an accepted callback. */
export function acceptedReport(provider: string, outcome: Outcome): CallbackReport {
  if (outcome.result === 'ignored') return { provider, outcome: 'ignored' };
  const { storeMs, publishMs, stalePushes } = outcome;
  return {
    provider,
    outcome: outcome.result === 'stored' ? 'accepted' : 'duplicate',
    ...(storeMs === undefined ? {} : { storeMs }),
    ...(publishMs === undefined ? {} : { publishMs }),
    ...(stalePushes === undefined ? {} : { stalePushes }),
  };
}

/**
 * The report of a refused (4xx) or failed (5xx) callback. A revoked subscription (Twitch)
 * counts as a failure: nothing more will arrive until it is made again, and one is enough
 * for the failures alarm.
 */
export const refusedReport = (provider: string, rejection: Rejection): CallbackReport => ({
  provider,
  outcome: rejection.status >= 500 || rejection.reason === 'subscription_revoked' ? 'failed' : 'refused',
  reason: rejection.reason,
});

/** The CloudWatch namespace of every livehooks metric. */
export const metricNamespace = 'livehooks';

const count = (name: string) => ({ Name: name, Unit: 'Count' });
const milliseconds = (name: string) => ({ Name: name, Unit: 'Milliseconds' });

/**
 * One callback's metrics as a CloudWatch Embedded Metric Format document (the
 * specification's root node: `_aws` with `Timestamp` and one metric directive, and every
 * member the directive names). Counts are dimensioned by provider, refusals and failures
 * also by provider and reason, so that an alarm can watch one provider and a dashboard
 * can show why.
 */
export function metricDocument(report: CallbackReport, nowMs: number): Record<string, unknown> {
  const { provider, outcome, reason, storeMs, publishMs, stalePushes } = report;
  const metrics = [count(outcome)];
  const values: Record<string, unknown> = { [outcome]: 1 };
  if (storeMs !== undefined) {
    metrics.push(milliseconds('storeLatency'));
    values.storeLatency = storeMs;
  }
  if (publishMs !== undefined) {
    metrics.push(milliseconds('publishLatency'));
    values.publishLatency = publishMs;
  }
  if (stalePushes !== undefined) {
    // Per callback of a stream, with the provider's STALE_AFTER set: an alarm on its maximum
    // above 0 says a push has gone on for longer than expected (its stop may be lost).
    metrics.push(count('stalePushes'));
    values.stalePushes = stalePushes;
  }
  if (reason === 'throttled') {
    // Apart from `failed`, so that a dashboard shows the store's backpressure on its own.
    metrics.push(count('throttled'));
    values.throttled = 1;
  }
  const dimensions = reason ? [['provider'], ['provider', 'reason']] : [['provider']];
  return {
    _aws: {
      Timestamp: nowMs,
      CloudWatchMetrics: [{ Namespace: metricNamespace, Dimensions: dimensions, Metrics: metrics }],
    },
    provider,
    ...(reason ? { reason } : {}),
    ...values,
  };
}

/**
 * Writes one callback's metrics to stdout, where Lambda sends them to CloudWatch Logs,
 * which extracts them. Straight to the stream: the runtime's `console` puts a time and a
 * request id before each line, and EMF needs the log event to be the JSON object alone.
 */
export function emitMetrics(report: CallbackReport, nowMs: number): void {
  process.stdout.write(`${JSON.stringify(metricDocument(report, nowMs))}\n`);
}
