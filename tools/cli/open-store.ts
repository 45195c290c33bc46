import { existsSync } from 'node:fs';
import type { Env } from '../../shared/config';
import { createDynamoClient } from '../../shared/store/dynamo-store';
import { ensureTable, localStoreClient, startEmbeddedStore } from '../local/embedded-store';
import { localSettings, runningServer } from '../local/settings';
import { createDynamoStore, readLegacyIndexesSetting, type StoreReader } from '../../shared/store/reader';

/** What the CLI's read commands use of a store. */
export type CliReader = Pick<StoreReader, 'readStream' | 'listLiveStreams' | 'listStreams' | 'listEvents'>;

/** A store to read from, what to call it in messages, and how to let it go. */
export interface OpenedStore {
  reader: CliReader;
  where: string;
  close(): Promise<void>;
}

/** Whether a DynamoDB endpoint answers. */
async function answers(endpoint: string): Promise<boolean> {
  try {
    await localStoreClient(endpoint).send('ListTables', {}, { abortSignal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * With `url`, a read API (a deployed stage's, signed with the usual AWS credentials, or
 * npm start's `/api`). With `table`, a real DynamoDB table through the usual AWS
 * credentials and region.
 * Otherwise the local store, found as `npm start` left it: the endpoint in
 * `LIVEHOOKS_STORE_URL`, else the one a running `npm start` recorded in its data folder,
 * else `LIVEHOOKS_STORE_PORT`'s; when none answers, the data folder itself, opened for the
 * length of one command. Each way loads its own modules, and none the AWS SDK but `--table`.
 */
export async function openStore(table: string | undefined, env: Env, url?: string): Promise<OpenedStore> {
  if (url) {
    const { apiReader } = await import('./api-client');
    return { reader: apiReader(url), where: `the read API at ${url}`, close: async () => {} };
  }
  if (table) {
    const { userAwsOptions } = await import('./user-aws');
    const client = createDynamoClient(await userAwsOptions());
    return {
      reader: createDynamoStore({ tableName: table, client, readLegacyIndexes: readLegacyIndexesSetting(env) }),
      where: `DynamoDB table ${table}`,
      close: async () => {},
    };
  }
  const settings = localSettings(env);
  const running = runningServer(settings.dataDir);
  const endpoint = env.LIVEHOOKS_STORE_URL || running?.store || `http://127.0.0.1:${settings.storePort}`;
  if (await answers(endpoint)) {
    return {
      reader: createDynamoStore({ tableName: settings.tableName, client: localStoreClient(endpoint) }),
      where: `the local store at ${endpoint}`,
      close: async () => {},
    };
  }
  if (running) {
    throw new Error(
      `npm start (pid ${running.pid}) holds ${settings.dataDir} but its store at ${endpoint} does not answer; restart it`,
    );
  }
  if (!existsSync(settings.dataDir)) {
    throw new Error(
      `no local store at ${endpoint} and no data in ${settings.dataDir}: run \`npm start\` first (with the same .env), or pass --table`,
    );
  }
  const embedded = await startEmbeddedStore({ dataDir: settings.dataDir });
  const client = localStoreClient(embedded.endpoint);
  await ensureTable(client, settings.tableName);
  return {
    reader: createDynamoStore({ tableName: settings.tableName, client }),
    where: `the local data in ${settings.dataDir}`,
    close: () => embedded.close(),
  };
}
