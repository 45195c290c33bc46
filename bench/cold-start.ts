/**
 * Cold starts: fresh Node processes, each answering one signed callback against the
 * engine, timed from the parent's spawn() to the answer line on the child's stdout (so
 * process creation and Node's own start-up are in every figure). Per round, one process
 * of every kind runs, in a shuffled order: each function, today's floors with the AWS SDK
 * (load its DynamoDB client, one PutItem; and two PutItems at once, as a start writes its
 * event and its stream's state), the floors with the functions' own client (load it, the
 * same two PutItems at once; and today's store protocol: a read, then two puts in turn)
 * and the reference peer. A function's ratio is its time over a
 * floor's in the same round; the table shows the median ratio and its quartiles.
 */
import { spawn } from 'node:child_process';
import { buildRecord, streamKeyOf } from '../shared/record';
import { eventItemOf, stateItemOf } from '../shared/store/table';
import { benchKey, providerEnv, providerNames, signedCallback, type ProviderName } from './lib/callbacks';
import type { Bundle } from './lib/bundles';
import { toItem, type Engine } from './lib/engine';
import { median, spread, type Spread } from './lib/stats';

const invokeChild = new URL('./cold/invoke.cjs', import.meta.url).pathname;
const floorChild = new URL('./cold/floor.cjs', import.meta.url).pathname;

/** What one process reported: wall time seen by the parent, its own time since start, and its peak resident set. */
export interface Run {
  wallMs: number;
  ownMs: number;
  maxRssKb?: number;
  /** CPU time (user and system) until the answer, and until the bundle was loaded. */
  cpuMs?: number;
  loadCpuMs?: number;
}

/** Runs `script` in a fresh Node process with `env` (and `flags`), and takes the report it prints. */
export function runChild(script: string, env: Record<string, string>, flags: readonly string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...flags, script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let done = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^BENCH (.*)$/m.exec(out);
      if (!line || done) return;
      done = true;
      const wallMs = performance.now() - started;
      const { ms, status, body, ...more } = JSON.parse(line[1]!) as Omit<Run, 'wallMs' | 'ownMs'> & {
        ms: number;
        status: number;
        body?: string;
      };
      if (status !== 200) reject(new Error(`${script}: answered ${status} ${body ?? ''}`));
      else resolve({ wallMs, ownMs: ms, ...more });
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      if (!done) reject(new Error(`${script} exited with ${code}: ${err}`));
    });
  });
}

/** The environment of a Lambda function pointed at the engine: nothing of the bench's own. */
export function lambdaEnv(engine: Engine): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LIVEHOOKS_TABLE: engine.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: engine.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    // As Lambda sets it: the functions then write their metrics, as deployed.
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
  };
}

/** The event item a tencent start is stored as, and its stream's state item: what the floors write. */
export function floorItems(stream: string, nowSec: number) {
  const callback = signedCallback('tencent', stream, nowSec);
  const record = buildRecord(
    {
      kind: 'start',
      domain: 'push.example.com',
      app: 'live',
      stream,
      sessionId: String(nowSec),
      occurredAtMs: nowSec * 1000,
      clientIp: '127.0.0.1',
      node: '127.0.0.1',
      params: { from: 'livehooks-cli' },
    },
    {
      provider: 'tencent',
      streamKey: streamKeyOf('tencent', { domain: 'push.example.com', app: 'live', stream }),
      raw: callback.request.body!,
      receivedAtMs: nowSec * 1000,
    },
  );
  return { event: toItem(eventItemOf(record, undefined)), state: toItem(stateItemOf(record, false)) };
}

export interface ColdResult {
  rounds: number;
  /** Today's floor: the AWS SDK's DynamoDB client and one write. */
  floor: Spread;
  /** Today's floor that makes two writes at once (a start's event and state). */
  twoWriteFloor: Spread;
  /** The floor with the functions' own client (shared/aws/), two writes at once. */
  lightFloor: Spread;
  /** The same client making today's store protocol's requests in turn: read, put, put. */
  protocolFloor: Spread;
  /**
   * Per function: its wall times, and its ratio to the floor (today's, its two-write one,
   * and the light client's) of the same round.
   */
  functions: Record<
    ProviderName,
    { ms: Spread; ratio: Spread; twoWriteRatio: Spread; lightRatio: Spread; protocolRatio: Spread }
  >;
  peer: { ms: Spread; ratio: Spread };
  /** Per function: its time over the peer's in the same round. */
  versusPeer: Record<ProviderName, Spread>;
  /** Median time from the child's own origin to the answer, for comparison with the wall times. */
  ownMedianMs: Record<string, number>;
  /** Per function, median CPU time of its cold start: until the answer, and until its bundle was loaded. */
  cpu: Record<ProviderName, { ms: number; loadMs: number }>;
}

