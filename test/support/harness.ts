import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { createHandler } from '../../shared/handler';
import type { Publisher } from '../../shared/publishers/port';
import type { EventStore } from '../../shared/store/port';
import { nowMs, type ProviderFixture } from './providers';

/** The Lambda timeout in serverless.yml: every answer, 503s included, must come before it. */
export const handlerTimeoutMs = 4_000;

/** A provider's real middy handler over a test store (and publisher), with the clock set to {@link nowMs}. */
export function handlerFor(
  fixture: ProviderFixture,
  store: EventStore,
  env: Record<string, string> = fixture.env,
  now = nowMs,
  publisher?: Publisher,
) {
  return createHandler(fixture.adapter, { env, store, now: () => now, ...(publisher ? { publisher } : {}) });
}

/** What a handler answered, with the JSON body parsed. */
export interface Answer {
  status: number;
  body: { code: number; reason?: string; message?: string; id?: string; duplicate?: boolean; ignored?: boolean };
}

/** Invokes a handler the way Lambda does and parses its answer. */
export async function call(handler: ReturnType<typeof handlerFor>, event: LambdaFunctionURLEvent): Promise<Answer> {
  const result = await handler(event, {} as Context);
  return { status: result.statusCode ?? 200, body: JSON.parse(result.body ?? '{}') };
}

/** A copy of a callback with some of its fields changed: in its query (GET), form body or JSON body. */
export function withFields(
  event: LambdaFunctionURLEvent,
  change: (fields: Record<string, unknown>) => void,
): LambdaFunctionURLEvent {
  const asForm = (text: string) => {
    const fields: Record<string, unknown> = Object.fromEntries(new URLSearchParams(text));
    change(fields);
    return new URLSearchParams(fields as Record<string, string>).toString();
  };
  if (event.requestContext.http.method === 'GET') return { ...event, rawQueryString: asForm(event.rawQueryString) };
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
  if (event.headers['content-type'] === 'application/x-www-form-urlencoded') {
    return { ...event, body: Buffer.from(asForm(body)).toString('base64'), isBase64Encoded: true };
  }
  const fields = JSON.parse(body);
  change(fields);
  return { ...event, body: JSON.stringify(fields), isBase64Encoded: false };
}
