import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tableDefinition } from '../../shared/store/table';

/** A DynamoDB-compatible engine (dynalite) running in this process. */
export interface EmbeddedStore {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite on loopback. With `dataDir` its data lives in that folder (LevelDB) and
 * survives restarts; without, it is in memory. dynalite is a development dependency, so it
 * is loaded only here, never in a deployed function.
 */
export async function startEmbeddedStore(options: { dataDir?: string; port?: number } = {}): Promise<EmbeddedStore> {
  const { default: dynalite } = await import('dynalite');
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const server = dynalite({ path: options.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // Node closes a keep-alive connection after 5 s idle by default, and a client that reuses
  // it at that moment gets "socket hang up" (seen as a 503 under the fuzz tests' load).
  // DynamoDB keeps idle connections far longer; so does this engine.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A client for a local engine: any credentials do, the region is fixed. */
export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
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
