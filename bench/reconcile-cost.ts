/**
 * What reconciliation costs a day per provider, measured: nginx-rtmp's real reconcile
 * handler (`createReconcileHandler`, as functions/reconcile-nginx-rtmp.ts builds it) against
 * the bench's engine and a stat page served here, with N live pushes the table holds open
 * too (nothing to repair), and with k pushes gone from the page (k repaired stops). Each
 * run's DynamoDB units are counted as bench/cost.ts counts a callback's, and its wall and
 * CPU time taken in this (warm) process and in fresh processes that load the function's
 * deployed bundle (cold). The table side of a run is the same for every provider (the live
 * index's shards, one `observed` item, the repairs' saves); what differs is the vendor's
 * list: how many requests it takes, and their round trips.
 *
 *   npm run bench                          # writes this section with the rest
 *   npm run reconcile-cost                 # measures and writes this section of BENCHMARKS.md alone
 *   npm run reconcile-cost -- --quick      # fewer runs; prints the section, writes nothing
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { nginxRtmp, nginxRtmpSamples } from '../shared/providers/nginx-rtmp';
import { apiVariable, createReconcileHandler, defaultIntervalSeconds } from '../shared/reconcile/handler';
import type { ReconcileResult } from '../shared/reconcile/reconcile';
import { nginxRtmpLiveList } from '../shared/reconcile/sources/nginx-rtmp';
import { pageSize as srsPageSize } from '../shared/reconcile/sources/srs';
import { createDynamoClient, createDynamoEventStore } from '../shared/store/dynamo-store';
import { indexShards } from '../shared/store/table';
import { pageSize as alibabaPageSize } from '../shared/vendor-api/alibaba-live';
import { pageSize as huaweiPageSize } from '../shared/vendor-api/huawei-live';
import { pageSize as ivsPageSize } from '../shared/vendor-api/ivs-live';
import { pageSize as jdcloudPageSize } from '../shared/vendor-api/jdcloud-live';
import { pageSize as muxPageSize } from '../shared/vendor-api/mux-live';
import { pageSize as tencentPageSize } from '../shared/vendor-api/tencent-live';
import { ensureTable, localStoreClient } from '../tools/local/embedded-store';
import { lambdaEnv, runChild } from './cold-start';
import { counting, countedClient, lambdaUsdPerMillion, prices } from './cost';
import { buildBundle, configuredMemorySize, repo } from './lib/bundles';
import { accepted, benchHandler, lambdaContext, providerEnv, signedCallback } from './lib/callbacks';
import { startEngine, type Engine } from './lib/engine';
import { withSection, type SectionMarkers } from './lib/sections';
import { fixed, median } from './lib/stats';

/** Runs a day at the default schedule. */
export const runsPerDay = (24 * 3600) / defaultIntervalSeconds;

/** The live counts measured with nothing to repair, and the run that repairs. */
export const liveCounts = [0, 100, 1_000] as const;
export const repairCase = { live: 100, lost: 10 } as const;

/** How many runs and processes each figure takes. */
export interface ReconcileCostSettings {
  warmRuns: number;
  coldRuns: number;
  repairRounds: number;
}
export const fullSettings: ReconcileCostSettings = { warmRuns: 25, coldRuns: 10, repairRounds: 5 };
export const quickSettings: ReconcileCostSettings = { warmRuns: 5, coldRuns: 3, repairRounds: 2 };

/** One case's figures: per run, medians over the runs. */
export interface ReconcileRunCost {
  live: number;
  repairs: number;
  readUnits: number;
  writeUnits: number;
  warm: { wallMs: number; cpuMs: number };
  /** Fresh processes (the cases with nothing to repair): to the run's end, and loading the bundle. */
  cold?: { wallMs: number; cpuMs: number; loadCpuMs: number };
}

export interface ReconcileCost {
  memoryMb: number;
  bundleBytes: number;
  settings: ReconcileCostSettings;
  runs: ReconcileRunCost[];
}

/** A push on the stat page: nginx-rtmp's application, stream and publishing client. */
interface StatPush {
  app: string;
  stream: string;
  clientId: string;
  sinceMs: number;
}

/**
 * An `rtmp_stat all` page as ngx_rtmp_stat_module.c writes it (one server, one application,
 * each stream with its publishing client, codec metadata and counters), served from this
 * process from a string built before each case, so that a run's list costs what nginx's does.
 */
