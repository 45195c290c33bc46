/**
 * The scheduled reconcile function of one provider (functions/reconcile-<provider>.ts):
 * each run reads the vendor's API credentials (SSM, else the environment), runs
 * {@link reconcile}, and writes its metrics. Without credentials it does nothing: the
 * provider's reconciliation is off (docs/behaviour.md §7).
 */
import type { DynamoClient } from '../aws/dynamodb';
import { createSsmClient, type SsmClient } from '../aws/ssm';
import { awsClientSettings } from '../aws-client';
import { envPrefix, readProviderConfig, wholeNumberSetting, type Env } from '../config';
import { publisherOf, readDestinations } from '../destinations';
import { metricNamespace } from '../metrics';
import type { SourceAdapter } from '../provider';
import type { Publisher } from '../publishers/port';
import { createDynamoClient, createDynamoEventStore } from '../store/dynamo-store';
import type { EventStore } from '../store/port';
import { repairWindowMs } from '../store/pushes';
import type { LiveListSource } from './live-list';
import { reconcile, type ReconcileResult } from './reconcile';
import { createReconcileTable } from './table';

/** The default schedule's interval, in seconds (serverless.yml's `reconcileSchedule`). */
export const defaultIntervalSeconds = 300;

/** What a reconcile handler is built from; every field has a production default. */
export interface ReconcileHandlerOptions {
  env?: Env;
  client?: DynamoClient;
  store?: EventStore;
  publisher?: Publisher;
  now?: () => number;
  /** Where credentials are read when the environment names an SSM path; the functions' own client by default. */
  ssm?: SsmClient;
  /** Where the list's requests go instead of the vendor's URL (a stand-in). */
  endpoint?: string;
}

/** One run's metrics (CloudWatch Embedded Metric Format), dimensioned by provider. */
export function reconcileMetrics(
  provider: string,
  outcome: { result: ReconcileResult } | { failed: true },
  nowMs: number,
): Record<string, unknown> {
  const values =
    'failed' in outcome
      ? { listFailures: 1 }
      : {
          repairedStops: outcome.result.stops.length,
          repairedStarts: outcome.result.starts.length,
          listLatency: outcome.result.listMs,
        };
  const metrics = Object.keys(values).map((name) => ({
    Name: name,
    Unit: name === 'listLatency' ? 'Milliseconds' : 'Count',
  }));
  return {
    _aws: {
      Timestamp: nowMs,
      CloudWatchMetrics: [{ Namespace: metricNamespace, Dimensions: [['provider']], Metrics: metrics }],
    },
    provider,
    ...values,
  };
}

/** The variable that holds one API credential field locally: `LIVEHOOKS_MUX_API_TOKEN_ID` for `tokenId`. */
export const apiVariable = (provider: string, field: string) =>
  `${envPrefix(provider)}API_${field.replace(/[A-Z]/g, (capital) => `_${capital}`).toUpperCase()}`;

/**
 * The vendor's API credentials: the parameters under `LIVEHOOKS_<PROVIDER>_API_PATH` (one
 * per field, e.g. `/livehooks/prod/mux/api/tokenId`), else `LIVEHOOKS_<PROVIDER>_API_<FIELD>`
 * variables; for an AWS service's list ({@link LiveListSource.awsActions}), what is still
 * missing from the runtime's `AWS_*` variables. Undefined while any field is missing:
 * reconciliation is off.
 */
export async function readApiCredentials(
  source: LiveListSource,
  env: Env,
  ssm: () => SsmClient,
): Promise<Record<string, string> | undefined> {
  const prefix = envPrefix(source.provider);
  const path = env[`${prefix}API_PATH`];
  const fields = [...source.credentials, ...(source.optionalCredentials ?? [])];
  const found: Record<string, string> = {};
  if (path) {
    let next: string | undefined;
    do {
      const page = await ssm().getParametersByPath({ Path: path, WithDecryption: true, NextToken: next });
      for (const parameter of page.Parameters ?? []) {
        const field = parameter.Name?.slice(parameter.Name.lastIndexOf('/') + 1);
        if (field && parameter.Value !== undefined && fields.includes(field)) found[field] = parameter.Value;
      }
      next = page.NextToken;
    } while (next);
  } else {
    for (const field of fields) {
      const value = env[apiVariable(source.provider, field)];
      if (value) found[field] = value;
    }
  }
  if (source.awsActions) {
    // An AWS service's list signs with the function's own role (or, from a laptop, the usual AWS variables).
    const role = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      sessionToken: env.AWS_SESSION_TOKEN,
      region: env.AWS_REGION,
    };
    for (const [field, value] of Object.entries(role)) if (value && found[field] === undefined) found[field] = value;
  }
  return source.credentials.every((field) => found[field] !== undefined) ? found : undefined;
}

/**
 * Builds a provider's scheduled reconcile handler. `LIVEHOOKS_RECONCILE_INTERVAL` (seconds,
 * the schedule's) sets the default grace, two intervals; `LIVEHOOKS_RECONCILE_GRACE`
 * (seconds) overrides it.
 */
export function createReconcileHandler(
  adapter: Pick<SourceAdapter<unknown>, 'name' | 'pairByTime' | 'foldStreamCase'>,
  source: LiveListSource,
  options: ReconcileHandlerOptions = {},
) {
  const env = options.env ?? process.env;
  const interval = wholeNumberSetting(env, 'LIVEHOOKS_RECONCILE_INTERVAL', defaultIntervalSeconds, 'seconds');
  const graceMs = wholeNumberSetting(env, 'LIVEHOOKS_RECONCILE_GRACE', 2 * interval, 'seconds') * 1000;
  if (interval * 1000 + graceMs > repairWindowMs) {
    throw new Error(
      `LIVEHOOKS_RECONCILE_INTERVAL plus LIVEHOOKS_RECONCILE_GRACE must be at most ${repairWindowMs / 1000} seconds: a real callback later than that is not told from a repaired one`,
    );
  }
  const config = readProviderConfig(adapter.name, env);
  const tableName = env.LIVEHOOKS_TABLE || 'livehooks';
  const client = options.client ?? createDynamoClient();
  const store = options.store ?? createDynamoEventStore({ tableName, client, budgetMs: 10_000 });
  const publisher = options.publisher ?? publisherOf(readDestinations(env));
  const now = options.now ?? Date.now;
  let ssm = options.ssm;
  const table = createReconcileTable(tableName, client, now);
  return async (): Promise<ReconcileResult | { off: true }> => {
    const credentials = await readApiCredentials(source, env, () => (ssm ??= createSsmClient(awsClientSettings)));
    if (!credentials) return { off: true };
    const nowMs = now();
    let result: ReconcileResult;
    try {
      result = await reconcile({
        adapter,
        list: source.create(credentials, options.endpoint ? { endpoint: options.endpoint } : {}),
        table,
        observedStore: table,
        store,
        publisher,
        config,
        nowMs,
        graceMs,
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      process.stdout.write(`${JSON.stringify(reconcileMetrics(adapter.name, { failed: true }, nowMs))}\n`);
      throw error;
    }
    process.stdout.write(`${JSON.stringify(reconcileMetrics(adapter.name, { result }, nowMs))}\n`);
    return result;
  };
}
