/**
 * The floor of a cold start under today's store protocol (docs/behaviour.md §4), with the
 * functions' own client: a fresh process that loads only that client and makes a session
 * vendor's start's requests one after another, as the store must: read the stream's state
 * (strongly consistent), put it back on its version, then put the event (BENCH_STATE_ITEM,
 * BENCH_ITEM, conditional on new keys). It reports on stdout the time since its own start.
 * The light floor (light-floor.ts) sends two writes together: the protocol before issue 24.
 */
import { awsClientSettings } from '../../shared/aws-client';
import { createDynamoClient, type Item } from '../../shared/aws/dynamodb';

const client = createDynamoClient(awsClientSettings);
const TableName = process.env.LIVEHOOKS_TABLE;
const [event, state] = [process.env.BENCH_ITEM!, process.env.BENCH_STATE_ITEM!].map((text) => JSON.parse(text) as Item);
const put = (Item: Item) =>
  client.send('PutItem', { TableName, Item, ConditionExpression: 'attribute_not_exists(pk)' });

client
  .send('GetItem', { TableName, Key: { pk: state!.pk!, sk: state!.sk! }, ConsistentRead: true })
  .then(() => put(state!))
  .then(() => put(event!))
  .then(
    () => {
      process.stdout.write(`BENCH ${JSON.stringify({ ms: performance.now(), status: 200 })}\n`);
      process.exit(0);
    },
    (error: Error) => {
      process.stderr.write(`${error.stack}\n`);
      process.exit(1);
    },
  );
