import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  GetItemCommand,
  type PutItemCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { Worker } from 'node:worker_threads';
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
 * A client for a local engine: any credentials do, the region is fixed. dynalite does not
 * hand the item back when a put's condition fails (`ReturnValuesOnConditionCheckFailure`),
 * as DynamoDB does and the store relies on for a duplicate's event: this client reads it
 * then, so the deployed code needs no second path for the local engine.
 */
export function localClient(endpoint: string): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const input = args.input as PutItemCommandInput;
        const wanted =
          context.commandName === 'PutItemCommand' && input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD';
        if (!wanted || !(error instanceof ConditionalCheckFailedException) || error.Item) throw error;
        const key = { pk: input.Item!.pk!, sk: input.Item!.sk! };
        const { Item } = await client.send(
          new GetItemCommand({ TableName: input.TableName, Key: key, ConsistentRead: true }),
        );
        throw Object.assign(error, Item ? { Item } : {});
      }
    },
    { step: 'initialize', name: 'itemOnConditionFailure' },
  );
  return client;
}

/** Creates the livehooks table unless it exists, and waits until it is active. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  }
  while ((await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
