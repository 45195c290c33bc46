import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createDynamoStore, tableDefinition } from '../../shared/store';

/** A client of the run's dynalite, or of any endpoint (a closed port, for outage tests). */
export function dynamoClient(endpoint = inject('dynamoEndpoint')): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** A fresh table on the run's dynalite, the store over it, and a way to see all it holds. */
export async function createTestTable() {
  const client = dynamoClient();
  const tableName = `t-${randomUUID()}`;
  await client.send(new CreateTableCommand(tableDefinition(tableName)));
  // dynalite makes the table ACTIVE on its next tick, like DynamoDB after a while.
  while ((await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const store = createDynamoStore({ tableName, client });
  return {
    tableName,
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
  };
}

/** What {@link createTestTable} gives. */
export type TestTable = Awaited<ReturnType<typeof createTestTable>>;
