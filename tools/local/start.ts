/**
 * `npm start`: the local receiver. An embedded dynalite keeps its data in `.livehooks/`, an
 * embedded SQS engine holds the FIFO notification queue, and every provider's real handler
 * answers on http://127.0.0.1:$PORT/<provider>, fed the exact Function URL event AWS would
 * send. Every failure is one line saying what to do.
 */
import type { AddressInfo } from 'node:net';
import { envPrefix, wholeNumberSetting } from '../../shared/config';
import { createEventHandler, createHandler } from '../../shared/handler';
import {
  apiVariable,
  createReconcileHandler,
  defaultIntervalSeconds,
  readApiCredentials,
} from '../../shared/reconcile/handler';
import { reconcilables } from '../../shared/reconcile/sources';
import { isEventBridgeAdapter } from '../../shared/provider';
import { createSqsPublisher } from '../../shared/publishers/sqs';
import { providers } from '../providers';
import { createDynamoStore } from '../../shared/store/reader';
import { createApiHandler } from '../../shared/api';
import { inspectorRoutes, sendSample } from './inspector';
import { localQueueClient, startEmbeddedQueue } from './embedded-queue';
import { ensureTable, localStoreClient, startEmbeddedStore } from './embedded-store';
import { eventBridgeRoute } from './event-bridge-route';
import { createFunctionUrlServer, type FunctionUrlHandler } from './function-url-server';
import { checksOf, startScreen } from './screen';
import {
  localEnv,
  localSettings,
  recordRunning,
  runningServer,
  startArguments,
  startOptions,
  UsageError,
  type LocalSettings,
} from './settings';

/** Says what went wrong and what to do, in one line, and stops. */
function fail(message: string): never {
  console.error(`livehooks: ${message}`);
  process.exit(1);
}

const inUse = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EADDRINUSE';

let settings: LocalSettings;
let given: Record<string, string | undefined> = {};
try {
  given = startArguments(process.argv.slice(2), process.env);
  settings = localSettings({ ...localEnv(), ...given });
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`livehooks: ${error.message}`);
    process.exit(2);
  }
  fail((error as Error).message);
}

/** How to choose another port or folder: by the option the user gave, else by its variable. */
const another = (option: keyof typeof startOptions, what: string) =>
  given[startOptions[option]] === undefined
    ? `set ${startOptions[option]} to another ${what}`
    : `give --${option} another ${what}`;

const already = runningServer(settings.dataDir);
if (already) {
  fail(
    `an npm start (pid ${already.pid}, receivers at ${already.receivers}) is already using ${settings.dataDir}; ` +
      `stop it, or ${another('data-dir', 'folder')}`,
  );
}

const store = await startEmbeddedStore({ dataDir: settings.dataDir, port: settings.storePort }).catch((error) =>
  fail(
    inUse(error)
      ? `port ${settings.storePort} of the local store is in use; ${another('store-port', 'port')} (0 picks a free one)`
      : `cannot start the local store in ${settings.dataDir}: ${(error as Error).message}`,
  ),
);
const storeClient = localStoreClient(store.endpoint);
await ensureTable(storeClient, settings.tableName);
const queue = await startEmbeddedQueue({ port: settings.queuePort }).catch(async (error) => {
  await store.close();
  return fail(
    inUse(error)
      ? `port ${settings.queuePort} of the local queue is in use; ${another('queue-port', 'port')} (0 picks a free one)`
      : `cannot start the local queue: ${(error as Error).message}`,
  );
});
const publisher = createSqsPublisher({ queueUrl: queue.queueUrl, client: localQueueClient(queue.endpoint) });
const closeAll = () => Promise.all([store.close(), queue.close()]);

