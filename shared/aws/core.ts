/**
 * The AWS client of every deployed function: one request per attempt over Node's own
 * `http`/`https`, signed (SigV4) by `aws4`, for the AWS JSON protocol that DynamoDB, SQS,
 * EventBridge and SSM all speak. It does what the callback path relies on and no more
 * (BENCHMARKS.md, "The AWS client"): credentials and region from the Lambda environment,
 * `AWS_ENDPOINT_URL_*` for local engines, a timeout per attempt, the caller's abort
 * signal, retries with jittered backoff, errors by their AWS name with the answer's
 * fields (a conditional check failure's old item), and keep-alive.
 */
import aws4 from 'aws4';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';

/** The keys a request is signed with. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** How to reach and call a service; every field has a default from the environment. */
export interface AwsClientOptions {
  /** Default: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, then the service's regional endpoint. */
  endpoint?: string;
  /** Default: `AWS_REGION`, then `AWS_DEFAULT_REGION`. */
  region?: string;
  /**
   * Default: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, which
   * Lambda sets to the function's role. A function is asked before each request (the CLI
   * passes a credential chain's provider, which caches).
   */
  credentials?: AwsCredentials | (() => Promise<AwsCredentials>);
  /** Attempts per call, the first included (default 2). */
  maxAttempts?: number;
  /** Longest wait for one attempt's answer, connecting included, in milliseconds (default 1500). */
  attemptTimeoutMs?: number;
  /** A layer around the sending of each signed request: tests put faults and counters here. */
  layer?: (request: AwsRequest, send: Transport) => Promise<AwsAnswer>;
}

/** One signed request, as it goes out. */
export interface AwsRequest {
  url: URL;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/** An answer, as it came back. */
export interface AwsAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What sends a signed request and reads its whole answer. */
export type Transport = (request: AwsRequest) => Promise<AwsAnswer>;

/** What a call takes besides its input. */
export interface CallOptions {
  /** Ends the call, its retries and backoff included, with the signal's reason. */
  abortSignal?: AbortSignal;
}

/** One AWS JSON service: its names and its protocol's version. */
export interface AwsJsonService {
  /** The service's name in the `AWS_ENDPOINT_URL_<NAME>` variable (`DYNAMODB`, `SQS`, `EVENTBRIDGE`, `SSM`). */
  envName: string;
  /** The first label of its regional host (`dynamodb`, `sqs`, `events`, `ssm`). */
  endpointPrefix: string;
  /** The name it is signed for. */
  signingName: string;
  /** The `X-Amz-Target` prefix (`DynamoDB_20120810`). */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
}

/**
 * A failed call: `name` is the AWS error's name (`ConditionalCheckFailedException`), and
 * the answer's other fields are on it as they came (a conditional check failure's `Item`).
 * Network failures and timeouts keep their own names (`TypeError`, `TimeoutError`).
 */
export class AwsError extends Error {
  /** The HTTP status of the answer; undefined when no answer came. */
  readonly statusCode: number | undefined;
  /** Whether another attempt may succeed (throttling, a 5xx, a network failure, a timeout). */
  readonly retryable: boolean;
  [field: string]: unknown;

  constructor(name: string, message: string, statusCode: number | undefined, retryable: boolean, fields = {}) {
    super(message);
    Object.assign(this, fields);
    this.name = name;
    this.statusCode = statusCode;
    this.retryable = retryable;
  }
}

/** The errors that say "too fast": retried after a longer backoff. */
const throttlingNames = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'LimitExceededException',
  'TransactionInProgressException',
]);
/** The other errors worth a second attempt. */
const transientNames = new Set(['RequestTimeout', 'RequestTimeoutException', 'InternalServerError', 'InternalFailure']);

/** Backoff bases, as the AWS SDK's standard retry strategy has them. */
const baseDelayMs = 100;
const throttlingBaseDelayMs = 500;

/** A call of one action of `service`: plain JSON in, plain JSON out, or an {@link AwsError}. */
export type AwsCall = (action: string, input: object, options?: CallOptions) => Promise<Record<string, unknown>>;

/** Makes the caller of one AWS JSON service, reading the environment once, on its first call. */
export function awsJsonClient(service: AwsJsonService, options: AwsClientOptions = {}): AwsCall {
  const { maxAttempts = 2, attemptTimeoutMs = 1500, layer } = options;
  const send: Transport = layer ? (request) => layer(request, transport) : transport;
  let where: { url: URL; region: string } | undefined;
  const contentType = `application/x-amz-json-${service.jsonVersion}`;

  return async (action, input, { abortSignal } = {}) => {
    where ??= endpointOf(service, options);
    const body = JSON.stringify(input);
    for (let attempt = 1; ; attempt++) {
      abortSignal?.throwIfAborted();
      let error: AwsError;
      try {
        const { url, region } = where;
        // Signed for each attempt: a signature holds its time.
        const { headers } = aws4.sign(
          {
            host: url.host,
            path: url.pathname,
            method: 'POST',
            headers: { 'Content-Type': contentType, 'X-Amz-Target': `${service.targetPrefix}.${action}` },
            body,
            service: service.signingName,
            region,
          },
          await credentialsOf(options.credentials),
        );
        const answer = await withTimeout(attemptTimeoutMs, abortSignal, (signal) =>
          send({ url, headers: headers as Record<string, string>, body, signal }),
        );
        const fields = parseJson(answer.body);
        if (answer.status < 300) return fields;
        error = errorOf(service, action, answer.status, answer.headers['x-amzn-errortype'], fields);
      } catch (failure) {
        // The caller's own abort ends the call as it is: no more attempts.
        if (abortSignal?.aborted) throw abortSignal.reason;
        if (failure instanceof AwsError) throw failure;
        error = networkError(service, action, failure);
      }
      if (!error.retryable || attempt >= maxAttempts) throw error;
      const base = throttlingNames.has(error.name) ? throttlingBaseDelayMs : baseDelayMs;
      await sleep(Math.random() * base * 2 ** (attempt - 1), abortSignal);
    }
  };
}

