/**
 * The floor of a cold start with aws4fetch (SigV4 by WebCrypto) over Node's `fetch`, the
 * other candidate the functions' own client was measured against (BENCHMARKS.md, "The AWS
 * client"): as light-floor.ts, the same two PutItems, each one signed request, no more (no
 * retries, no timeouts: the transport's own cost).
 */
import { AwsClient } from 'aws4fetch';
import { reportFloor } from './report-floor';

const env = process.env;
const client = new AwsClient({
  accessKeyId: env.AWS_ACCESS_KEY_ID!,
  secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
  sessionToken: env.AWS_SESSION_TOKEN,
  service: 'dynamodb',
  region: env.AWS_REGION!,
  retries: 1,
});
const put = async (item: Record<string, { S?: string }>) => {
  const answer = await client.fetch(env.AWS_ENDPOINT_URL_DYNAMODB!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem' },
    body: JSON.stringify({
      TableName: env.LIVEHOOKS_TABLE,
      Item: item,
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  });
  if (answer.status !== 200) throw new Error(`PutItem answered ${answer.status}: ${await answer.text()}`);
  await answer.arrayBuffer();
};
const pair = (suffix: string) =>
  Promise.all(
    [env.BENCH_ITEM!, env.BENCH_STATE_ITEM!].map((text) => {
      const item = JSON.parse(text) as Record<string, { S?: string }>;
      return put({ ...item, pk: { S: `${item.pk!.S}${suffix}` } });
    }),
  );

reportFloor(pair);