const storeOff = process.env.LIVEHOOKS_STORE?.trim().toLowerCase() === 'off';
const lines: [name: string, checks: string][] = [];
const routes: Record<string, FunctionUrlHandler> = {};
for (const [name, { adapter }] of Object.entries(providers)) {
  const prefix = envPrefix(name);
  const env = { ...process.env };
  const options = {
    env,
    store: createDynamoStore({ tableName: settings.tableName, client: storeClient }),
    publisher,
    announceChecksOff: false,
  };
  try {
    if (isEventBridgeAdapter(adapter)) {
      lines.push([name, checksOf(name, adapter, env)]);
      routes[name] = eventBridgeRoute(createEventHandler(adapter, options));
      continue;
    }
    // Locally, a provider with nothing configured accepts unchecked callbacks, and says so;
    // a deployed function refuses them instead.
    if (!env[`${prefix}KEYS`] && !env[`${prefix}TOKENS`] && !env[`${prefix}AUTH`]) env[`${prefix}AUTH`] = 'off';
    lines.push([name, checksOf(name, adapter, env)]);
    routes[name] = createHandler(adapter, options);
  } catch (error) {
    await closeAll();
    fail((error as Error).message);
  }
}

// Reconciliation of every origin whose live list is configured (LIVEHOOKS_<P>_API_<FIELD>),
// every LIVEHOOKS_RECONCILE_INTERVAL seconds (docs/behaviour.md §7).
const reconciling: string[] = [];
for (const { adapter, source } of reconcilables) {
  // An AWS service's list would take a laptop's AWS_* credentials by themselves: only when asked.
  if (source.awsActions && !process.env[apiVariable(adapter.name, 'region')]) continue;
  if (!(await readApiCredentials(source, process.env, () => fail('locally, API credentials come from variables')))) {
    continue;
  }
  const run = createReconcileHandler(adapter, source, {
    env: { ...process.env, LIVEHOOKS_TABLE: settings.tableName },
    client: storeClient,
    store: createDynamoStore({ tableName: settings.tableName, client: storeClient }),
    publisher,
  });
  const intervalMs = wholeNumberSetting(process.env, 'LIVEHOOKS_RECONCILE_INTERVAL', defaultIntervalSeconds) * 1000;
  const repeat = () =>
    void run()
      .catch((error: Error) => console.error(`reconcile ${adapter.name}: ${error.message}`))
      .finally(() => setTimeout(repeat, intervalMs).unref());
  setTimeout(repeat, intervalMs).unref();
  reconciling.push(`${adapter.name} every ${intervalMs / 1000} s`);
}

const reader = createDynamoStore({ tableName: settings.tableName, client: storeClient });
routes.api = createApiHandler(reader, { basePath: '/api' });
let receiversUrl = '';
const inspector = inspectorRoutes({
  providers: lines.map(([name, checks]) => ({ name, checks, url: () => `${receiversUrl}/${name}` })),
  send: (name, kind) => sendSample(name, `${receiversUrl}/${name}`, process.env, kind),
});
routes[''] = inspector.page;
routes.inspector = inspector.api;
const server = createFunctionUrlServer(routes);
server.once('error', (error) => void stop(error));
/** Closes what started and says why the server could not. */
async function stop(error: Error) {
  await closeAll();
  fail(
    inUse(error)
      ? `port ${settings.port} of the receivers is in use; ${another('port', 'port')} (0 picks a free one)`
      : `the receivers cannot listen: ${error.message}`,
  );
}
server.listen(settings.port, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const receivers = `http://127.0.0.1:${port}`;
  receiversUrl = receivers;
  recordRunning(settings.dataDir, { pid: process.pid, store: store.endpoint, receivers, queue: queue.queueUrl });
  const stored = storeOff ? 'LIVEHOOKS_STORE=off: nothing is written' : `data in ${settings.dataDir}`;
  const screen = startScreen({
    store: store.endpoint,
    tableName: settings.tableName,
    stored,
    queue: queue.queueUrl,
    receivers,
    providers: lines,
  });
  for (const line of screen) console.log(line);
  if (reconciling.length > 0) console.log(`  reconciling ${reconciling.join(', ')}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    recordRunning(settings.dataDir, undefined);
    server.close();
    void closeAll().then(() => process.exit(0));
  });
}
