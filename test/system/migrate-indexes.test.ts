/**
 * Moving a stack from the unsharded indexes to the sharded ones (docs/deploy.md, "Moving to
 * the sharded indexes"), on a table that has both, as a stack has between the steps: items
 * written by an earlier version are in the old indexes only. A reader with
 * `readLegacyIndexes` lists everything at every step, before the move and after, with the
 * answers of a table that never had the old indexes; without it, only once the move is done.
 */
import { CreateTableCommand, ScanCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { buildRecord, streamKeyOf, type EventDraft } from '../../shared/record';
import { createDynamoStore, type StoreReader } from '../../shared/store/reader';
import { tableDefinition } from '../../shared/store/table';
import { migrateIndexes } from '../../tools/migrate-indexes';
import { createTestTable, dynamoClient, storeClient } from '../support/dynamo';
import { nowMs } from '../support/providers';

const streams = ['cam-a', 'cam-b', 'cam-c', 'cam-d', 'cam-e', 'cam-f'];

/** Every live stream and every delivery a reader lists, a page of `limit` at a time. */
async function everything(reader: StoreReader, limit: number) {
  const live: string[] = [];
  const deliveries: string[] = [];
  let next: string | undefined;
  do {
    const page = await reader.streamsPage({ live: true, limit, next });
    live.push(...page.items.map((state) => state.streamKey));
    next = page.next;
  } while (next);
  do {
    const page = await reader.deliveriesPage({ limit, next, nowMs });
    deliveries.push(...page.items.map((delivery) => delivery.id));
    next = page.next;
  } while (next);
  return { live, deliveries, all: (await reader.listLiveStreams()).map((state) => state.streamKey) };
}

/** Every item of a small table. */
async function scanTable(client: DynamoDBClient, tableName: string) {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: tableName }));
  return Items.map((item) => unmarshall(item));
}

/** A start of each stream, a second apart, saved by `store`. */
async function startAll(store: ReturnType<typeof createDynamoStore>) {
  for (const [index, stream] of streams.entries()) {
    const draft: EventDraft = { kind: 'start', domain: 'd', app: 'live', stream, occurredAtMs: nowMs - 60_000 };
    const record = buildRecord(draft, {
      provider: 'srs',
      streamKey: streamKeyOf('srs', draft),
      raw: '{}',
      receivedAtMs: nowMs - 10_000 + index * 1000,
    });
    await store.save(record, { nowMs });
  }
}

it('lists every stream and delivery through the switch with LIVEHOOKS_READ_LEGACY_INDEXES, then without', async () => {
  const reference = await createTestTable();
  await startAll(reference.store);
  const expected = await everything(reference.store, 100);
  expect(expected.live).toHaveLength(streams.length);

  // A table in the middle of its move: both indexes; half the streams written by an earlier version.
  const client = dynamoClient();
  const tableName = `t-${randomUUID()}`;
  await client.send(new CreateTableCommand(tableDefinition(tableName, { legacyIndexes: true })));
  const store = createDynamoStore({ tableName, client: storeClient() });
  await startAll(store);
  const written = await scanTable(client, tableName);
  for (const item of written) {
    if (!['cam-a', 'cam-c', 'cam-e'].some((stream) => String(item.pk).endsWith(stream))) continue;
    const live = item.liveShard !== undefined;
    if (!live && item.recentShard === undefined) continue;
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: marshall({ pk: item.pk, sk: item.sk }),
        UpdateExpression: live ? 'SET liveIndex = :old REMOVE liveShard' : 'SET recentDay = :old REMOVE recentShard',
        ExpressionAttributeValues: marshall({ ':old': live ? 'live' : String(item.recentShard).slice(0, 10) }),
      }),
    );
  }

  const switching = createDynamoStore({ tableName, client: storeClient(), readLegacyIndexes: true });
  const sharded = createDynamoStore({ tableName, client: storeClient() });
  for (const limit of [1, 2, 100]) expect(await everything(switching, limit), `limit ${limit}`).toEqual(expected);
  // Without the setting, the old streams are missing until they are moved.
  expect((await everything(sharded, 100)).live).toHaveLength(streams.length / 2);

  expect(await migrateIndexes(client, tableName)).toEqual({ live: 3, recent: 3 });
  expect(await migrateIndexes(client, tableName)).toEqual({ live: 0, recent: 0 });
  for (const limit of [1, 100]) {
    expect(await everything(switching, limit)).toEqual(expected);
    expect(await everything(sharded, limit)).toEqual(expected);
  }
});
