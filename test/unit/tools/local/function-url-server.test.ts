import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFunctionUrlServer } from '../../../../tools/local/function-url-server';

const seen: LambdaFunctionURLEvent[] = [];
const server = createFunctionUrlServer({
  echo: async (event) => (seen.push(event), { statusCode: 201, headers: { 'x-answer': 'yes' }, body: 'made' }),
  plain: async () => ({ hello: 'world' }),
  broken: async () => {
    throw new Error('bug');
  },
});
let port: number;

beforeAll(
  () =>
    new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', () => ((port = (server.address() as AddressInfo).port), resolve())),
    ),
);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw HTTP request, so that repeated headers and odd queries reach the server as written. */
function send(path: string, method: string, headers: Record<string, string | string[]>, body?: Buffer) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, method, headers }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

it('builds the Function URL event AWS would: raw query untouched, lower-case headers, cookies apart', async () => {
  const answer = await send(
    '/echo?b=%20x&a=1&a=2&flag',
    'POST',
    { 'X-Trace': ['one', 'two'], Cookie: 'c1=v1; c2=v2', 'Content-Type': 'application/json' },
    Buffer.from('{"k":"v"}'),
  );
  expect(answer).toMatchObject({ status: 201, headers: { 'x-answer': 'yes' }, body: 'made' });
  const event = seen.at(-1)!;
  expect(event).toMatchObject({
    version: '2.0',
    rawPath: '/echo',
    rawQueryString: 'b=%20x&a=1&a=2&flag',
    queryStringParameters: { b: ' x', a: '1,2', flag: '' },
    cookies: ['c1=v1', 'c2=v2'],
    body: '{"k":"v"}',
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST', path: '/echo', sourceIp: '127.0.0.1' } },
  });
  expect(event.headers).toMatchObject({ 'x-trace': 'one,two', 'content-type': 'application/json' });
  expect(event.headers.cookie).toBeUndefined();
});

it('base64-encodes bodies that are not text, form bodies included', async () => {
  const bytes = Buffer.from([0, 1, 2, 255]);
  await send('/echo', 'POST', { 'content-type': 'application/octet-stream' }, bytes);
  expect(seen.at(-1)).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  await send('/echo', 'POST', { 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from('a=1'));
  expect(seen.at(-1)).toMatchObject({ body: Buffer.from('a=1').toString('base64'), isBase64Encoded: true });
});

it('answers a plain result as JSON, an unhandled error with 500, an unknown route with 404', async () => {
  expect(await send('/plain', 'GET', {})).toMatchObject({ status: 200, body: '{"hello":"world"}' });
  expect(await send('/broken', 'GET', {})).toMatchObject({ status: 500 });
  expect(await send('/elsewhere', 'GET', {})).toMatchObject({ status: 404 });
});
