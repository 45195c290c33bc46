/**
 * The floor of a cold start with the functions' own client (shared/aws/dynamodb.ts): a
 * fresh process that loads only that client and sends two PutItems together (BENCH_ITEM
 * and BENCH_STATE_ITEM, conditional on new keys, as a start writes its event and its
 * stream's state), then reports on stdout the time since its own start. With BENCH_WRITES
 * (a number) it sends that many more pairs, one after another, and reports its peak
 * resident set: the memory floor. Bundled as the functions are (bench/lib/bundles.ts).
 */
import { awsClientSettings } from '../../shared/aws-client';
import { createDynamoClient, type Item } from '../../shared/aws/dynamodb';
import { reportFloor } from './report-floor';

const client = createDynamoClient(awsClientSettings);
const put = (item: Item) =>
  client.send('PutItem', {
    TableName: process.env.LIVEHOOKS_TABLE,
    Item: item,
    ConditionExpression: 'attribute_not_exists(pk)',
  });
const pair = (suffix: string) =>
  Promise.all(
    [process.env.BENCH_ITEM!, process.env.BENCH_STATE_ITEM!].map((text) => {
      const item = JSON.parse(text) as Item;
      return put({ ...item, pk: { S: `${item.pk!.S}${suffix}` } });
    }),
  );

reportFloor(pair);
