/**
 * Moves a table's items from the unsharded indexes of earlier versions (`live-streams` on
 * `liveIndex`, `recent` on `recentDay`) to the sharded ones (`live-by-shard` on
 * `liveShard`, `recent-by-shard` on `recentShard`): step 2 of docs/deploy.md, "Moving to
 * the sharded indexes". Each item is moved by one conditional update that sets the new key
 * and removes the old, so it is in one index at a time; one a callback rewrote meanwhile
 * (it carries the new key already) is left alone. Safe to run again.
 *
 *   npx tsx tools/migrate-indexes.ts --table <name>
 */
import { DynamoDBClient, ScanCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { liveShardOf, shardOf } from '../shared/store/table';

/** Items moved, by index. */
export interface Moved {
  live: number;
  recent: number;
}

/** Moves every item of the unsharded indexes to the sharded ones. */
export async function migrateIndexes(client: DynamoDBClient, tableName: string): Promise<Moved> {
  const moved: Moved = { live: 0, recent: 0 };
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'attribute_exists(liveIndex) OR attribute_exists(recentDay)',
        ExclusiveStartKey: start,
      }),
    );
    for (const raw of page.Items ?? []) {
      const item = unmarshall(raw);
      const live = item.liveIndex !== undefined;
      const update = live
        ? { set: 'liveShard', value: liveShardOf(String(item.streamKey)), old: 'liveIndex' }
        : { set: 'recentShard', value: `${item.recentDay}#${shardOf(String(item.streamKey))}`, old: 'recentDay' };
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: raw.pk!, sk: raw.sk! },
            UpdateExpression: `SET ${update.set} = :value REMOVE ${update.old}`,
            ConditionExpression: `attribute_exists(${update.old}) AND attribute_not_exists(${update.set})`,
            ExpressionAttributeValues: marshall({ ':value': update.value }),
          }),
        );
        moved[live ? 'live' : 'recent']++;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return moved;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { table: { type: 'string' } } });
  if (!values.table) throw new Error('pass --table <name>: the stack’s table (its LivehooksTable resource)');
  const moved = await migrateIndexes(new DynamoDBClient({}), values.table);
  console.log(`moved ${moved.live} live streams and ${moved.recent} deliveries to the sharded indexes`);
}
