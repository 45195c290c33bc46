/**
 * The capacity model (bench/capacity.ts): which key binds, and what a function holds, from
 * a callback's write units and time, as DynamoDB's published limits and Lambda's
 * concurrency say.
 */
import { describe, expect, it } from 'vitest';
import { capacityOf, dynamoLimits, regionalRoundTrips, storm } from '../../../bench/capacity';
import type { CostResult } from '../../../bench/cost';
import { providerNames } from '../../../bench/lib/callbacks';
import { indexShards } from '../../../shared/store/table';

const costOf = (writeUnits: number, ms: number): CostResult => ({
  writeUnits,
  readUnits: 1,
  ms,
  dynamoUsd: 3,
  lambdaUsd: 0.2,
  totalUsd: 3.2,
});

describe('the capacity model', () => {
  const [fast, slow] = providerNames;
  const capacity = capacityOf({ [fast!]: costOf(4, 2), [slow!]: costOf(5, 4) }, { live: 1, recent: 1 }, 10);

  it('binds on the table at once on a new table, not on a sharded index', () => {
    expect(capacity.binding.key).toBe('the table (all its partitions)');
    expect(capacity.binding.burst).toBe(dynamoLimits.newTable / 5);
    expect(capacity.binding.sustained).toBe(dynamoLimits.tableQuota / 5);
    const shardedLive = capacity.keys.find((key) => key.key.startsWith('live-by-shard'))!;
    expect(shardedLive.sustained).toBe(dynamoLimits.partition * indexShards);
  });

  it("holds the slowest function's callbacks a second, and sizes the storm on it", () => {
    expect(capacity.stackHolds).toBe(10 / 0.004);
    expect(capacity.stormConcurrency).toBe(Math.ceil((storm.callbacks / storm.seconds) * 0.004));
  });

  it("adds a region's round trips to the slowest callback, and asks for more concurrency", () => {
    const regionalMs = 4 + regionalRoundTrips.perCallback * regionalRoundTrips.ms;
    expect(capacity.regional.ms).toBe(regionalMs);
    expect(capacity.regional.stackHolds).toBeCloseTo(10 / (regionalMs / 1000));
    expect(capacity.regional.stormConcurrency).toBe(Math.ceil((storm.callbacks / storm.seconds) * (regionalMs / 1000)));
    expect(capacity.regional.stormConcurrency).toBeGreaterThan(capacity.stormConcurrency);
  });
});
