import { describe, expect, it } from 'vitest';
import { metricDocument, refusedReport } from '../../../shared/metrics';
import { unavailable } from '../../../shared/answer';

describe('a throttled callback’s metrics', () => {
  it('count it as failed by reason, and as throttled on its own', () => {
    const error = Object.assign(new Error('over'), { name: 'ThrottlingException' });
    const report = refusedReport('alibaba', unavailable('throttled', 'retry', error));
    const document = metricDocument(report, 0) as {
      _aws: { CloudWatchMetrics: { Metrics: { Name: string }[]; Dimensions: string[][] }[] };
    };
    const [directive] = document._aws.CloudWatchMetrics;
    expect(directive!.Metrics.map((metric) => metric.Name)).toEqual(['failed', 'throttled']);
    expect(directive!.Dimensions).toEqual([['provider'], ['provider', 'reason']]);
    expect(document).toMatchObject({ provider: 'alibaba', reason: 'throttled', failed: 1, throttled: 1 });
  });

  it('are not counted as throttled for another failure', () => {
    const report = refusedReport('alibaba', unavailable('store_unavailable', 'retry', new Error('down')));
    expect(metricDocument(report, 0)).not.toHaveProperty('throttled');
  });
});
