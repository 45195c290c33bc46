import type { APIGatewayProxyStructuredResultV2, Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { functionUrlEvent } from './function-url-event';
import { maxReceiverBodyBytes, refusalOf, refuse } from './loopback-guard.mjs';

/** A Lambda Function URL handler as the local server calls it. */
export type FunctionUrlHandler = (event: LambdaFunctionURLEvent, context: Context) => Promise<unknown>;

/** The Function URL event of an HTTP request: repeated headers joined, cookies split out. */
export function toFunctionUrlEvent(request: IncomingMessage, body: Buffer): LambdaFunctionURLEvent {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index]!.toLowerCase();
    const value = request.rawHeaders[index + 1]!;
    if (name === 'cookie') cookies.push(...value.split(/;\s*/).filter(Boolean));
    else headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return functionUrlEvent({
    method: request.method ?? 'GET',
    path: queryAt === -1 ? url : url.slice(0, queryAt),
    rawQuery: queryAt === -1 ? '' : url.slice(queryAt + 1),
    headers,
    cookies,
    body,
    sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, ''),
    protocol: `HTTP/${request.httpVersion}`,
  });
}

/** Writes a handler's result the way a Function URL does, including its inferred form for plain values. */
function writeResult(response: ServerResponse, result: unknown): void {
  const structured =
    typeof result === 'object' && result !== null && 'statusCode' in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
  const body = structured.body ?? '';
  response.statusCode = structured.statusCode ?? 200;
  for (const [name, value] of Object.entries(structured.headers ?? {})) response.setHeader(name, String(value));
  if (structured.cookies) response.setHeader('set-cookie', structured.cookies);
  response.end(structured.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

function json(response: ServerResponse, statusCode: number, body: unknown): void {
  response.writeHead(statusCode, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * An HTTP server that hands each request on `/<route>` (and below it) to that route's
 * handler as the exact Function URL event, and answers 500 when a handler throws, as
 * Lambda would. It answers programs on this machine and its own pages only
 * (loopback-guard.mjs: 403), and a body over 6 MB with 413, as a Function URL does.
 */
export function createFunctionUrlServer(routes: Readonly<Record<string, FunctionUrlHandler>>): Server {
  return createServer((request, response) => {
    const refusal = refusalOf(request, { servesPages: true });
    if (refusal) return refuse(response, 403, refusal);
    const tooLarge = () => refuse(response, 413, `a request body is at most ${maxReceiverBodyBytes} bytes`);
    if (Number(request.headers['content-length'] ?? 0) > maxReceiverBodyBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= maxReceiverBodyBytes) return void chunks.push(chunk);
      // A chunked body that grows too large: answered once, and no longer read.
      if (!response.headersSent) tooLarge();
      request.destroy();
    });
    const answer = async () => {
      const event = toFunctionUrlEvent(request, Buffer.concat(chunks));
      // The first segment names the function (`/api/streams` is the read API's `/streams`).
      const route = event.rawPath.replace(/^\/+/, '').split('/', 1)[0]!;
      const handler = Object.hasOwn(routes, route) ? routes[route] : undefined;
      if (!handler)
        return json(response, 404, {
          message: `no function at /${route}; try ${Object.keys(routes)
            .map((name) => `/${name}`)
            .join(', ')}`,
        });
      try {
        writeResult(response, await handler(event, { awsRequestId: event.requestContext.requestId } as Context));
      } catch (error) {
        console.error(JSON.stringify({ level: 'error', msg: 'handler threw', route, error: String(error) }));
        json(response, 500, { message: 'Internal Server Error' });
      }
    };
    request.on('end', () => void answer());
  });
}
