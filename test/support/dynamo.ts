import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { DynamoClient } from '../../shared/aws/dynamodb';
import { ensureTable, localStoreClient } from '../../tools/local/embedded-store';
import { localClient } from '../../tools/local/sdk-clients';
import { createDynamoStore } from '../../shared/store/reader';

/** A client of the run's dynalite, or of any endpoint (a closed port, for outage tests). */
export function dynamoClient(endpoint = inject('dynamoEndpoint')): DynamoDBClient {
  return localClient(endpoint);
}

/** The deployed functions' client (shared/aws/dynamodb.ts) of the run's dynalite, or of any endpoint: what stores write with. */
export function storeClient(endpoint = inject('dynamoEndpoint')): DynamoClient {
  return localStoreClient(endpoint);
}

/** A fresh table on the run's dynalite (or another engine), the store over it, and a way to see all it holds. */
export async function createTestTable(endpoint = inject('dynamoEndpoint')) {
  const client = dynamoClient(endpoint);
  const tableName = `t-${randomUUID()}`;
  await ensureTable(storeClient(endpoint), tableName);
  const store = createDynamoStore({ tableName, client: storeClient(endpoint) });
  /** Every item in the table. */
  const everything = async (): Promise<Record<string, unknown>[]> => {
    const documents = DynamoDBDocumentClient.from(client);
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({ TableName: tableName, ExclusiveStartKey, ConsistentRead: true }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };
  const scanAll = async () => (await everything()).filter((item) => !String(item.pk).startsWith('refusal#'));
  return {
    tableName,
    endpoint,
    client,
    store,
    /**
     * Every item about streams in the table, in no particular order: the kept refusals (an
     * operator's log, apart from the streams' data) are read with {@link refusals}.
     */
    scanAll,
    /** The refusals kept, oldest first. */
    async refusals(): Promise<Record<string, unknown>[]> {
      const items = (await everything()).filter((item) => String(item.pk).startsWith('refusal#'));
      return items.sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
    },
    /** Every item in the table, in key order: what two tables are compared by. */
    async contents(): Promise<Record<string, unknown>[]> {
      const items = await scanAll();
      return items.sort((a, b) => `${String(a.pk)} ${String(a.sk)}`.localeCompare(`${String(b.pk)} ${String(b.sk)}`));
    },
  };
}

/** What {@link createTestTable} gives. */
export type TestTable = Awaited<ReturnType<typeof createTestTable>>;
