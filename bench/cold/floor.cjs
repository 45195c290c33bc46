// The floor of a cold start: a fresh process that loads only the DynamoDB client and
// makes one PutItem (BENCH_ITEM, conditional on a new key, like the event write), then
// reports on stdout the time since its own start. Nothing a receiver could do without.
'use strict';
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');

const client = new DynamoDBClient({});
client
  .send(
    new PutItemCommand({
      TableName: process.env.LIVEHOOKS_TABLE,
      Item: JSON.parse(process.env.BENCH_ITEM),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  )
  .then(
    () => {
      const ms = performance.now();
      process.stdout.write(`BENCH ${JSON.stringify({ ms, status: 200 })}\n`);
      process.exit(0);
    },
    (error) => {
      process.stderr.write(`${error && error.stack}\n`);
      process.exit(1);
    },
  );
