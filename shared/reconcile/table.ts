/**
 * What reconciliation reads and keeps in the table: a provider's open pushes, from the
 * sparse `live-by-shard` index, and one small item per provider, `reconcile#<provider>` /
 * `observed`, with the differences seen and since when (docs/behaviour.md §7).
 */
import { documentsOf } from '../aws/documents';
import { marshall, type DynamoClient } from '../aws/dynamodb';
import { liveShards, stateOfItem, tableIndexes } from '../store/table';
import { nothingObserved, type Observed, type TablePush } from './compare';
import type { ObservedStore, OpenPushReader } from './reconcile';

/** The partition of a provider's reconciliation item. */
export const reconcilePk = (provider: string) => `reconcile#${provider}`;
/** Its sort key. */
export const observedSk = 'observed';

/** The DynamoDB side of a run: open pushes and what was seen, in one table. */
export function createReconcileTable(
  tableName: string,
  client: DynamoClient,
  nowMs: () => number = Date.now,
): OpenPushReader & ObservedStore {
  const documents = documentsOf(client);
  return {
    async openPushes(provider) {
      const pushes: TablePush[] = [];
      // Every shard of the live index, each from its provider's first key on.
      for (const shard of liveShards()) {
        let start: Record<string, unknown> | undefined;
        do {
          const page = await documents.query({
            TableName: tableName,
            IndexName: tableIndexes.liveStreams,
            KeyConditionExpression: 'liveShard = :shard AND begins_with(streamKey, :provider)',
            ExpressionAttributeValues: { ':shard': shard, ':provider': `${provider}/` },
            ExclusiveStartKey: start,
          });
          for (const item of page.Items ?? []) {
            const state = stateOfItem(item, nowMs());
            const { streamKey, domain, app, stream } = state;
            for (const push of state.pushes) {
              pushes.push({ streamKey, domain, app, stream, sessionId: push.sessionId, startedAt: push.startedAt });
            }
          }
          start = page.LastEvaluatedKey;
        } while (start);
      }
      return pushes;
    },
    async read(provider) {
      const { Item } = await documents.get({
        TableName: tableName,
        Key: { pk: reconcilePk(provider), sk: observedSk },
        ConsistentRead: true,
      });
      if (!Item) return nothingObserved();
      return {
        ...(typeof Item.listedAtMs === 'number' ? { listedAtMs: Item.listedAtMs } : {}),
        absent: (Item.absent as Observed['absent'] | undefined) ?? {},
        present: (Item.present as Observed['present'] | undefined) ?? {},
      };
    },
    async write(provider, observed) {
      await client.send('PutItem', {
        TableName: tableName,
        Item: marshall({ pk: reconcilePk(provider), sk: observedSk, ...observed }),
      });
    },
  };
}
