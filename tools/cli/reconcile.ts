import { createDynamoClient, createDynamoEventStore } from '../../shared/store/dynamo-store';
import { envPrefix, type Env } from '../../shared/config';
import { apiVariable, readApiCredentials } from '../../shared/reconcile/handler';
import { reconcile, type ReconcileResult } from '../../shared/reconcile/reconcile';
import { reconcilables } from '../../shared/reconcile/sources';
import { createReconcileTable } from '../../shared/reconcile/table';
import { localStoreClient } from '../local/embedded-store';
import { localSettings, runningServer } from '../local/settings';
import { createSsmClient } from '../../shared/aws/ssm';
import { userAwsOptions } from './user-aws';

/** How `livehooks reconcile` runs: against a table, or npm start's store. */
export interface ReconcileCommand {
  provider: string;
  dryRun: boolean;
  table?: string | undefined;
  graceMs: number;
  env: Env;
}

/**
 * Runs one reconciliation of `provider` from a laptop: its API credentials from the
 * environment (`LIVEHOOKS_<PROVIDER>_API_<FIELD>`), the table `--table` names (usual AWS
 * credentials) or npm start's store. Returns the lines to print.
 */
export async function runReconcile({ provider, dryRun, table, graceMs, env }: ReconcileCommand): Promise<string[]> {
  const found = reconcilables.find((known) => known.adapter.name === provider);
  if (!found) {
    const names = reconcilables.map((known) => known.adapter.name).join(', ');
    throw new Error(`no live list for ${provider}: reconciliation runs for ${names}`);
  }
  const aws = env[`${envPrefix(provider)}API_PATH`] || table ? await userAwsOptions() : {};
  const credentials = await readApiCredentials(found.source, env, () => createSsmClient(aws));
  if (!credentials) {
    const fields = found.source.credentials.map((field) => apiVariable(provider, field));
    throw new Error(`no ${provider} API credentials: set ${fields.join(', ')}`);
  }
  const settings = localSettings(env);
  const tableName = table ?? settings.tableName;
  const client = table
    ? createDynamoClient(aws)
    : localStoreClient(
        env.LIVEHOOKS_STORE_URL || runningServer(settings.dataDir)?.store || `http://127.0.0.1:${settings.storePort}`,
      );
  const side = createReconcileTable(tableName, client);
  const result = await reconcile({
    adapter: found.adapter,
    list: found.source.create(credentials),
    table: side,
    observedStore: side,
    store: dryRun ? undefined : createDynamoEventStore({ tableName, client, budgetMs: 10_000 }),
    nowMs: Date.now(),
    graceMs,
    dryRun,
    signal: AbortSignal.timeout(60_000),
  });
  return describe(result, dryRun);
}

/** What a run repaired (or would), and what it is still watching. */
function describe(result: ReconcileResult, dryRun: boolean): string[] {
  const verb = dryRun ? 'would repair' : 'repaired';
  const lines = [`${result.listed} live at the vendor, ${result.open} open in the table`];
  for (const record of [...result.stops, ...result.starts]) {
    lines.push(`${verb}: ${record.kind} ${record.streamKey} session ${record.sessionId} at ${record.occurredAt}`);
  }
  const pending = (entries: Record<string, { sinceMs: number; repaired?: true }>, what: string) =>
    Object.entries(entries)
      .filter(([, seen]) => !seen.repaired)
      .map(
        ([key, seen]) =>
          `within the grace: ${what} ${key.split('\n').filter(Boolean).join(' ')} since ${new Date(seen.sinceMs).toISOString()}`,
      );
  lines.push(...pending(result.observed.absent, 'not listed'), ...pending(result.observed.present, 'not open'));
  if (lines.length === 1) lines.push('nothing to repair');
  return lines;
}
