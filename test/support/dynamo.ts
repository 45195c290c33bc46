import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ensureTable, localClient } from '../../tools/local/embedded-store';
import { createDynamoStore } from '../../tools/store-reader';

/** A client of the run's dynalite, or of any endpoint (a closed port, for outage tests). */
export function dynamoClient(endpoint = inject('dynamoEndpoint')): DynamoDBClient {
  return localClient(endpoint);
}

/** A fresh table on the run's dynalite (or another engine), the store over it, and a way to see all it holds. */
export async function createTestTable(endpoint = inject('dynamoEndpoint')) {
  const client = dynamoClient(endpoint);
  const tableName = `t-${randomUUID()}`;
  await ensureTable(client, tableName);
  const store = createDynamoStore({ tableName, client });
  return {
    tableName,
    endpoint,
    store,
    /** Every item in the table, in no particular order. */
    async scanAll(): Promise<Record<string, unknown>[]> {
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
    },
    /** Every item in the table, in key order: what two tables are compared by. */
    async contents(): Promise<Record<string, unknown>[]> {
      const items = await this.scanAll();
      return items.sort((a, b) => `${a.pk} ${a.sk}`.localeCompare(`${b.pk} ${b.sk}`));
    },
  };
}

/** What {@link createTestTable} gives. */
export type TestTable = Awaited<ReturnType<typeof createTestTable>>;
