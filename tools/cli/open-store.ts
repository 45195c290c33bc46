import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { existsSync } from 'node:fs';
import { ensureTable, localClient, startEmbeddedStore } from '../local/embedded-store';
import type { Env } from '../../shared/config';
import { localSettings } from '../local/settings';
import { createDynamoStore, type StoreReader } from '../store-reader';

/** A store to read from, what to call it in messages, and how to let it go. */
export interface OpenedStore {
  reader: StoreReader;
  where: string;
  close(): Promise<void>;
}


/**
 * With `table`, a real DynamoDB table through the usual AWS credentials and region.
 * Otherwise the local store: the one `npm start` is running, or, when it is not running,
 * its data folder opened for the length of one command.
 */
export async function openStore(table: string | undefined, env: Env): Promise<OpenedStore> {
  if (table) {
    return { reader: createDynamoStore({ tableName: table }), where: `DynamoDB table ${table}`, close: async () => {} };
  }
  const settings = localSettings(env);
  const running = env.LIVEHOOKS_STORE_URL || `http://127.0.0.1:${settings.storePort}`;
  const client = localClient(running);
  try {
    await client.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(1000) });
    return {
      reader: createDynamoStore({ tableName: settings.tableName, client }),
      where: `the local store at ${running}`,
      close: async () => {},
    };
  } catch {
    if (!existsSync(settings.dataDir)) {
      throw new Error(
        `no local store at ${running} and no data in ${settings.dataDir}: run \`npm start\` first, or pass --table`,
      );
    }
  }
  const embedded = await startEmbeddedStore({ dataDir: settings.dataDir });
  const embeddedClient = localClient(embedded.endpoint);
  await ensureTable(embeddedClient, settings.tableName);
  return {
    reader: createDynamoStore({ tableName: settings.tableName, client: embeddedClient }),
    where: `the local data in ${settings.dataDir}`,
    close: () => embedded.close(),
  };
}
