/** The benchmarks' engines, each in a process of its own: dynalite with the livehooks table, and local-aws-sqs. */
import { CreateTableCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { ensureTable, localStoreClient } from '../../tools/local/embedded-store';
import { localClient } from '../../tools/local/sdk-clients';

export interface Engine {
  endpoint: string;
  /** The livehooks table, as `ensureTable` makes it. */
  tableName: string;
  /** The reference peer's Powertools idempotency table (partition key `id`). */
  idempotencyTable: string;
  close(): void;
}

/**
 * Runs one of the engine scripts here in a process of its own, as a remote service would be:
 * the benchmarks' clients never share its event loop. It prints its port, and ends when its
 * stdin does.
 */
async function startHost(script: string): Promise<{ endpoint: string; close: () => void }> {
  const host = spawn(process.execPath, [new URL(script, import.meta.url).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    host.stdout.once('data', (chunk: Buffer) => resolve(String(chunk).trim()));
    host.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, close: () => host.stdin.end() };
}

/** The benchmarks' SQS engine: local-aws-sqs in its own process. */
export const startQueueEngine = (): Promise<QueueEngine> => startHost('./sqs-host.mjs');

/** An SQS-compatible engine. */
export interface QueueEngine {
  endpoint: string;
  close(): void;
}

export async function startEngine(): Promise<Engine> {
  const { endpoint, close } = await startHost('./dynalite-host.mjs');
  const client = localClient(endpoint);
  const tableName = 'livehooks';
  const idempotencyTable = 'peer-idempotency';
  await ensureTable(localStoreClient(endpoint), tableName);
  await client.send(
    new CreateTableCommand({
      TableName: idempotencyTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  client.destroy();
  return { endpoint, tableName, idempotencyTable, close };
}

/** A plain object as DynamoDB attribute values: strings, numbers, booleans and maps of them. */
export function toItem(object: Record<string, unknown>): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(object)) {
    if (value === undefined) continue;
    if (typeof value === 'string') item[name] = { S: value };
    else if (typeof value === 'number') item[name] = { N: String(value) };
    else if (typeof value === 'boolean') item[name] = { BOOL: value };
    else item[name] = { M: toItem(value as Record<string, unknown>) };
  }
  return item;
}
