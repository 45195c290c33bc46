/**
 * The inspector `npm start` serves at `/`: one HTML page (inspector.html, no framework, no
 * build) that reads the read API under `/api` and these local-only routes: each provider's
 * configuration and callback URL, and a button's "send a sample".
 */
import type { APIGatewayProxyStructuredResultV2 as FunctionUrlResult, LambdaFunctionURLEvent } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { commaList, envPrefix, type Env } from '../../shared/config';
import { jsonAnswer } from '../../shared/answer';
import { signsWithKey } from '../providers';
import { sendSampleCallback } from '../vendor-requests';

/** A provider as the inspector shows it: its route, its checks as the banner says them, its URL. */
export interface InspectedProvider {
  name: string;
  checks: string;
  url: () => string;
}

const page = readFileSync(new URL('./inspector.html', import.meta.url), 'utf8');

const json = (statusCode: number, body: unknown): FunctionUrlResult => {
  const answer = jsonAnswer(statusCode, body);
  return { ...answer, headers: { ...answer.headers, 'cache-control': 'no-store' } };
};

/** The page (`/`) and the local routes under `/inspector`. */
export function inspectorRoutes({
  providers,
  send,
}: {
  providers: readonly InspectedProvider[];
  send: (name: string, kind: 'start' | 'stop') => Promise<unknown>;
}) {
  return {
    page: async (event: LambdaFunctionURLEvent): Promise<FunctionUrlResult> =>
      event.rawPath === '/' && event.requestContext.http.method === 'GET'
        ? { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page }
        : json(404, { message: 'no such page; the inspector is at /' }),
    api: async (event: LambdaFunctionURLEvent): Promise<FunctionUrlResult> => {
      const method = event.requestContext.http.method;
      const query = new URLSearchParams(event.rawQueryString);
      if (event.rawPath === '/inspector/providers' && method === 'GET') {
        return json(
          200,
          providers.map(({ name, checks, url }) => ({
            name,
            url: url(),
            checks,
            // IVS's events are checked too (their source, account and region).
            checksOn: !checks.startsWith('checks OFF'),
            signed: signsWithKey(name),
          })),
        );
      }
      if (event.rawPath === '/inspector/send' && method === 'POST') {
        const name = query.get('provider') ?? '';
        const kind = query.get('kind') ?? 'start';
        if (kind !== 'start' && kind !== 'stop') return json(400, { message: 'kind is start or stop' });
        if (!providers.some((provider) => provider.name === name)) return json(404, { message: 'no such provider' });
        return json(200, await send(name, kind));
      }
      return json(404, {
        message: 'the inspector routes are GET /inspector/providers, POST /inspector/send?provider=',
      });
    },
  };
}

/**
 * Sends `name`'s sample callback to its own route, signed with the first key (or carrying
 * the first URL token) it is configured with, as `livehooks send` would: the inspector's
 * "send a sample". The stream is `inspector`; the push began at the start of the hour.
 */
export async function sendSample(name: string, url: string, env: Env, kind: 'start' | 'stop' = 'start') {
  const prefix = envPrefix(name);
  const nowSec = Math.floor(Date.now() / 1000);
  const spec = { kind, stream: 'inspector', sessionSec: nowSec - (nowSec % 3600), timeSec: nowSec };
  const { response, text, streamKey } = await sendSampleCallback(name, url, {
    spec,
    key: commaList(env[`${prefix}KEYS`])[0],
    token: commaList(env[`${prefix}TOKENS`])[0],
  });
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: shown as it came.
  }
  return { status: response.status, body, streamKey };
}
