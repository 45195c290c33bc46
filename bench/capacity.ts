/**
 * How many callbacks a second the stack holds, and which limit binds first: from the write
 * units each callback makes (bench/cost.ts counts them against the engine), the size of its
 * index entries, DynamoDB's published limits, and each function's measured time per callback
 * with its `reservedConcurrency`. `npm run capacity` measures and writes its section of
 * BENCHMARKS.md; `npm run bench` writes the same section with its own cost figures.
 *
 * DynamoDB's limits (docs.aws.amazon.com/amazondynamodb/latest/developerguide/, pages
 * burst-adaptive-capacity, on-demand-capacity-mode, warm-throughput-scenarios): a
 * partition takes at most 1,000 write units a second, which burst capacity does not lift;
 * a new on-demand table, and each new index, holds 4,000 a second at once and twice its
 * previous peak after that; an account's table holds 40,000 by default.
 */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { indexShards, recentFields } from '../shared/store/table';
import { localClient } from '../tools/local/sdk-clients';
import { configuredMemorySize, repo } from './lib/bundles';
import { providerNames, type ProviderName } from './lib/callbacks';
import { startEngine, type Engine } from './lib/engine';
import { withSection, type SectionMarkers } from './lib/sections';
import { fixed } from './lib/stats';
import { measureCost, type CostResult } from './cost';

/** DynamoDB's published write limits, in write units a second. */
export const dynamoLimits = { partition: 1_000, newTable: 4_000, tableQuota: 40_000 } as const;

/**
 * A callback in a region, where this machine's engine cannot say: its most round trips to
 * DynamoDB (5, a stop paired by time: BENCHMARKS.md's round-trip row) at 10 ms each (AWS
 * quotes single-digit milliseconds for DynamoDB; a cold connection's TLS adds more). An
 * assumption, stated as one, so that the concurrency the README gives errs high.
 */
export const regionalRoundTrips = { perCallback: 5, ms: 10 } as const;

/** The storm the README sizes for: 50,000 publishers reconnecting in a minute. */
export const storm = { callbacks: 100_000, seconds: 60 } as const;

/** The write units one index entry takes: the largest entry the engine holds, by the 1 KB rule. */
export async function measureIndexEntryUnits(engine: Engine): Promise<{ live: number; recent: number }> {
  const client = localClient(engine.endpoint);
  let live = 1;
  let recent = 1;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: engine.tableName, ExclusiveStartKey: start }));
    for (const raw of page.Items ?? []) {
      const item = unmarshall(raw);
      const units = Math.ceil(Buffer.byteLength(JSON.stringify(item)) / 1024);
      // live-by-shard projects the whole state item; recent-by-shard a few short fields.
      if (item.sk === 'state') live = Math.max(live, units);
      if (item.recentShard) {
        const entry = Object.fromEntries(
          ['recentShard', 'recentAt', 'pk', 'sk', ...recentFields].map((name) => [name, item[name]]),
        );
        recent = Math.max(recent, Math.ceil(Buffer.byteLength(JSON.stringify(entry)) / 1024));
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  client.destroy();
  return { live, recent };
}

/** A key's ceiling: callbacks a second before it throttles. */
interface KeyCeiling {
  key: string;
  sustained: number;
  /** What a new on-demand table takes at once, before it has seen a higher peak. */
  burst: number;
  note: string;
}

/** The capacity figures, per key and per function. */
export interface Capacity {
  writeUnits: number;
  keys: KeyCeiling[];
  binding: KeyCeiling;
  /** Callbacks a second one function holds: reservedConcurrency ÷ its time per callback. */
  perFunction: { name: ProviderName; ms: number; callbacksPerSecond: number }[];
  reservedConcurrency: number;
  /** The smallest function's figure: what the default stack holds for one vendor. */
  stackHolds: number;
  /** The reservedConcurrency that holds the storm's rate on the slowest function. */
  stormConcurrency: number;
  /** The same two with each callback's round trips at a region's latency ({@link regionalRoundTrips}). */
  regional: { ms: number; stackHolds: number; stormConcurrency: number };
  stormRate: number;
  /** USD for the storm's callbacks. */
  stormUsd: number;
}

/** The figures from the measured costs and index entry sizes. */
export function capacityOf(
  cost: Record<string, CostResult>,
  entryUnits: { live: number; recent: number },
  reservedConcurrency: number,
): Capacity {
  const measured = providerNames.filter((name) => cost[name]);
  const writeUnits = Math.max(...measured.map((name) => cost[name]!.writeUnits));
  const perShard = (units: number) => (dynamoLimits.partition * indexShards) / units;
  const keys: KeyCeiling[] = [
    {
      key: `live-by-shard live#NN (${indexShards} shards)`,
      sustained: perShard(entryUnits.live),
      burst: Math.min(perShard(entryUnits.live), dynamoLimits.newTable / entryUnits.live),
      note: `every start and stop adds or removes its stream's entry (${entryUnits.live} unit)`,
    },
    {
      key: `recent-by-shard <day>#NN (${indexShards} shards)`,
      sustained: perShard(entryUnits.recent),
      burst: Math.min(perShard(entryUnits.recent), dynamoLimits.newTable / entryUnits.recent),
      note: `every callback's event adds one entry (${entryUnits.recent} unit)`,
    },
    {
      key: 'the table (all its partitions)',
      sustained: dynamoLimits.tableQuota / writeUnits,
      burst: dynamoLimits.newTable / writeUnits,
      note: `${fixed(writeUnits, 1)} write units a callback at most (bench/cost.ts); 40,000 a second is the default table quota, 4,000 what a new on-demand table takes at once`,
    },
    {
      key: 'stream#<key>, per stream',
      sustained: dynamoLimits.partition / writeUnits,
      burst: dynamoLimits.partition / writeUnits,
      note: 'one stream’s own callbacks: a publisher sends a few a minute',
    },
    {
      key: 'guard#<provider>#<digest>, refusal#<day>',
      sustained: Infinity,
      burst: Infinity,
      note: 'a guard is one item per signature; kept refusals are at most 5 a reason a minute a container (LIVEHOOKS_REFUSALS_PER_MINUTE), best effort',
    },
    {
      key: 'before: live-streams live, recent <day> (one partition each)',
      sustained: dynamoLimits.partition / Math.max(entryUnits.live, entryUnits.recent),
      burst: dynamoLimits.partition / Math.max(entryUnits.live, entryUnits.recent),
      note: 'the unsharded keys of earlier versions, for comparison',
    },
  ];
  const current = keys.filter((key) => !key.key.startsWith('before') && !key.key.includes('per stream'));
  const binding = current.reduce((least, key) => (key.burst < least.burst ? key : least));
  const perFunction = measured.map((name) => ({
    name,
    ms: cost[name]!.ms,
    callbacksPerSecond: reservedConcurrency / (cost[name]!.ms / 1000),
  }));
  const slowest = Math.max(...perFunction.map((fn) => fn.ms));
  const stormRate = storm.callbacks / storm.seconds;
  const stormUsd = storm.callbacks * Math.max(...measured.map((name) => cost[name]!.totalUsd / 1e6));
  const regionalMs = slowest + regionalRoundTrips.perCallback * regionalRoundTrips.ms;
  return {
    writeUnits,
    keys,
    binding,
    perFunction,
    reservedConcurrency,
    stackHolds: Math.min(...perFunction.map((fn) => fn.callbacksPerSecond)),
    stormConcurrency: Math.ceil((stormRate * slowest) / 1000),
    regional: {
      ms: regionalMs,
      stackHolds: reservedConcurrency / (regionalMs / 1000),
      stormConcurrency: Math.ceil((stormRate * regionalMs) / 1000),
    },
    stormRate,
    stormUsd,
  };
}

const group = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'never hot');

