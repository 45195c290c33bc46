/**
 * What an operator sees: refusals kept within their budget whatever a flood sends, and one
 * CloudWatch Embedded Metric Format document per callback, checked against the format's
 * specification, for every outcome.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../shared/handler';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricDocument, metricNamespace } from '../../shared/metrics';
import { createTestTable } from '../support/dynamo';
import { call, handlerFor, withFields } from '../support/harness';
import { fixtureFor, keys, nowMs, startOf } from '../support/providers';

const tencent = fixtureFor('tencent');

describe('kept refusals', () => {
  it('stay within 5 per reason per minute per container, whatever a flood of 10,000 forged requests sends', async () => {
    const table = await createTestTable();
    let now = nowMs;
    const handler = createHandler(tencent.adapter, { env: tencent.env, store: table.store, now: () => now });
    const forged = [
      tencent.callback(startOf('cam'), { key: keys.unknown }), // bad_signature
      withFields(tencent.callback(startOf('cam')), (fields) => delete fields.sign), // missing_signature
      { ...tencent.callback(startOf('cam')), body: '{' }, // malformed_body
    ];
    for (let i = 0; i < 10_000; i++) {
      // Two minutes of flood: the budget opens again in the second.
      now = nowMs + Math.floor((i * 120_000) / 10_000);
      const answer = await call(handler, forged[i % forged.length]!);
      expect(answer.status).toBeGreaterThanOrEqual(400);
    }
    const kept = await table.refusals();
    expect([...new Set(kept.map((item) => item.reason))].sort()).toEqual([
      'bad_signature',
      'malformed_body',
      'missing_signature',
    ]);
    // 3 reasons × 2 minutes × 5: the bound. The first minute's 4,985 passed over are counted
    // on the first kept of the next minute.
    expect(kept).toHaveLength(30);
    const suppressed = kept.reduce((sum, item) => sum + Number(item.suppressed ?? 0), 0);
    expect(suppressed).toBe(5_000 - 15);
    expect(await table.scanAll()).toEqual([]);
  }, 300_000);

  it('are not kept when turned off by name', async () => {
    const table = await createTestTable();
    const handler = handlerFor(tencent, table.store, { ...tencent.env, LIVEHOOKS_KEEP_REFUSALS: 'off' });
    expect((await call(handler, tencent.callback(startOf('cam'), { key: keys.unknown }))).status).toBe(401);
    expect(await table.refusals()).toEqual([]);
  });
});

/**
 * The problems of one log line under the Embedded Metric Format specification
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * the line is one JSON object; `_aws` holds a numeric `Timestamp` and a `CloudWatchMetrics`
 * array of directives, each with a `Namespace` (1–255 characters), `Dimensions` (an array of
 * arrays of at most 30 member names) and `Metrics` (at most 100, each with a `Name` and,
 * optionally, a known `Unit`); every dimension named is a string member of the root, every
 * metric a number (or an array of at most 100 numbers).
 */
