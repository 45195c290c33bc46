/**
 * The request units the bench's cost figures count (bench/cost.ts), against DynamoDB's
 * published sizing rules worked out by hand for known items: an item's size is the UTF-8
 * length of its attribute names plus their values; a write costs one unit per 1 KB
 * (rounded up), a strongly consistent read one per 4 KB; each index entry written is one more.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { counting, indexWrites } from '../../bench/cost';
import { createTestTable, dynamoClient } from '../support/dynamo';

describe('request units, as the bench counts them', () => {
  it('match DynamoDB’s rules for known items: 1 KB a write unit, 4 KB a read unit', async () => {
    const { tableName } = await createTestTable();
    const client = dynamoClient();
    // pk (2) + "p" (1) + sk (2) + "s" (1) + raw (3) + the value: 1,024 bytes, then 1,025.
    const put = (pk: string, length: number) =>
      client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { pk: { S: pk }, sk: { S: 's' }, raw: { S: 'x'.repeat(length) } },
        }),
      );
    const one = await counting(() => put('p', 1024 - 9));
    expect(one.writeUnits).toBe(1);
    const two = await counting(() => put('q', 1025 - 9));
    expect(two.writeUnits).toBe(2);
    const read = await counting(() =>
      client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'q' }, sk: { S: 's' } }, ConsistentRead: true }),
      ),
    );
    expect(read.readUnits).toBe(1);
  });

  it('count the document client’s writes too (the peer writes its record with it)', async () => {
    const { tableName } = await createTestTable();
    const documents = DynamoDBDocumentClient.from(dynamoClient());
    const put = (pk: string, length: number) =>
      documents.send(new PutCommand({ TableName: tableName, Item: { pk, sk: 's', raw: 'x'.repeat(length) } }));
    expect((await counting(() => put('p', 1024 - 9))).writeUnits).toBe(1);
    expect((await counting(() => put('q', 1025 - 9))).writeUnits).toBe(2);
  });

  it('add one unit per index entry a write makes, changes or removes', () => {
    const event = { pk: { S: 'stream#k' }, sk: { S: 'event#1' }, recentShard: { S: 'd#00' }, timeKey: { S: 't' } };
    expect(indexWrites('PutItemCommand', { Item: event })).toBe(2);
    expect(
      indexWrites('PutItemCommand', {
        Item: { pk: { S: 'stream#k' }, sk: { S: 'state' }, liveShard: { S: 'live#00' } },
      }),
    ).toBe(1);
    expect(indexWrites('PutItemCommand', { Item: { pk: { S: 'stream#k' }, sk: { S: 'state' } } })).toBe(1);
    expect(indexWrites('UpdateItemCommand', { UpdateExpression: 'SET sessionId = :s' })).toBe(1);
    expect(indexWrites('UpdateItemCommand', { UpdateExpression: 'SET notice = :n' })).toBe(0);
    expect(indexWrites('PutCommand', { Item: { pk: 'stream#k', sk: 'state', liveShard: 'live#00' } })).toBe(1);
  });
});
