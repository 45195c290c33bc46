/**
 * What a million callbacks cost: DynamoDB request units and Lambda GB-seconds, per vendor
 * and for the peer, at AWS's public prices (below, with where they come from).
 *
 * Request units: every DynamoDB call of the process asks the engine for its consumed
 * capacity (`ReturnConsumedCapacity: TOTAL`; dynalite sizes items by DynamoDB's rules, and a
 * test checks it on one known item), and each write adds, by DynamoDB's published rules,
 * one unit per index entry it puts, changes or removes (every projection here is under
 * 1 KB), which dynalite leaves out. Lambda: the callback's measured duration, rounded up to
 * the millisecond as Lambda bills, at the configured memory, plus the request charge.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createRequire } from 'node:module';
import type { DynamoClient } from '../shared/aws/dynamodb';
import { createDynamoClient, createDynamoEventStore } from '../shared/store/dynamo-store';
import type { Bundle } from './lib/bundles';
import {
  accepted,
  benchHandler,
  benchKey,
  lambdaContext,
  providerEnv,
  signedCallback,
  type ProviderName,
} from './lib/callbacks';
import type { Engine } from './lib/engine';

/**
 * Prices, us-east-1, as published by AWS on aws.amazon.com/dynamodb/pricing/on-demand and
 * aws.amazon.com/lambda/pricing, read on 2026-11-30: DynamoDB on-demand after its November
 * 2024 reduction, Lambda on arm64 (serverless.yml's architecture).
 */
export const prices = {
  date: '2026-11-30',
  writeRequestUnit: 0.625 / 1e6,
  readRequestUnit: 0.125 / 1e6,
  gbSecond: 0.0000133334,
  request: 0.2 / 1e6,
} as const;

/** One callback's cost, averaged over a start and a stop. */
export interface CostResult {
  writeUnits: number;
  readUnits: number;
  ms: number;
  /** US dollars per million callbacks: DynamoDB, Lambda, and both. */
  dynamoUsd: number;
  lambdaUsd: number;
  totalUsd: number;
}

type Send = DynamoDBClient['send'];
/** What the count reads of any command and its output, whichever client sends it. */
type Command = { input: Record<string, unknown> };
type Output = { ConsumedCapacity?: { CapacityUnits?: number } } | undefined;
/**
 * The DynamoDB calls that report capacity, by command name: the client's own and the
 * document client's (`@aws-sdk/lib-dynamodb`, which the peer writes its record with).
 */
const writeCommands = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
]);
const readCommands = new Set(['GetItemCommand', 'QueryCommand', 'GetCommand']);

/** Index entries a write puts, changes or removes, by what its input shows (shared/store/table.ts). */
export function indexWrites(name: string, input: Record<string, unknown>): number {
  if (name === 'PutItemCommand' || name === 'PutCommand') {
    const item = (input.Item ?? {}) as Record<string, unknown>;
    // Attribute values (the client's) or plain ones (the document client's).
    const sk = ((item.sk as { S?: string } | undefined)?.S ?? item.sk) as string | undefined;
    // A state put without `liveShard` takes the stream out of the live index (it was live:
    // in this benchmark a stop always follows its start).
    const stateLeavesIndex = sk === 'state' && !item.liveShard ? 1 : 0;
    return ['recentShard', 'timeKey', 'liveShard'].filter((name) => name in item).length + stateLeavesIndex;
  }
  // A stop moved to its session changes `sessionId`, which the by-time index projects; the
  // notice is in no index.
  if (name === 'UpdateItemCommand' || name === 'UpdateCommand')
    return /sessionId/.test(String(input.UpdateExpression)) ? 1 : 0;
  return 0;
}

/** The units counted while {@link counting} runs; undefined otherwise. */
let units: { write: number; read: number } | undefined;

/** Sends one call with its consumed capacity asked for, and counts it (by its SDK command name). */
async function countedCall<T>(
  name: string,
  input: object,
  call: (input: Record<string, unknown>) => Promise<T>,
): Promise<T> {
  const isRead = readCommands.has(name);
  if (!units || (!isRead && !writeCommands.has(name))) return call({ ...input });
  const counted = units;
  const asked = { ...input, ReturnConsumedCapacity: 'TOTAL' };
  try {
    const output = await call(asked);
    const capacity = (output as Output)?.ConsumedCapacity?.CapacityUnits ?? (isRead ? 0.5 : 1);
    if (isRead) counted.read += capacity;
    else counted.write += capacity + indexWrites(name, input as Record<string, unknown>);
    return output;
  } catch (error) {
    // A write whose condition fails still costs its units (at least one).
    if (!isRead && (error as Error).name === 'ConditionalCheckFailedException') counted.write += 1;
    throw error;
  }
}

/** A client of the functions' own (shared/aws/dynamodb.ts) whose calls {@link counting} counts. */
export function countedClient(client: DynamoClient): DynamoClient {
  return {
    service: client.service,
    send: (operation, input, options) =>
      countedCall(`${operation}Command`, input, (asked) => client.send(operation, asked as never, options)),
  };
}