/** The endpoint and region, from the options or the environment. */
function endpointOf(service: AwsJsonService, options: AwsClientOptions) {
  const env = process.env;
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const url = options.endpoint ?? env[`AWS_ENDPOINT_URL_${service.envName}`] ?? env.AWS_ENDPOINT_URL;
  if (url) return { url: new URL(url), region: region ?? 'us-east-1' };
  if (!region) {
    throw new Error(
      `No region for ${service.signingName}: set AWS_REGION (Lambda sets it), or AWS_ENDPOINT_URL_${service.envName} for a local engine.`,
    );
  }
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return { url: new URL(`https://${service.endpointPrefix}.${region}.${suffix}/`), region };
}

/** Connections kept open between calls, per protocol (Lambda freezes them between invocations). */
const agents: { http?: HttpAgent; https?: HttpAgent } = {};
/** `https` is loaded on first use: a local engine speaks `http`, and loading TLS costs a cold start. */
let https: typeof import('node:https') | undefined;

/** Sends a request over Node's own `http`/`https`, and reads its whole answer. */
const transport: Transport = ({ url, headers, body, signal }) =>
  new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    if (secure) https ??= process.getBuiltinModule('node:https');
    const agent = secure
      ? (agents.https ??= new https!.Agent({ keepAlive: true }))
      : (agents.http ??= new HttpAgent({ keepAlive: true }));
    const request: ClientRequest = (secure ? https!.request : httpRequest)(
      url,
      { method: 'POST', headers, agent, signal },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });

async function credentialsOf(given: AwsClientOptions['credentials']): Promise<AwsCredentials> {
  if (typeof given === 'function') return given();
  if (given) return given;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
  if (!accessKeyId || !secretAccessKey) {
    throw new AwsError(
      'CredentialsMissing',
      'No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Lambda sets them to the function’s role), or pass `credentials`.',
      undefined,
      false,
    );
  }
  return { accessKeyId, secretAccessKey, sessionToken: process.env.AWS_SESSION_TOKEN };
}

/** The error an answer of `status` says, by name, with its fields. */
function errorOf(
  service: AwsJsonService,
  action: string,
  status: number,
  errorType: string | string[] | undefined,
  fields: Record<string, unknown>,
): AwsError {
  // `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException`, or a header's `Name:http://...`.
  const type = textOf([errorType].flat()[0], fields.__type, fields.code) ?? `Http${status}`;
  const name = type.slice(type.lastIndexOf('#') + 1).split(':')[0]!;
  const message = textOf(fields.message, fields.Message) ?? `answered ${status}`;
  const { __type: _type, message: _message, Message: _Message, ...rest } = fields;
  const retryable = status >= 500 || status === 429 || throttlingNames.has(name) || transientNames.has(name);
  return new AwsError(name, `${service.signingName} ${action}: ${name}: ${message}`, status, retryable, rest);
}

/** The first of `values` that is a string. */
const textOf = (...values: unknown[]) => values.find((value): value is string => typeof value === 'string');

/** A request that got no answer: refused, cut, or out of time. */
function networkError(service: AwsJsonService, action: string, failure: unknown): AwsError {
  const cause = failure as { name?: string; code?: string; message?: string };
  const name = cause.name === 'TimeoutError' ? 'TimeoutError' : 'NetworkError';
  const detail = cause.code ?? cause.message ?? String(failure);
  return new AwsError(
    name,
    `${service.signingName} ${action}: no answer (${detail}); check that the endpoint is reachable`,
    undefined,
    true,
    {
      cause: failure,
    },
  );
}

/** JSON of an answer; an empty or non-JSON answer is an empty object. */
function parseJson(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Runs one attempt under an abort signal that fires after `timeoutMs` or with `outer`,
 * whichever comes first. The timer is cleared when the attempt ends: a warm container
 * keeps no pending timer.
 */
async function withTimeout<T>(
  timeoutMs: number,
  outer: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const abort = () => controller.abort(outer!.reason);
  outer?.addEventListener('abort', abort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  try {
    return await work(controller.signal);
  } catch (error) {
    throw controller.signal.aborted && !outer?.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', abort);
  }
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => (signal?.removeEventListener('abort', aborted), resolve());
    const timer = setTimeout(done, ms);
    const aborted = () => (clearTimeout(timer), reject(signal!.reason as Error));
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
