/**
 * DynamoDB reads in plain values, as lib-dynamodb's document client gives them, over the
 * light client (dynamodb.ts): keys and expression values marshalled on the way in, items
 * and the last evaluated key unmarshalled on the way out.
 */
import { marshall, unmarshall, type DynamoClient, type DynamoOperations, type Item } from './dynamodb';

/** The reads a document client makes. */
type ReadOperation = 'Query' | 'Scan' | 'GetItem';

/** A plain item: values by name. */
export type PlainItem = Record<string, unknown>;

/** An input of `Op` with plain values where the wire API has attribute values. */
export type DocumentInput<Op extends ReadOperation> = Omit<
  DynamoOperations[Op][0],
  'ExpressionAttributeValues' | 'ExclusiveStartKey' | 'Key'
> & { ExpressionAttributeValues?: PlainItem; ExclusiveStartKey?: PlainItem | undefined; Key?: PlainItem };

/** One page of a Query or a Scan, in plain values. */
export interface DocumentPage {
  Items?: PlainItem[] | undefined;
  LastEvaluatedKey?: PlainItem | undefined;
}

/** Queries, Scans and Gets of `client` in plain values. */
export function documentsOf(client: DynamoClient) {
  const wire = <Op extends ReadOperation>(input: DocumentInput<Op>) =>
    ({
      ...input,
      ExpressionAttributeValues: input.ExpressionAttributeValues && marshall(input.ExpressionAttributeValues),
      ExclusiveStartKey: input.ExclusiveStartKey && marshall(input.ExclusiveStartKey),
      Key: input.Key && marshall(input.Key),
    }) as DynamoOperations[Op][0];
  const page = ({ Items, LastEvaluatedKey }: { Items?: Item[]; LastEvaluatedKey?: Item }): DocumentPage => ({
    Items: Items?.map(unmarshall),
    LastEvaluatedKey: LastEvaluatedKey && unmarshall(LastEvaluatedKey),
  });
  return {
    query: async (input: DocumentInput<'Query'>) => page(await client.send('Query', wire(input))),
    scan: async (input: DocumentInput<'Scan'>) => page(await client.send('Scan', wire(input))),
    get: async (input: DocumentInput<'GetItem'>): Promise<{ Item?: PlainItem | undefined }> => {
      const { Item } = await client.send('GetItem', wire(input));
      return { Item: Item && unmarshall(Item) };
    },
  };
}
