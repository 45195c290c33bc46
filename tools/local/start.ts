/**
 * `npm start`: the local receiver. An embedded dynalite keeps its data in `.livehooks/`,
 * and every provider's real handler answers on http://127.0.0.1:$PORT/<provider>, fed the
 * exact Function URL event AWS would send.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { credentialVariables, envPrefix } from '../../shared/config';
import { createHandler } from '../../shared/handler';
import { providers } from '../providers';
import { createDynamoStore } from '../store-reader';
import { ensureTable, localClient, startEmbeddedStore } from './embedded-store';
import { createFunctionUrlServer } from './function-url-server';
import { localSettings } from './settings';

if (existsSync('.env')) process.loadEnvFile('.env');
const settings = localSettings(process.env);

const store = await startEmbeddedStore({ dataDir: settings.dataDir, port: settings.storePort }).catch(
  (error: Error) => {
    console.error(`livehooks: cannot start the local store on 127.0.0.1:${settings.storePort} (${error.message}).`);
    console.error('Is another `npm start` running? Set LIVEHOOKS_STORE_PORT to use another port.');
    process.exit(1);
  },
);
const client = localClient(store.endpoint);
await ensureTable(client, settings.tableName);

const lines: [name: string, checks: string][] = [];
const routes = Object.fromEntries(
  Object.entries(providers).map(([name, { adapter }]) => {
    const prefix = envPrefix(name);
    const env = { ...process.env };
    const configured = [
      env[`${prefix}KEYS`] && `${env[`${prefix}KEYS`]!.split(',').length} key(s)`,
      env[`${prefix}TOKENS`] && `${env[`${prefix}TOKENS`]!.split(',').length} token(s)`,
    ].filter(Boolean);
    // Locally, a provider with nothing configured accepts unchecked callbacks, and says so;
    // a deployed function refuses them instead.
    if (configured.length === 0 && !env[`${prefix}AUTH`]) env[`${prefix}AUTH`] = 'off';
    const checks =
      env[`${prefix}AUTH`]?.toLowerCase() === 'off'
        ? `checks OFF (set ${credentialVariables(name, adapter.signed)} to turn them on)`
        : `checks on: ${configured.join(', ') || 'nothing configured'}`;
    lines.push([name, checks]);
    return [name, createHandler(adapter, { env, store: createDynamoStore({ tableName: settings.tableName, client }) })];
  }),
);

const server = createFunctionUrlServer(routes);
server.listen(settings.port, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log('livehooks local receiver');
  console.log(`  store    ${store.endpoint}  (dynalite, table ${settings.tableName}, data in ${settings.dataDir})`);
  for (const [name, checks] of lines) console.log(`  ${name.padEnd(8)} http://127.0.0.1:${port}/${name}  ${checks}`);
  console.log('Ctrl-C stops it; `npx livehooks streams` shows what it stored.');
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void store.close().then(() => process.exit(0));
  });
}
