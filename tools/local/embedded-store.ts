import { Worker } from 'node:worker_threads';
import type { AwsClientOptions, AwsRequest, Transport } from '../../shared/aws/core';
import { createDynamoClient, type DynamoClient, type Item } from '../../shared/aws/dynamodb';
import { tableDefinition } from '../../shared/store/table';

/** A DynamoDB-compatible engine (dynalite) running in this process. */
export interface EmbeddedStore {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite on loopback, in a worker thread of its own (`dynalite-worker.mjs`). With
 * `dataDir` its data lives in that folder (LevelDB) and survives restarts; without, it is in
 * memory. dynalite is a development dependency, so it is loaded only here, never in a
 * deployed function. Rejects with the listen error (its `code`, `EADDRINUSE` for a port in use).
 */
export async function startEmbeddedStore(options: { dataDir?: string; port?: number } = {}): Promise<EmbeddedStore> {
  const worker = new Worker(new URL('./dynalite-worker.mjs', import.meta.url), {
    workerData: { dataDir: options.dataDir, port: options.port ?? 0 },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { port?: number; error?: { code?: string; message: string } }) => {
      if (message.port !== undefined) return resolve(message.port);
      void worker.terminate();
      reject(Object.assign(new Error(message.error!.message), { code: message.error!.code }));
    });
  });
  // The engine does not keep this process alive: npm start's HTTP server and the tests do.
  worker.unref();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
      await worker.terminate();
    },
  };
}

/**
 * The deployed functions' client (shared/aws/dynamodb.ts) for a local engine, as
 * sdk-clients.ts's `localClient` is the SDK's: any credentials, a fixed region, one attempt, and
 * patience for an engine on a busy machine. dynalite does not hand the item back when a
 * put's condition fails (`ReturnValuesOnConditionCheckFailure`), as DynamoDB does and the
 * store relies on for a duplicate's event: this client reads it then, so the deployed code
 * needs no second path for the local engine.
 *
 * @param layer - around each request (tests put faults here), outside the reading back
 */
export function localStoreClient(endpoint: string, layer?: AwsClientOptions['layer']): DynamoClient {
  const options = {
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    attemptTimeoutMs: 60_000,
  };
  const reader = createDynamoClient(options);
  const handingBack = async (request: AwsRequest, send: Transport) => {
    const answer = await send(request);
    return { ...answer, body: await withOldItem(request.body, answer.status, answer.body, reader) };
  };
  return createDynamoClient({
    ...options,
    layer: layer ? (request, send) => layer(request, (inner) => handingBack(inner, send)) : handingBack,
  });
}

/**
 * The answer's body, with the item as it stands added when it is a PutItem's failed
 * condition that asked for `ReturnValuesOnConditionCheckFailure: ALL_OLD` and the engine
 * did not hand the item back: read through `reader`, as DynamoDB hands it back.
 */
export async function withOldItem(requestBody: string, status: number, body: string, reader: DynamoClient) {
  if (status !== 400 || !body.includes('ConditionalCheckFailedException')) return body;
  const input = JSON.parse(requestBody || '{}') as {
    TableName?: string;
    Item?: Item;
    ReturnValuesOnConditionCheckFailure?: string;
  };
  const answer = JSON.parse(body) as { Item?: Item };
  if (input.ReturnValuesOnConditionCheckFailure !== 'ALL_OLD' || !input.Item || answer.Item) return body;
  const key = { pk: input.Item.pk!, sk: input.Item.sk! };
  const { Item } = await reader.send('GetItem', { TableName: input.TableName, Key: key, ConsistentRead: true });
  return Item ? JSON.stringify({ ...answer, Item }) : body;
}

/** Creates the livehooks table unless it exists, and waits until it is active. */
export async function ensureTable(client: DynamoClient, tableName: string): Promise<void> {
  try {
    await client.send('DescribeTable', { TableName: tableName });
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    await client.send('CreateTable', tableDefinition(tableName));
  }
  while ((await client.send('DescribeTable', { TableName: tableName })).Table?.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