export function statXml(pushes: readonly StatPush[], nowMs: number): string {
  const apps = new Map<string, StatPush[]>();
  for (const push of pushes) apps.set(push.app, [...(apps.get(push.app) ?? []), push]);
  const streams = (list: readonly StatPush[]) =>
    list
      .map((push) => {
        const ms = nowMs - push.sinceMs;
        return (
          `<stream><name>${push.stream}</name><time>${ms}</time><bw_in>2457600</bw_in><bytes_in>${ms * 300}</bytes_in>` +
          `<bw_out>0</bw_out><bytes_out>0</bytes_out><bw_audio>131072</bw_audio><bw_video>2326528</bw_video>` +
          `<client><id>${push.clientId}</id><address>198.51.100.20</address><time>${ms}</time>` +
          `<flashver>FMLE/3.0 (compatible; Lavf60.16.100)</flashver><dropped>0</dropped><avsync>-3</avsync>` +
          `<timestamp>${ms}</timestamp><publishing/><active/></client>\r\n` +
          `<meta><video><width>1280</width><height>720</height><frame_rate>30</frame_rate><codec>H264</codec>` +
          `<profile>High</profile><compat>0</compat><level>3.1</level></video><audio><codec>AAC</codec>` +
          `<profile>LC</profile><channels>2</channels><sample_rate>44100</sample_rate></audio></meta>\r\n` +
          `<nclients>1</nclients><publishing/><active/></stream>\r\n`
        );
      })
      .join('');
  const applications = [...apps]
    .map(
      ([app, list]) =>
        `<application><name>${app}</name><live>\r\n${streams(list)}<nclients>${list.length}</nclients>\r\n</live>\r\n</application>\r\n`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="utf-8" ?>\r\n<?xml-stylesheet type="text/xsl" href="stat.xsl" ?>\r\n<rtmp>\r\n` +
    `<nginx_version>1.22.1</nginx_version>\r\n<nginx_rtmp_version>1.1.4</nginx_rtmp_version>\r\n` +
    `<compiler>gcc 12.2.0 (Debian 12.2.0-14) </compiler>\r\n<built>Jan 01 2026 00:00:00</built>\r\n` +
    `<pid>4242</pid>\r\n<uptime>86400</uptime>\r\n<naccepted>${pushes.length}</naccepted>\r\n` +
    `<bw_in>0</bw_in>\r\n<bytes_in>0</bytes_in>\r\n<bw_out>0</bw_out>\r\n<bytes_out>0</bytes_out>\r\n` +
    `<server>\r\n${applications}</server>\r\n</rtmp>\r\n`
  );
}

/** The stat page's server: its URL, and the pushes it lists from now on. */
async function startStatPage() {
  let page = statXml([], Date.now());
  const server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stat`,
    show: (pushes: readonly StatPush[]) => (page = statXml(pushes, Date.now())),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Milliseconds of CPU (user and system) since `since`. */
const cpuSince = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

/**
 * Measures the cases against `engine`: each in a table of its own, its pushes started
 * through nginx-rtmp's receiver (the real handler and store), then reconciled.
 */
export async function measureReconcileCost(
  engine: Engine,
  memoryMb: number,
  settings: ReconcileCostSettings,
  step: (text: string) => void = () => {},
): Promise<ReconcileCost> {
  const bundle = await buildBundle('reconcile-nginx-rtmp', 'functions/reconcile-nginx-rtmp.ts');
  const admin = localStoreClient(engine.endpoint);
  const statPage = await startStatPage();
  const client = countedClient(
    createDynamoClient({
      endpoint: engine.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    }),
  );
  const nowSec = Math.floor(Date.now() / 1000);
  // The domain and client id nginx-rtmp's receiver keys these callbacks' pushes with.
  const fields = nginxRtmpSamples.sample({ kind: 'start', stream: 'reconcile', sessionSec: nowSec, timeSec: nowSec });
  const { domain, pairingKey } = nginxRtmp.normalize(v.parse(nginxRtmp.schema, fields), 'start', nowSec * 1000);
  const listSettings = (tableName: string) => ({
    LIVEHOOKS_TABLE: tableName,
    [apiVariable('nginx-rtmp', 'endpoint')]: statPage.url,
    [apiVariable('nginx-rtmp', 'domain')]: domain,
  });

  /** A new table with `count` pushes open, started through the receiver. */
  const tableWith = async (name: string, count: number): Promise<StatPush[]> => {
    await ensureTable(admin, name);
    const receiver = benchHandler('nginx-rtmp', {
      env: { ...providerEnv('nginx-rtmp'), LIVEHOOKS_TABLE: name },
      store: createDynamoEventStore({ tableName: name, client }),
    });
    const pushes: StatPush[] = [];
    for (let index = 0; index < count; index++) {
      const stream = `${name}-${index}`;
      const answer = await receiver(signedCallback('nginx-rtmp', stream, nowSec).event, lambdaContext);
      if (!accepted(answer)) throw new Error(`nginx-rtmp start: ${JSON.stringify(answer)}`);
      pushes.push({ app: 'live', stream, clientId: pairingKey ?? '', sinceMs: nowSec * 1000 });
    }
    return pushes;
  };

  /** The reconcile handler over `tableName`, at the clock `now` reads; its metric line goes nowhere. */
  const reconcilerOf = (tableName: string, now: () => number = Date.now) => {
    const handler = createReconcileHandler(nginxRtmp, nginxRtmpLiveList, {
      env: listSettings(tableName),
      client,
      now,
    });
    return async (): Promise<ReconcileResult> => {
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = () => true;
      try {
        const result = await handler();
        if ('off' in result) throw new Error('reconcile nginx-rtmp: off (its settings did not reach it)');
        return result;
      } finally {
        process.stdout.write = write;
      }
    };
  };

  /** A run's units (counted once), and each run's wall and CPU time. */
  const measureRuns = async (run: () => Promise<ReconcileResult>, count: number, expectRepairs: number) => {
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let index = 0; index < count; index++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = await run();
      walls.push(performance.now() - started);
      cpus.push(cpuSince(cpu));
      if (result.stops.length + result.starts.length !== expectRepairs) {
        throw new Error(`reconcile repaired ${result.stops.length + result.starts.length}, not ${expectRepairs}`);
      }
    }
    return { wallMs: median(walls), cpuMs: median(cpus) };
  };

  const runs: ReconcileRunCost[] = [];
  try {
    for (const live of liveCounts) {
      step(`reconcile cost: ${live} live…`);
      const tableName = `reconcile-${live}`;
      statPage.show(await tableWith(tableName, live));
      const run = reconcilerOf(tableName);
      // Warm-up, uncounted: the first runs load and compile.
      await measureRuns(run, 3, 0);
      const { writeUnits, readUnits } = await counting(() => run());
      const warm = await measureRuns(run, settings.warmRuns, 0);
      const colds = [];
      for (let index = 0; index < settings.coldRuns; index++) {
        colds.push(
          await runChild(new URL('./cold/reconcile.cjs', import.meta.url).pathname, {
            ...lambdaEnv(engine),
            ...listSettings(tableName),
            BENCH_BUNDLE: bundle.path,
          }),
        );
      }
      runs.push({
        live,
        repairs: 0,
        readUnits,
        writeUnits,
        warm,
        cold: {
          wallMs: median(colds.map((cold) => cold.wallMs)),
          cpuMs: median(colds.map((cold) => cold.cpuMs!)),
          loadCpuMs: median(colds.map((cold) => cold.loadCpuMs!)),
        },
      });
    }
    // k pushes whose stop was lost: gone from the page, open in the table; repaired by the
    // run a grace period after the one that first saw them gone.
    step(`reconcile cost: ${repairCase.lost} repairs…`);
    const repaired: { readUnits: number; writeUnits: number; wallMs: number; cpuMs: number }[] = [];
    for (let round = 0; round < settings.repairRounds; round++) {
      const tableName = `reconcile-repair-${round}`;
      const pushes = await tableWith(tableName, repairCase.live + repairCase.lost);
      statPage.show(pushes.slice(repairCase.lost));
      let clock = Date.now();
      const run = reconcilerOf(tableName, () => clock);
      await measureRuns(run, 1, 0);
      clock += 2 * defaultIntervalSeconds * 1000;
      const { result, writeUnits, readUnits } = await counting(() => measureRuns(run, 1, repairCase.lost));
      repaired.push({ readUnits, writeUnits, ...result });
    }
    runs.push({
      live: repairCase.live,
      repairs: repairCase.lost,
      readUnits: median(repaired.map((round) => round.readUnits)),
      writeUnits: median(repaired.map((round) => round.writeUnits)),
      warm: {
        wallMs: median(repaired.map((round) => round.wallMs)),
        cpuMs: median(repaired.map((round) => round.cpuMs)),
      },
    });
  } finally {
    await statPage.close();
  }
  return { memoryMb, bundleBytes: bundle.bytes, settings, runs };
}

/** A run's DynamoDB dollars. */
const dynamoUsd = (run: Pick<ReconcileRunCost, 'readUnits' | 'writeUnits'>) =>
  run.readUnits * prices.readRequestUnit + run.writeUnits * prices.writeRequestUnit;
/** Lambda's GB-seconds a day for runs of `ms` (billed by the whole millisecond). */
const gbSecondsPerDay = (ms: number, memoryMb: number) => runsPerDay * (Math.ceil(ms) / 1000) * (memoryMb / 1024);
/** Lambda's dollars a day for runs of `ms`, the request charge included. */
const lambdaUsdPerDay = (ms: number, memoryMb: number) => (runsPerDay * lambdaUsdPerMillion(ms, memoryMb)) / 1e6;

const pages = (live: number, size: number) => Math.max(1, Math.ceil(live / size));
/**
 * Requests each provider's list makes a run with `live` live pushes, from its paging
 * (docs/vendors.md): one ingest domain, one OvenMediaEngine vhost and app, one SRS vhost.
 */
export const listRequests: { provider: string; rule: string; perRun?: (live: number) => number }[] = [
  { provider: 'alibaba', rule: `a page of ${alibabaPageSize} per domain`, perRun: (n) => pages(n, alibabaPageSize) },
  { provider: 'tencent', rule: `a page of ${tencentPageSize} per domain`, perRun: (n) => pages(n, tencentPageSize) },
  { provider: 'huawei', rule: `a page of ${huaweiPageSize} per domain`, perRun: (n) => pages(n, huaweiPageSize) },
  { provider: 'jdcloud', rule: `a page of ${jdcloudPageSize} per domain`, perRun: (n) => pages(n, jdcloudPageSize) },
  { provider: 'nginx-rtmp', rule: 'the stat page, once', perRun: () => 1 },
  { provider: 'srs', rule: `the vhosts, then a page of ${srsPageSize}`, perRun: (n) => 1 + pages(n, srsPageSize) },
  { provider: 'ome', rule: 'the vhosts, their apps, then one per app', perRun: () => 3 },
  // A page that comes back full is followed by one more, which may be empty.
  {
    provider: 'mux',
    rule: `a page of ${muxPageSize} until a short one`,
    perRun: (n) => Math.floor(n / muxPageSize) + 1,
  },
  { provider: 'cloudflare', rule: 'the inputs, then one per input (idle ones too)', perRun: (n) => 1 + n },
  { provider: 'ivs', rule: `a page of ${ivsPageSize}`, perRun: (n) => pages(n, ivsPageSize) },
  { provider: 'livekit', rule: 'a page as LiveKit cuts it (every ingress, idle ones too)' },
];

const group = (n: number) => Math.round(n).toLocaleString('en-US');
const usd = (n: number) => `$${n < 0.01 ? n.toPrecision(2) : fixed(n, 2)}`;

/** The section of BENCHMARKS.md. */
export function reconcileCostSection(cost: ReconcileCost): string {
  const { memoryMb, runs } = cost;
  const ms = (figure: { wallMs: number; cpuMs: number }) => `${fixed(figure.wallMs, 1)} (${fixed(figure.cpuMs, 1)})`;
  const rows = runs.map((run) => {
    const lambda = [run.warm.wallMs, run.cold?.wallMs].filter((figure) => figure !== undefined);
    const both = (pick: (figure: number) => number, show: (n: number) => string) =>
      lambda.length > 1 ? `${show(pick(lambda[0]!))} (${show(pick(lambda[1]!))})` : show(pick(lambda[0]!));
    const perRun = [
      `${group(run.live)}${run.repairs ? ` + ${run.repairs} gone: ${run.repairs} repaired` : ', none to repair'}`,
      `${fixed(run.readUnits, 1)} / ${fixed(run.writeUnits, 1)}`,
    ];
    // Repairs are rare: a run that repairs makes no daily figure (a repair's own cost is below).
    if (run.repairs) return [...perRun, '—', ms(run.warm), '', '—', '—', '—'];
    return [
      ...perRun,
      usd(runsPerDay * dynamoUsd(run)),
      ms(run.warm),
      run.cold ? `${ms(run.cold)}; loading ${fixed(run.cold.loadCpuMs, 1)} CPU` : '',
      both(
        (figure) => gbSecondsPerDay(figure, memoryMb),
        (n) => fixed(n, 2),
      ),
      both((figure) => lambdaUsdPerDay(figure, memoryMb), usd),
      both((figure) => 30 * (runsPerDay * dynamoUsd(run) + lambdaUsdPerDay(figure, memoryMb)), usd),
    ];
  });
  const idle = runs.find((run) => run.live === repairCase.live && run.repairs === 0)!;
  const repair = runs.find((run) => run.repairs > 0)!;
  const perRepair = {
    readUnits: (repair.readUnits - idle.readUnits) / repair.repairs,
    writeUnits: (repair.writeUnits - idle.writeUnits) / repair.repairs,
    ms: (repair.warm.wallMs - idle.warm.wallMs) / repair.repairs,
  };
  // dynalite reports no unit for a query that finds nothing; DynamoDB bills a read that
  // finds nothing half a unit at least (eventually consistent): a bound on what is missed.
  const emptyQueriesUsd = runsPerDay * indexShards * 0.5 * prices.readRequestUnit;
  const providerRows = listRequests.map(({ provider, rule, perRun }) => {
    const day = liveCounts.map((live) => (perRun ? group(runsPerDay * perRun(live)) : '≥ 288')).join(' / ');
    return `| ${provider} | ${rule} | ${day} |`;
  });
  const extra100 = lambdaUsdPerDay(100, memoryMb) - lambdaUsdPerDay(0, memoryMb);
  return `${reconcileMarkers.start}
## What reconciliation costs (\`npm run reconcile-cost\`)

One provider's reconcile function at the default schedule (every ${defaultIntervalSeconds} s: ${runsPerDay} runs a day),
measured on nginx-rtmp's (bench/reconcile-cost.ts): its real handler against this engine, reading
an \`rtmp_stat\` page with N live pushes (served by this process from a prepared string: its
sending is in the warm CPU), each open in the table too, started
through nginx-rtmp's receiver; and with 10 more open in the table but gone from the page, which
the run a grace period later repairs as 10 stops (the median of ${cost.settings.repairRounds} such runs, each in a table
of its own). DynamoDB units are counted on the client as bench/cost.ts counts a callback's.
Warm: ${cost.settings.warmRuns} runs in this process after 3 uncounted, the median; cold: ${cost.settings.coldRuns} fresh processes
loading the function's deployed bundle (${fixed(cost.bundleBytes / 1024, 1)} KB) and running it once, the median from
spawn to the end of the run. Lambda at ${memoryMb} MB (the functions' \`memorySize\`), billed by the whole
millisecond, with the request charge; bench/cost.ts's prices (${prices.date}).

| live pushes | DynamoDB read / write units a run | DynamoDB a day | warm run: wall ms (CPU ms) | cold run: wall ms (CPU ms) | Lambda GB-s a day, warm (cold) | Lambda a day, warm (cold) | together a month, warm (cold) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}

A repair adds ${fixed(perRepair.readUnits, 1)} read and ${fixed(perRepair.writeUnits, 1)} write units (a callback's save) and about ${fixed(perRepair.ms, 1)} ms to its run,
${usd(dynamoUsd(perRepair) * 1e6)} a million in DynamoDB. dynalite reports no unit for a query that finds nothing, and
DynamoDB bills a read that finds nothing half a unit at least: a run's ${indexShards} queries may cost up to
${indexShards / 2} read units more than counted here when few pushes are live, ${usd(emptyQueriesUsd)} a day.
The table's share is the same for every provider: a query on each of the live index's ${indexShards} shards
and the \`observed\` item read and written. The vendor's list is not: its requests a day
(${runsPerDay} runs × requests a run) at ${liveCounts.map(group).join(' / ')} live pushes:

| provider | requests a run | list calls a day at ${liveCounts.map(group).join(' / ')} live |
| --- | --- | --- |
${providerRows.join('\n')}

Here the list is a page on the loopback; a vendor's API is a round trip of tens to hundreds of
milliseconds per request, billed as the function waits: each 100 ms a run adds ${usd(extra100)} a day at
${memoryMb} MB. A function is cold only when Lambda has let its instance go; at one run every
${defaultIntervalSeconds / 60} minutes most runs find it warm, so the warm figures are the expected cost and the cold ones its bound.
${reconcileMarkers.end}`;
}

const reconcileMarkers: SectionMarkers = {
  start: '<!-- reconcile-cost: written by bench/reconcile-cost.ts -->',
  end: '<!-- reconcile-cost end -->',
};

/** BENCHMARKS.md with its reconciliation cost section replaced (or added). */
export const withReconcileCostSection = (markdown: string, section: string) =>
  withSection(markdown, reconcileMarkers, section);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const engine = await startEngine();
  try {
    const cost = await measureReconcileCost(
      engine,
      configuredMemorySize(),
      values.quick ? quickSettings : fullSettings,
      (text) => process.stderr.write(`${text}\n`),
    );
    const section = reconcileCostSection(cost);
    if (values.quick) console.log(section);
    else {
      const file = join(repo, 'BENCHMARKS.md');
      writeFileSync(file, withReconcileCostSection(readFileSync(file, 'utf8'), section));
      process.stderr.write('wrote the reconciliation cost section of BENCHMARKS.md\n');
    }
  } finally {
    engine.close();
  }
}
