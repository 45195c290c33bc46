/**
 * Local end-to-end throughput: `npm start` (every handler and its embedded dynalite in one
 * process, as a developer runs it) over real HTTP, fed signed callbacks by this process
 * with fetch at a bounded concurrency. Every callback is a new stream's start, every
 * provider in turn; every answer must be a 200. In rounds, each followed by the ceiling its
 * engine sets: as many PutItems, straight to that engine, at the same concurrency.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { localClient } from '../tools/local/sdk-clients';
import { startLocalServer } from '../test/support/local-server';
import { providerEnv, providerNames, signedCallback } from './lib/callbacks';
import { versionOf } from './lib/nodes';
import { median, quantile } from './lib/stats';

/** One round: callbacks per second, then the engine's bare PutItems per second just after. */
export interface ThroughputRound {
  perSecond: number;
  putsPerSecond: number;
}

export interface ThroughputResult {
  /** The Node.js version the server ran on. */
  node: string;
  callbacks: number;
  concurrency: number;
  rounds: ThroughputRound[];
  /** Callbacks per second, the median of the rounds'. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** A bare PutItem loop against the same engine at the same concurrency (the ceiling), the median of the rounds'. */
  putsPerSecond: number;
  /**
   * While the callbacks ran, the server's threads' CPU time over the wall time, in percent of
   * one core: its main thread (HTTP, handlers, the AWS SDK's clients, the queue engine), the
   * engine's worker thread, and V8's helper threads (garbage collection, compilation).
   * Read from /proc; empty where there is none.
   */
  threadsBusy: Record<string, number>;
}

/**
 * Runs `npm start` on `node` (by default this process's) and sends `callbacks` new streams'
 * starts at `concurrency` in flight, in `rounds`, each followed by the engine's PutItem
 * ceiling measured with as many PutItems.
 */
export async function measureThroughput(
  callbacks: number,
  concurrency: number,
  rounds: number,
  node = process.execPath,
): Promise<ThroughputResult> {
  const env = Object.assign({}, ...providerNames.map(providerEnv)) as Record<string, string>;
  // npm start runs the first `node` on PATH.
  const server = await startLocalServer({ ...env, PATH: `${dirname(node)}:${process.env.PATH ?? ''}` });
  try {
    const send = async (index: number) => {
      const provider = providerNames[index % providerNames.length]!;
      const { request, pathAndQuery } = signedCallback(
        provider,
        `http-${index}-${Date.now()}`,
        Math.floor(Date.now() / 1000),
      );
      const started = performance.now();
      const response = await fetch(`${server.baseUrl}${pathAndQuery}`, {
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${provider}: ${response.status} ${text}`);
      return performance.now() - started;
    };
    // Warm-up: the server's first callbacks compile its code paths.
    for (let index = 0; index < 60; index += 1) await send(index);

    /** `count` requests, `concurrency` in flight, each from `request(index)`; their seconds. */
    const inFlight = async (count: number, request: (index: number) => Promise<unknown>) => {
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) await request(next++);
        }),
      );
      return (performance.now() - started) / 1000;
    };
    const client = localClient(server.storeUrl);
    const latencies: number[] = [];
    const ticks: Record<string, number> = {};
    const perRound = Math.ceil(callbacks / rounds);
    const results: ThroughputRound[] = [];
    let sent = 60;
    let seconds = 0;
    // Rounds of callbacks, each followed by as many bare PutItems: the engine's ceiling is
    // taken next to the callbacks it is set against (it moves by a third between runs).
    try {
      for (let round = 0; round < rounds; round += 1) {
        const before = threadTicks(server.processGroup);
        const callbackSeconds = await inFlight(perRound, async () => latencies.push(await send(sent++)));
        for (const [name, after] of Object.entries(threadTicks(server.processGroup))) {
          ticks[name] = (ticks[name] ?? 0) + after - (before[name] ?? 0);
        }
        const putSeconds = await inFlight(perRound, (index) =>
          client.send(
            new PutItemCommand({
              TableName: 'livehooks',
              Item: { pk: { S: `ceiling#${round}#${index}` }, sk: { S: 'event#x' }, raw: { S: ''.padEnd(400, ' ') } },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        );
        seconds += callbackSeconds;
        results.push({ perSecond: perRound / callbackSeconds, putsPerSecond: perRound / putSeconds });
      }
    } finally {
      client.destroy();
    }
    return {
      node: versionOf(node),
      threadsBusy: Object.fromEntries(
        Object.entries(ticks).map(([name, busy]) => [name, (busy / ticksPerSecond / seconds) * 100]),
      ),
      callbacks: perRound * rounds,
      concurrency,
      rounds: results,
      perSecond: median(results.map((round) => round.perSecond)),
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      putsPerSecond: median(results.map((round) => round.putsPerSecond)),
    };
  } finally {
    server.stop();
  }
}

const ticksPerSecond = 100; // USER_HZ, 100 on Linux

/**
 * CPU ticks (user and system) of every thread in a process group, summed by thread name. The
 * busy ones are the server's node (npm and tsx's loader only wait), whose threads Node 24
 * names MainThread, WorkerThread (the engine), V8Worker (V8's helpers) and libuv-worker.
 */
function threadTicks(processGroup: number): Record<string, number> {
  const ticks: Record<string, number> = {};
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((pid) => /^\d+$/.test(pid));
  } catch {
    return ticks;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the name: state, ppid, pgrp, …; utime and stime are the 14th and 15th.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== processGroup) continue;
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        const taskStat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
        const name = taskStat.slice(taskStat.indexOf('(') + 1, taskStat.lastIndexOf(')'));
        const fields = taskStat.slice(taskStat.lastIndexOf(')') + 2).split(' ');
        ticks[name] = (ticks[name] ?? 0) + Number(fields[11]) + Number(fields[12]);
      }
    } catch {
      // A process that ended meanwhile.
    }
  }
  return ticks;
}