/** Runs `rounds` rounds; each has one process per function, per floor and for the peer. */
export async function measureColdStarts(
  engine: Engine,
  bundles: Record<ProviderName, Bundle>,
  rounds: number,
  onProgress: (round: number) => void = () => {},
): Promise<ColdResult> {
  const base = lambdaEnv(engine);
  const kinds = ['floor', 'twoWriteFloor', 'lightFloor', 'protocolFloor', 'peer', ...providerNames] as const;
  const wall: Record<string, number[]> = Object.fromEntries(kinds.map((kind) => [kind, []]));
  const own: Record<string, number[]> = Object.fromEntries(kinds.map((kind) => [kind, []]));
  const cpu: Record<string, { ms: number[]; loadMs: number[] }> = Object.fromEntries(
    providerNames.map((name) => [name, { ms: [], loadMs: [] }]),
  );
  const run = async (kind: (typeof kinds)[number], round: number) => {
    const nowSec = Math.floor(Date.now() / 1000);
    const stream = `cold-${round}-${kind}`;
    let result: Run;
    if (kind === 'lightFloor' || kind === 'protocolFloor') {
      const { event, state } = floorItems(stream, nowSec);
      result = await runChild(bundles[kind]!.path, {
        ...base,
        BENCH_ITEM: JSON.stringify(event),
        BENCH_STATE_ITEM: JSON.stringify(state),
      });
    } else if (kind === 'floor' || kind === 'twoWriteFloor') {
      const { event, state } = floorItems(stream, nowSec);
      result = await runChild(floorChild, {
        ...base,
        BENCH_ITEM: JSON.stringify(event),
        ...(kind === 'twoWriteFloor' ? { BENCH_STATE_ITEM: JSON.stringify(state) } : {}),
      });
    } else if (kind === 'peer') {
      result = await runChild(invokeChild, {
        ...base,
        BENCH_BUNDLE: bundles.peer!.path,
        BENCH_EVENT: JSON.stringify(signedCallback('tencent', stream, nowSec).event),
        IDEMPOTENCY_TABLE: engine.idempotencyTable,
        TENCENT_KEY: benchKey,
        POWERTOOLS_SERVICE_NAME: 'tencent-callbacks',
      });
    } else {
      result = await runChild(invokeChild, {
        ...base,
        ...providerEnv(kind),
        BENCH_BUNDLE: bundles[kind]!.path,
        BENCH_EVENT: JSON.stringify(signedCallback(kind, stream, nowSec).event),
      });
    }
    wall[kind]!.push(result.wallMs);
    own[kind]!.push(result.ownMs);
    const cpuOf = cpu[kind];
    if (cpuOf && result.cpuMs !== undefined) {
      cpuOf.ms.push(result.cpuMs);
      cpuOf.loadMs.push(result.loadCpuMs!);
    }
  };

  // One unrecorded round first: the engine and the file cache warm up for everyone.
  for (const kind of kinds) await run(kind, -1);
  for (const kind of kinds) {
    wall[kind]!.length = 0;
    own[kind]!.length = 0;
  }
  for (const name of providerNames) {
    cpu[name]!.ms.length = 0;
    cpu[name]!.loadMs.length = 0;
  }
  for (let round = 0; round < rounds; round += 1) {
    const order = [...kinds].sort(() => Math.random() - 0.5);
    for (const kind of order) await run(kind, round);
    onProgress(round + 1);
  }

  const ratios = (kind: string, to: string) => wall[kind]!.map((ms, round) => ms / wall[to]![round]!);
  return {
    rounds,
    floor: spread(wall.floor!),
    twoWriteFloor: spread(wall.twoWriteFloor!),
    lightFloor: spread(wall.lightFloor!),
    protocolFloor: spread(wall.protocolFloor!),
    functions: Object.fromEntries(
      providerNames.map((name) => [
        name,
        {
          ms: spread(wall[name]!),
          ratio: spread(ratios(name, 'floor')),
          twoWriteRatio: spread(ratios(name, 'twoWriteFloor')),
          lightRatio: spread(ratios(name, 'lightFloor')),
          protocolRatio: spread(ratios(name, 'protocolFloor')),
        },
      ]),
    ),
    peer: { ms: spread(wall.peer!), ratio: spread(ratios('peer', 'floor')) },
    versusPeer: Object.fromEntries(providerNames.map((name) => [name, spread(ratios(name, 'peer'))])),
    ownMedianMs: Object.fromEntries(kinds.map((kind) => [kind, median(own[kind]!)])),
    cpu: Object.fromEntries(
      providerNames.map((name) => [name, { ms: median(cpu[name]!.ms), loadMs: median(cpu[name]!.loadMs) }]),
    ),
  };
}