/** The section of BENCHMARKS.md. */
export function capacitySection(capacity: Capacity): string {
  const rows = capacity.keys.map(
    (key) => `| ${key.key} | ${group(key.sustained)} | ${group(key.burst)} | ${key.note} |`,
  );
  const functions = capacity.perFunction
    .map((fn) => `${fn.name} ${group(fn.callbacksPerSecond)} (${fixed(fn.ms, 2)} ms)`)
    .join(', ');
  return `${capacityMarkers.start}
## Capacity (\`npm run capacity\`)

Callbacks a second each key of the table holds before DynamoDB throttles it, from the write
units a callback makes and DynamoDB's published limits (bench/capacity.ts; docs/capacity.md):

| key | sustained | at once on a new table | why |
| --- | ---: | ---: | --- |
${rows.join('\n')}

Binding key: **${capacity.binding.key}**, ${group(capacity.binding.burst)} callbacks a second at once on a new
table, ${group(capacity.binding.sustained)} sustained once on-demand has scaled (or with warm throughput set).

Per function, \`reservedConcurrency\` ${capacity.reservedConcurrency} ÷ its time per callback against
this engine: ${functions}. The default stack holds **${group(capacity.stackHolds)} callbacks a second**
per function (the slowest). A storm of ${group(storm.callbacks)} callbacks in ${storm.seconds} s
(${group(capacity.stormRate)} a second, all on one vendor) needs \`reservedConcurrency\`
**${capacity.stormConcurrency}** on that function, and costs about $${fixed(capacity.stormUsd, 2)} (DynamoDB and
Lambda, bench/cost.ts prices). Those times are against dynalite on this machine. In a
region a callback's round trips take longer: at ${regionalRoundTrips.perCallback} round trips of ${regionalRoundTrips.ms} ms each (an
assumption: AWS quotes single-digit milliseconds), the slowest callback takes about
${fixed(capacity.regional.ms, 0)} ms, the default stack holds about **${group(capacity.regional.stackHolds)} callbacks a second** per function,
and the storm needs \`reservedConcurrency\` of about **${capacity.regional.stormConcurrency}**. Size it with the deployed
function's \`Duration\`.
${capacityMarkers.end}`;
}

const capacityMarkers: SectionMarkers = {
  start: '<!-- capacity: written by bench/capacity.ts -->',
  end: '<!-- capacity end -->',
};

/** BENCHMARKS.md with its capacity section replaced (or added). */
export const withCapacitySection = (markdown: string, section: string) =>
  withSection(markdown, capacityMarkers, section);

/** The default reservedConcurrency, as serverless.yml sets it. */
export const defaultReservedConcurrency = () =>
  Number(/^ {4}reservedConcurrency: (\d+)$/m.exec(readFileSync(join(repo, 'serverless.yml'), 'utf8'))![1]);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const memorySize = configuredMemorySize();
  const engine = await startEngine();
  const cost: Record<string, CostResult> = {};
  try {
    for (const name of providerNames) {
      process.stderr.write(`capacity: ${name}…\n`);
      cost[name] = await measureCost(engine, name, 20, memorySize);
    }
    const capacity = capacityOf(cost, await measureIndexEntryUnits(engine), defaultReservedConcurrency());
    const file = join(repo, 'BENCHMARKS.md');
    writeFileSync(file, withCapacitySection(readFileSync(file, 'utf8'), capacitySection(capacity)));
    process.stderr.write(`wrote the capacity section of BENCHMARKS.md: ${group(capacity.stackHolds)} callbacks/s\n`);
  } finally {
    engine.close();
  }
}
