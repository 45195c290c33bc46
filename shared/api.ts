import type { APIGatewayProxyStructuredResultV2 as FunctionUrlResult, LambdaFunctionURLEvent } from 'aws-lambda';
import { jsonAnswer } from './answer';
import { BadPageToken, type StoreReader } from './store/reader';

const answer = jsonAnswer;

const problem = (statusCode: number, reason: string, message: string) =>
  answer(statusCode, { code: statusCode, reason, message });

/** The routes, for the 404's message. */
const routes = '/streams[?live=true][&logical=true], /stream?key=, /event?stream=&id=, /deliveries, /refusals';

/** A page size: 1 to 200, 50 by default. */
function limitOf(text: string | null): number | undefined {
  if (text === null) return 50;
  return /^\d{1,3}$/.test(text) && Number(text) >= 1 && Number(text) <= 200 ? Number(text) : undefined;
}

/**
 * The read API: what the receivers stored, as JSON, for a dashboard, the CLI (`--url`) and
 * `livehooks tail`. Deployed behind a Function URL with AWS_IAM auth (only signed requests
 * of principals allowed `lambda:InvokeFunctionUrl` reach it); `npm start` serves it under
 * `/api`. Read-only, paginated (`limit`, and the `next` token of the page before).
 *
 * @param basePath - where the API is mounted (`/api` locally, `` behind its own URL)
 * @param now - the clock the recent listings count their days from
 */
export function createApiHandler(reader: StoreReader, { basePath = '', now = Date.now } = {}) {
  return async (event: LambdaFunctionURLEvent): Promise<FunctionUrlResult> => {
    if ((event.requestContext?.http?.method ?? 'GET') !== 'GET') {
      return problem(405, 'method_not_allowed', 'the read API answers GET requests');
    }
    const path = event.rawPath.startsWith(basePath) ? event.rawPath.slice(basePath.length) : event.rawPath;
    const query = new URLSearchParams(event.rawQueryString ?? '');
    const limit = limitOf(query.get('limit'));
    if (limit === undefined) return problem(400, 'bad_request', 'limit is a whole number from 1 to 200');
    const next = query.get('next') ?? undefined;
    try {
      switch (path.replace(/\/+$/, '')) {
        case '/streams':
          return answer(
            200,
            await reader.streamsPage({
              live: query.get('live') === 'true',
              logical: query.get('logical') === 'true',
              limit,
              next,
            }),
          );
        case '/stream': {
          const key = query.get('key');
          if (!key) return problem(400, 'bad_request', 'key (a stream key) is required');
          const view = await reader.readStream(key);
          if (!view.state && view.events.length === 0) return problem(404, 'not_found', 'no such stream');
          return answer(200, view);
        }
        case '/event': {
          const [stream, id] = [query.get('stream'), query.get('id')];
          if (!stream || !id) return problem(400, 'bad_request', 'stream (a stream key) and id are required');
          const record = await reader.readEvent(stream, id);
          return record ? answer(200, record) : problem(404, 'not_found', 'no such event');
        }
        case '/deliveries':
          return answer(200, await reader.deliveriesPage({ limit, next, nowMs: now() }));
        case '/refusals':
          return answer(200, await reader.refusalsPage({ limit, next, nowMs: now() }));
        default:
          return problem(404, 'not_found', `no such route; the routes are ${routes}`);
      }
    } catch (error) {
      if (error instanceof BadPageToken) return problem(400, 'bad_request', error.message);
      throw error;
    }
  };
}