/**
 * Counts every DynamoDB call's units in this process while `work` runs: those of
 * {@link countedClient}s (the functions'), and the AWS SDK's (the peer's). The SDK's count
 * sits on its base client, which the DynamoDB client and the document client (a separate
 * class, not a subclass) both inherit `send` from: a document client's writes count too.
 */
export async function counting<T>(
  work: () => Promise<T>,
): Promise<{ result: T; writeUnits: number; readUnits: number }> {
  const baseClient = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: Send };
  const original: Send = baseClient.send;
  const send = original as (this: unknown, command: Command, ...rest: unknown[]) => Promise<Output>;
  baseClient.send = function (this: unknown, command: Command, ...rest: unknown[]) {
    return countedCall(command.constructor.name, command.input, (asked) => {
      // On the command's own input: the document client's middleware reads that object.
      command.input.ReturnConsumedCapacity = asked.ReturnConsumedCapacity;
      return send.call(this, command, ...rest);
    });
  } as Send;
  units = { write: 0, read: 0 };
  try {
    const result = await work();
    return { result, writeUnits: units.write, readUnits: units.read };
  } finally {
    baseClient.send = original;
    units = undefined;
  }
}

/** Lambda's dollars per million invocations of `ms` each at `memoryMb` (billed by the whole millisecond). */
export function lambdaUsdPerMillion(ms: number, memoryMb: number): number {
  return 1e6 * ((Math.ceil(ms) / 1000) * (memoryMb / 1024) * prices.gbSecond + prices.request);
}

/** Dollars per million callbacks of `units` and `ms` each, at `memoryMb`. */
function perMillion(writeUnits: number, readUnits: number, ms: number, memoryMb: number) {
  const dynamoUsd = 1e6 * (writeUnits * prices.writeRequestUnit + readUnits * prices.readRequestUnit);
  const lambdaUsd = lambdaUsdPerMillion(ms, memoryMb);
  return { dynamoUsd, lambdaUsd, totalUsd: dynamoUsd + lambdaUsd };
}

/** A provider's cost per callback over `pairs` pushes (a start and a stop each) against the engine. */
export async function measureCost(
  engine: Engine,
  provider: ProviderName,
  pairs: number,
  memoryMb: number,
): Promise<CostResult> {
  const client = countedClient(
    createDynamoClient({
      endpoint: engine.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    }),
  );
  const handler = benchHandler(provider, {
    env: { ...providerEnv(provider), LIVEHOOKS_TABLE: engine.tableName },
    store: createDynamoEventStore({ tableName: engine.tableName, client }),
  });
  const call = async (event: unknown) => {
    const answer = await handler(event, lambdaContext);
    if (!accepted(answer)) throw new Error(`${provider}: ${JSON.stringify(answer)}`);
  };
  return measure(pairs, memoryMb, (stream, kind) =>
    call(signedCallback(provider, stream, Math.floor(Date.now() / 1000), kind).event),
  );
}

/** The peer's (bench/peer/tencent.ts) cost per Tencent callback, its bundle loaded in this process. */
export async function measurePeerCost(
  engine: Engine,
  peer: Bundle,
  pairs: number,
  memoryMb: number,
): Promise<CostResult> {
  Object.assign(process.env, {
    LIVEHOOKS_TABLE: engine.tableName,
    IDEMPOTENCY_TABLE: engine.idempotencyTable,
    TENCENT_KEY: benchKey,
    AWS_ENDPOINT_URL_DYNAMODB: engine.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const { handler } = createRequire(import.meta.url)(peer.path) as {
    handler: (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
  };
  return measure(pairs, memoryMb, async (stream, kind) => {
    const answer = await handler(
      signedCallback('tencent', stream, Math.floor(Date.now() / 1000), kind).event,
      lambdaContext,
    );
    if (answer.statusCode !== 200) throw new Error(`peer: ${JSON.stringify(answer)}`);
  });
}

async function measure(
  pairs: number,
  memoryMb: number,
  send: (stream: string, kind: 'start' | 'stop') => Promise<void>,
): Promise<CostResult> {
  // Warm-up first, uncounted: the first calls load and compile.
  for (let index = 0; index < 5; index++) {
    await send(`cost-warm-${index}-${Date.now()}`, 'start');
  }
  const started = performance.now();
  const { writeUnits, readUnits } = await counting(async () => {
    for (let index = 0; index < pairs; index++) {
      const stream = `cost-${index}-${Date.now()}`;
      await send(stream, 'start');
      await send(stream, 'stop');
    }
  });
  const callbacks = pairs * 2;
  const ms = (performance.now() - started) / callbacks;
  const [write, read] = [writeUnits / callbacks, readUnits / callbacks];
  return { writeUnits: write, readUnits: read, ms, ...perMillion(write, read, ms, memoryMb) };
}
