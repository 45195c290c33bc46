import type { APIGatewayProxyStructuredResultV2 as FunctionUrlResult, LambdaFunctionURLEvent } from 'aws-lambda';
import { jsonAnswer } from './answer';
import { maxStreamKeyBytes } from './pipeline';
import { BadPageToken, maxPageTokenChars } from './store/cursor';
import type { StoreReader } from './store/reader';

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
 * The longest query string taken: a stream key of {@link maxStreamKeyBytes} bytes, each
 * %-escaped (3 characters a byte), or a page token, with room for the other parameters.
 */
const maxQueryChars = 3 * maxStreamKeyBytes + maxPageTokenChars + 512;

/**
 * A stream key as the receivers write them: well-formed text of at most
 * {@link maxStreamKeyBytes} bytes. Any character may be in a name the receivers stored, so
 * none is refused; an invalid %-sequence is read as U+FFFD, and finds nothing.
 */
const isStreamKey = (text: string) =>
  text.length > 0 && text.isWellFormed() && Buffer.byteLength(text) <= maxStreamKeyBytes;

const badKey = (name: string) =>
  `${name} is a stream key as the listings give it: well-formed text of at most ${maxStreamKeyBytes} bytes`;

/** A record id: 32 lower-case hex digits (record.ts). */
const isRecordId = (text: string) => /^[0-9a-f]{32}$/.test(text);

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
    if ((event.rawQueryString ?? '').length > maxQueryChars) {
      return problem(400, 'bad_request', `the query string is longer than ${maxQueryChars} characters`);
    }
    const query = new URLSearchParams(event.rawQueryString ?? '');
    const limit = limitOf(query.get('limit'));
    if (limit === undefined) return problem(400, 'bad_request', 'limit is a whole number from 1 to 200');
    const next = query.get('next') ?? undefined;
    const [live, logical] = [query.get('live'), query.get('logical')];
    if ([live, logical].some((flag) => flag !== null && flag !== 'true' && flag !== 'false')) {
      return problem(400, 'bad_request', 'live and logical are true or false');
    }
    try {
      switch (path.replace(/\/+$/, '')) {
        case '/streams':
          return answer(
            200,
            await reader.streamsPage({ live: live === 'true', logical: logical === 'true', limit, next }),
          );
        case '/stream': {
          const key = query.get('key');
          if (!key) return problem(400, 'bad_request', 'key (a stream key) is required');
          if (!isStreamKey(key)) return problem(400, 'bad_request', badKey('key'));
          const view = await reader.readStream(key);
          if (!view.state && view.events.length === 0) return problem(404, 'not_found', 'no such stream');
          return answer(200, view);
        }
        case '/event': {
          const [stream, id] = [query.get('stream'), query.get('id')];
          if (!stream || !id) return problem(400, 'bad_request', 'stream (a stream key) and id are required');
          if (!isStreamKey(stream)) return problem(400, 'bad_request', badKey('stream'));
          if (!isRecordId(id)) return problem(400, 'bad_request', 'id is a record id: 32 lower-case hex digits');
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
      if (error instanceof BadPageToken) return problem(400, 'bad_cursor', error.message);
      throw error;
    }
  };
}
