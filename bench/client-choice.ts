/**
 * The choice of the callback path's AWS client, measured: the AWS SDK's DynamoDB client
 * (today's), `@aws-lite/client` with its DynamoDB plugin, aws4fetch (SigV4 by WebCrypto)
 * over Node's `fetch`, and the functions' own client (shared/aws/: SigV4 by `aws4` over
 * Node's `http`). Each loads in a fresh process and sends a start's two PutItems together
 * (bench/cold/floor.cjs, aws-lite-floor.ts, aws4fetch-floor.ts, light-floor.ts),
 * in rounds of one process each in a shuffled order; a client's ratio is its time over the
 * SDK's in the same round. Then, one process each, 1,000 more pairs one after another
 * under the heap limits Lambda sets for 128 MB, for the peak resident set.
 */
import { floorItems, lambdaEnv, runChild } from './cold-start';
import { buildBundle, type Bundle } from './lib/bundles';
import type { Engine } from './lib/engine';
import { lambdaHeapFlags } from './memory';
import { spread, type Spread } from './lib/stats';

const sdkFloor = new URL('./cold/floor.cjs', import.meta.url).pathname;

/** The candidates, in the order the tables list them. */
export const candidates = ['sdk', 'awsLite', 'aws4fetch', 'light'] as const;
export type Candidate = (typeof candidates)[number];

/** One candidate's figures. */
export interface CandidateFigures {
  /** Its code, minified (the SDK's as if bundled: Lambda's runtime has it, but it is loaded all the same). */
  bundleBytes: number;
  gzipBytes: number;
  coldMs: Spread;
  /** Its cold start over the SDK's, in the same round. */
  ratioToSdk: Spread;
  /** Peak resident set after the cold pair and `writes` more, heap limits of 128 MB. */
  peakRssMb: number;
}

export interface ClientChoiceResult {
  rounds: number;
  writes: number;
  clients: Record<Candidate, CandidateFigures>;
}

/** The two candidate floors other than the SDK's, bundled as the functions are. */
export async function buildCandidateFloors(): Promise<Record<Exclude<Candidate, 'sdk'>, Bundle>> {
  return {
    light: await buildBundle('floor-light', 'bench/cold/light-floor.ts'),
    awsLite: await buildBundle('floor-aws-lite', 'bench/cold/aws-lite-floor.ts'),
    aws4fetch: await buildBundle('floor-aws4fetch', 'bench/cold/aws4fetch-floor.ts'),
  };
}

/** Measures the three clients: `rounds` cold rounds, then one process each for memory. */
export async function measureClientChoice(
  engine: Engine,
  floors: Record<Exclude<Candidate, 'sdk'>, Bundle>,
  rounds: number,
  writes: number,
  onProgress: (round: number) => void = () => {},
): Promise<ClientChoiceResult> {
  const sdkInlined = await buildBundle('floor-sdk-inlined', 'bench/cold/floor.cjs', []);
  const scripts: Record<Candidate, string> = {
    sdk: sdkFloor,
    awsLite: floors.awsLite.path,
    aws4fetch: floors.aws4fetch.path,
    light: floors.light.path,
  };
  const base = lambdaEnv(engine);
  const envOf = (candidate: Candidate, round: number | string, extra: Record<string, string> = {}) => {
    const { event, state } = floorItems(`choice-${round}-${candidate}`, Math.floor(Date.now() / 1000));
    return { ...base, BENCH_ITEM: JSON.stringify(event), BENCH_STATE_ITEM: JSON.stringify(state), ...extra };
  };
  const wall = Object.fromEntries(candidates.map((candidate) => [candidate, []])) as unknown as Record<
    Candidate,
    number[]
  >;
  // One unrecorded round first: the engine and the file cache warm up for everyone.
  for (const candidate of candidates) await runChild(scripts[candidate], envOf(candidate, 'warm-up'));
  for (let round = 0; round < rounds; round++) {
    const order = [...candidates].sort(() => Math.random() - 0.5);
    for (const candidate of order)
      wall[candidate].push((await runChild(scripts[candidate], envOf(candidate, round))).wallMs);
    onProgress(round + 1);
  }
  const peak: Record<string, number> = {};
  for (const candidate of candidates) {
    const run = await runChild(
      scripts[candidate],
      envOf(candidate, 'memory', { BENCH_WRITES: String(writes) }),
      lambdaHeapFlags(128),
    );
    peak[candidate] = run.maxRssKb! / 1024;
  }
  const sizes: Record<Candidate, Bundle> = { sdk: sdkInlined, ...floors };
  const clients = Object.fromEntries(
    candidates.map((candidate) => [
      candidate,
      {
        bundleBytes: sizes[candidate].bytes,
        gzipBytes: sizes[candidate].gzipBytes,
        coldMs: spread(wall[candidate]),
        ratioToSdk: spread(wall[candidate].map((ms, round) => ms / wall.sdk[round]!)),
        peakRssMb: peak[candidate]!,
      },
    ]),
  ) as Record<Candidate, CandidateFigures>;
  return { rounds, writes, clients };
}
