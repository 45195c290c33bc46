import { unmarshall } from '@aws-sdk/util-dynamodb';
import { inject } from 'vitest';
import type { DynamoClient } from '../../shared/aws/dynamodb';
import { legacyIndexes, liveShardOf, tableIndexes } from '../../shared/store/table';
import { localStoreClient } from '../../tools/local/embedded-store';
import { callOfRequest } from './faults';

/**
 * A model of DynamoDB's partition throughput, to put in front of dynalite (which has no
 * limits) or to run on its own on a virtual clock. What AWS documents
 * (docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html,
 * and the knowledge-center note "dynamodb-spiky-workloads-short-intervals"):
 *
 * - a partition serves at most 3,000 read and 1,000 write units a second, on-demand or
 *   provisioned, on a table and on each global index alike;
 * - burst capacity (up to 300 s of unused capacity) lets a table go over its provisioned
 *   rate, but "can't alleviate partition-level throttling": it never lifts those two;
 * - adaptive capacity moves hot items apart until a partition holds one, which then still
 *   has those two limits.
 *
 * So the model gives each partition key value (of the table, or of an index) a token bucket
 * of its own, the state adaptive capacity reaches at best: 1,000 write units a second, and a
 * second's worth held. A write is refused whole, before it lands, when any partition it
 * touches lacks the units, as DynamoDB refuses it (ThrottlingException when an index is
 * the one over, ProvisionedThroughputExceededException for the table's own partition).
 *
 * What it leaves out: reads (a callback reads its own stream's partition, never near
 * 3,000 a second); the table-wide on-demand limit (twice the previous peak, 40,000 units a
 * second per table by default); the minutes adaptive capacity takes to split a partition
 * holding several hot keys (the model splits at once: optimistic for the unsharded layout,
 * whose hot key is one item's value and cannot be split at all); the client's own retries
 * (a deployed store's client makes two attempts; the model refuses both alike, as its clock
 * does not move between them).
 */
export interface PartitionModel {
  /** Takes `units` from each partition at virtual time `atMs`, all or nothing; the partition over its limit when refused. */
  write(partitions: readonly Charge[], atMs: number): string | undefined;
  /** Writes refused so far, by partition. */
  readonly throttled: Map<string, number>;
}

/** Units one write takes from one partition (`<table or index>/<partition key value>`). */
export interface Charge {
  partition: string;
  units: number;
}

/** DynamoDB's per-partition write limit, in write units a second. */
export const partitionWriteUnits = 1_000;

/** A model with `writeUnits` a second per partition (scaled down for a sample of a storm), buckets full at start. */
export function createPartitionModel(writeUnits = partitionWriteUnits): PartitionModel {
  const buckets = new Map<string, { tokens: number; atMs: number }>();
  const throttled = new Map<string, number>();
  const bucketAt = (partition: string, atMs: number) => {
    const bucket = buckets.get(partition) ?? { tokens: writeUnits, atMs };
    bucket.tokens = Math.min(writeUnits, bucket.tokens + ((atMs - bucket.atMs) / 1000) * writeUnits);
    bucket.atMs = atMs;
    buckets.set(partition, bucket);
    return bucket;
  };
  return {
    throttled,
    write(charges, atMs) {
      const over = charges.find(({ partition, units }) => bucketAt(partition, atMs).tokens < units);
      if (over) {
        throttled.set(over.partition, (throttled.get(over.partition) ?? 0) + 1);
        return over.partition;
      }
      for (const { partition, units } of charges) buckets.get(partition)!.tokens -= units;
      return undefined;
    },
  };
}

/**
 * Where a layout puts a state or event item's index entries: `sharded`, as the table does
 * now; `unsharded`, as the indexes of earlier versions did (`live`, and the UTC day), from
 * the same items: the old key function, kept to show what it did under a storm.
 */
export type Layout = 'sharded' | 'unsharded';

/**
 * What a PutItem takes from which partitions: its own (one unit a KB), and one unit per
 * index entry it adds or removes. A state put without `liveShard` takes the stream out of
 * the live index (it was live: a stop follows its start in a storm), from its shard.
 */
export function chargesOfPut(item: Record<string, unknown>, layout: Layout): Charge[] {
  const units = Math.max(1, Math.ceil(JSON.stringify(item).length / 1024));
  const charges: Charge[] = [{ partition: `table/${String(item.pk)}`, units }];
  if (item.sk === 'state') {
    const shard = typeof item.liveShard === 'string' ? item.liveShard : liveShardOf(String(item.streamKey));
    charges.push(
      layout === 'sharded'
        ? { partition: `${tableIndexes.liveStreams}/${shard}`, units: 1 }
        : { partition: `${legacyIndexes.liveStreams}/live`, units: 1 },
    );
  }
  if (typeof item.recentShard === 'string') {
    charges.push(
      layout === 'sharded'
        ? { partition: `${tableIndexes.recent}/${item.recentShard}`, units: 1 }
        : { partition: `${legacyIndexes.recent}/${item.recentShard.slice(0, 10)}`, units: 1 },
    );
  }
  return charges;
}

/**
 * The deployed functions' client of the run's dynalite (or `endpoint`) behind the model:
 * each PutItem is charged at `clock()` before it goes out, and refused as DynamoDB refuses
 * a write over a partition's limit (status 400, the error's name in `__type`), in the
 * engine's place. Placed in front of each attempt; the model's clock does not move between
 * them, so it refuses a retry alike.
 */
export function clientWithPartitionModel(
  model: PartitionModel,
  layout: Layout,
  clock: () => number,
  endpoint = inject('dynamoEndpoint'),
): DynamoClient {
  return localStoreClient(endpoint, async (request, send) => {
    const { operation, input } = callOfRequest(request);
    if (operation === 'PutItem' && input.Item) {
      const over = model.write(
        chargesOfPut(unmarshall(input.Item as Parameters<typeof unmarshall>[0]), layout),
        clock(),
      );
      if (over) {
        const name = over.startsWith('table/') ? 'ProvisionedThroughputExceededException' : 'ThrottlingException';
        const body = JSON.stringify({
          __type: `com.amazonaws.dynamodb.v20120810#${name}`,
          message: `Throughput exceeds the current capacity of ${over}`,
        });
        return { status: 400, headers: { 'content-type': 'application/x-amz-json-1.0' }, body };
      }
    }
    return send(request);
  });
}
