/**
 * The floor of a cold start with `@aws-lite/client` and its DynamoDB plugin, the candidate
 * the functions' own client was measured against (BENCHMARKS.md, "The AWS client"): as
 * light-floor.ts, the same two PutItems, the items given as plain values (the plugin
 * marshalls them).
 */
import awsLite from '@aws-lite/client';
// @ts-expect-error: the plugin ships no types of its own (its methods' are in @aws-lite/dynamodb-types)
import dynamodb from '@aws-lite/dynamodb';
import type {} from '@aws-lite/dynamodb-types';
import { unmarshall, type Item } from '../../shared/aws/dynamodb';
import { reportFloor } from './report-floor';

// aws-lite reads AWS_ENDPOINT_URL but not AWS_ENDPOINT_URL_DYNAMODB: it is passed here.
const client = awsLite({
  plugins: [dynamodb],
  autoloadPlugins: false,
  retries: 1,
  endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
});
const pair = async (suffix: string) => {
  const aws = await client;
  return Promise.all(
    [process.env.BENCH_ITEM!, process.env.BENCH_STATE_ITEM!].map((text) => {
      const item = unmarshall(JSON.parse(text) as Item);
      return aws.DynamoDB.PutItem({
        TableName: process.env.LIVEHOOKS_TABLE!,
        Item: { ...item, pk: `${String(item.pk)}${suffix}` },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    }),
  );
};

reportFloor(pair);