function emfProblems(line: string): string[] {
  const problems: string[] = [];
  let root: Record<string, unknown>;
  try {
    root = JSON.parse(line);
  } catch {
    return ['not JSON'];
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return ['not an object'];
  const aws = root._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (!aws || typeof aws !== 'object') return ['no _aws'];
  if (typeof aws.Timestamp !== 'number') problems.push('Timestamp is not a number');
  if (!Array.isArray(aws.CloudWatchMetrics)) return [...problems, 'CloudWatchMetrics is not an array'];
  const units = new Set(['Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Count', 'Percent', 'None']);
  for (const directive of aws.CloudWatchMetrics as Record<string, unknown>[]) {
    const { Namespace, Dimensions, Metrics } = directive;
    if (typeof Namespace !== 'string' || Namespace.length < 1 || Namespace.length > 255) problems.push('Namespace');
    if (!Array.isArray(Dimensions)) problems.push('Dimensions is not an array');
    for (const set of (Dimensions as unknown[][]) ?? []) {
      if (!Array.isArray(set) || set.length > 30) problems.push('a dimension set');
      for (const name of set) if (typeof root[name as string] !== 'string') problems.push(`dimension ${String(name)}`);
    }
    if (!Array.isArray(Metrics) || Metrics.length > 100) problems.push('Metrics');
    for (const metric of (Metrics as { Name?: unknown; Unit?: unknown }[]) ?? []) {
      if (typeof metric.Name !== 'string') problems.push('a metric without a Name');
      if (metric.Unit !== undefined && !units.has(metric.Unit as string)) problems.push(`unit ${String(metric.Unit)}`);
      const value = root[metric.Name as string];
      const numbers = Array.isArray(value) ? value : [value];
      if (numbers.length > 100 || !numbers.every((n) => typeof n === 'number'))
        problems.push(`value of ${String(metric.Name)}`);
    }
  }
  return problems;
}

describe('metrics, in the Embedded Metric Format', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('are one valid document per callback, for every outcome, dimensioned by provider (and reason)', async () => {
    const table = await createTestTable();
    const handler = handlerFor(tencent, table.store, { ...tencent.env, LIVEHOOKS_METRICS: 'on' });
    const broken = createHandler(tencent.adapter, {
      env: { ...tencent.env, LIVEHOOKS_METRICS: 'on' },
      store: {
        ...table.store,
        save: async () => {
          throw new Error('down');
        },
      },
      now: () => nowMs,
    });
    await call(handler, tencent.callback(startOf('m1'))); // accepted
    await call(handler, tencent.callback(startOf('m1'))); // duplicate
    await call(handler, tencent.ignored()[0]!); // ignored
    await call(handler, tencent.callback(startOf('m2'), { key: keys.unknown })); // refused
    await call(broken, tencent.callback(startOf('m3'))); // failed
    const documents = lines.map((line) => {
      expect(emfProblems(line), line).toEqual([]);
      return JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string }[] } };
    });
    expect(
      documents.map((document) =>
        Object.keys(document).find(
          (key) => key !== '_aws' && key !== 'provider' && key !== 'reason' && !key.endsWith('Latency'),
        ),
      ),
    ).toEqual(['accepted', 'duplicate', 'ignored', 'refused', 'failed']);
    for (const document of documents) {
      expect(document.provider).toBe('tencent');
      expect(document._aws.CloudWatchMetrics[0]!.Namespace).toBe(metricNamespace);
    }
    expect(documents[0]).toMatchObject({ storeLatency: expect.any(Number) });
    expect(documents[3]).toMatchObject({ reason: 'bad_signature' });
    expect(documents[4]).toMatchObject({ reason: 'store_unavailable' });
  });

  it('have the shape of the lines Powertools Metrics writes, which the same check takes', async () => {
    const metrics = new Metrics({ namespace: metricNamespace });
    metrics.addDimension('provider', 'tencent');
    metrics.addMetric('accepted', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    const theirs = lines.map((line) => JSON.parse(line));
    expect(theirs).toHaveLength(1);
    expect(emfProblems(lines[0]!)).toEqual([]);
    // The check is not vacuous: a line with a dimension it does not carry fails it.
    expect(emfProblems(lines[0]!.replace('"provider":"tencent"', '"other":"x"'))).not.toEqual([]);
    const ours = metricDocument({ provider: 'tencent', outcome: 'accepted' }, nowMs) as (typeof theirs)[0];
    const directive = (document: any) => document._aws.CloudWatchMetrics[0];
    expect(Object.keys(directive(ours)).sort()).toEqual(Object.keys(directive(theirs[0])).sort());
    expect(directive(ours).Metrics).toEqual(directive(theirs[0]).Metrics);
  });

  it('are off outside Lambda unless turned on, and on inside it', async () => {
    const table = await createTestTable();
    await call(handlerFor(tencent, table.store), tencent.callback(startOf('m4')));
    expect(lines).toEqual([]);
    await call(
      handlerFor(tencent, table.store, { ...tencent.env, AWS_LAMBDA_FUNCTION_NAME: 'livehooks-prod-tencent' }),
      tencent.callback(startOf('m5')),
    );
    expect(lines).toHaveLength(1);
  });
});
