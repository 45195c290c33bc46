// The floor of a cold start: a fresh process that loads only the DynamoDB client and
// makes one PutItem (BENCH_ITEM, conditional on a new key, like the event write), then
// reports on stdout the time since its own start. Nothing a receiver could do without.
// With BENCH_STATE_ITEM it makes a second one at the same time, as a start's event and
// state writes go: the floor of a receiver that keeps a stream's state beside its events.
'use strict';
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');

const client = new DynamoDBClient({});
const put = (item) =>
  client.send(
    new PutItemCommand({
      TableName: process.env.LIVEHOOKS_TABLE,
      Item: JSON.parse(item),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
Promise.all([
  put(process.env.BENCH_ITEM),
  ...(process.env.BENCH_STATE_ITEM ? [put(process.env.BENCH_STATE_ITEM)] : []),
]).then(
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
