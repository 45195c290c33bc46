// Today's floor of a cold start, with the AWS SDK: a fresh process that loads only the
// SDK's DynamoDB client (from node_modules, as Lambda's runtime has it) and makes one
// PutItem (BENCH_ITEM, conditional on a new key, like the event write), then reports on
// stdout the time since its own start. Nothing a receiver could do without, on the SDK.
// With BENCH_STATE_ITEM it makes a second one at the same time, as a start's event and
// state writes go. With BENCH_WRITES (a number) it makes that many more, one after
// another, and reports its peak resident set: the memory floor.
'use strict';
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');

const client = new DynamoDBClient({});
const put = (item, suffix) =>
  client.send(
    new PutItemCommand({
      TableName: process.env.LIVEHOOKS_TABLE,
      Item: { ...item, pk: { S: `${item.pk.S}${suffix}` } },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
const items = [process.env.BENCH_ITEM, process.env.BENCH_STATE_ITEM].filter(Boolean).map((text) => JSON.parse(text));
const writes = (suffix) => Promise.all(items.map((item) => put(item, suffix)));
writes('').then(
  async () => {
    const ms = performance.now();
    for (let index = 0; index < Number(process.env.BENCH_WRITES || 0); index++) await writes(`#${index}`);
    const report = { ms, status: 200, maxRssKb: process.resourceUsage().maxRSS };
    process.stdout.write(`BENCH ${JSON.stringify(report)}\n`);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`${error && error.stack}\n`);
    process.exit(1);
  },
);
