/**
 * The reference peer of the cold-start benchmark: a Tencent CSS callback receiver written
 * the common way, with middy's JSON body parser and HTTP error handler, Powertools Logger
 * and Idempotency (DynamoDB persistence), and one DynamoDB put through the document
 * client. A yardstick kept under bench/, never deployed and not product code.
 *
 * It does less checking than livehooks (an md5 compare and a time bound, no schema) and
 * one write more per callback (Idempotency records the request before and after).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from 'aws-lambda';

interface TencentCallback {
  event_type: number;
  t: number;
  sign: string;
  app: string;
  appname: string;
  stream_id: string;
  sequence: string;
  event_time?: number;
}

const logger = new Logger({ serviceName: 'tencent-callbacks' });
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE ?? 'idempotency' });

const httpError = (statusCode: number, message: string) =>
  Object.assign(new Error(message), { statusCode, expose: true });

async function receive(event: Omit<LambdaFunctionURLEvent, 'body'> & { body: TencentCallback }) {
  const callback = event.body;
  const expected = createHash('md5').update(`${process.env.TENCENT_KEY}${callback.t}`).digest('hex');
  const sign = Buffer.from(String(callback.sign));
  if (sign.length !== expected.length || !timingSafeEqual(sign, Buffer.from(expected))) {
    throw httpError(401, 'bad signature');
  }
  if (callback.t < Date.now() / 1000 - 60) throw httpError(401, 'expired');
  const kind = callback.event_type === 1 ? 'start' : callback.event_type === 0 ? 'stop' : undefined;
  if (!kind) return { statusCode: 200, body: JSON.stringify({ code: 0 }) };

  const streamKey = `tencent/${callback.app}/${callback.appname}/${callback.stream_id}`;
  await documents.send(
    new PutCommand({
      TableName: process.env.LIVEHOOKS_TABLE,
      Item: {
        pk: `stream#${streamKey}`,
        sk: `event#${callback.sequence}#${kind}`,
        streamKey,
        kind,
        sessionId: callback.sequence,
        occurredAt: new Date((callback.event_time ?? Date.now() / 1000) * 1000).toISOString(),
        receivedAt: new Date().toISOString(),
        raw: JSON.stringify(callback),
      },
    }),
  );
  logger.info('callback stored', { streamKey, kind });
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: 0 }),
  } satisfies APIGatewayProxyStructuredResultV2;
}

export const handler = middy(receive)
  .use(injectLambdaContext(logger))
  .use(httpJsonBodyParser())
  .use(
    makeHandlerIdempotent({
      persistenceStore,
      config: new IdempotencyConfig({ eventKeyJmesPath: 'body.[stream_id, sequence, event_type]' }),
    }),
  )
  .use(httpErrorHandler());
