import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isEventBridgeAdapter, type SampleSpec } from '../../shared/provider';
import { localEnv, localSettings, runningServer } from '../local/settings';
import type { Delivery } from '../../shared/store/reader';
import type { KeptRefusal } from '../../shared/refusal';
import type { StreamNotification } from '../../shared/notification';
import type { StreamEvent } from '../../shared/record';
import type { Session } from '../../shared/sessions';
import type { StreamState } from '../../shared/store/table';
import type { Provider } from '../providers';
import type { SentSample } from '../vendor-requests';
import { wiringCommands } from './connect/usage';

// Each command loads its own modules when it runs (`await import`), so that a command, and
// `--help`, pays for no other command's: the vendors' SDKs, AWS clients, the registry.

const options = {
  live: { type: 'boolean' },
  logical: { type: 'boolean' },
  follow: { type: 'boolean', short: 'f' },
  json: { type: 'boolean' },
  http: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  stream: { type: 'string' },
  table: { type: 'string' },
  url: { type: 'string' },
  provider: { type: 'string' },
  key: { type: 'string' },
  token: { type: 'string' },
  kind: { type: 'string', default: 'start' },
  session: { type: 'string' },
  'dry-run': { type: 'boolean' },
  grace: { type: 'string', default: '600' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

/** A failure to report in one line, without a stack: exit status 1, or 2 for wrong usage. */
class CliError extends Error {
  constructor(
    message: string,
    readonly status: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** Wrong usage: exit status 2. */
const usageError = (message: string) => new CliError(message, 2);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function print(json: boolean, value: unknown, rows: () => string[][], empty: string): void {
  if (json) return void console.log(JSON.stringify(value, null, 2));
  const lines = rows();
  console.log(lines.length > 1 ? table(lines) : empty);
}

const duration = (ms: number | undefined) =>
  ms === undefined
    ? ''
    : ms < 60_000
      ? `${(ms / 1000).toFixed(0)} s`
      : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

async function readCommand(command: string, values: Values): Promise<void> {
  const { openStore } = await import('./open-store');
  const store = await openStore(values.table, localEnv(), values.url);
  try {
    if (command === 'streams') {
      const logical = values.logical ?? false;
      const streams: StreamState[] = values.live
        ? await store.reader.listLiveStreams({ logical })
        : await store.reader.listStreams({ logical });
      // A logical stream's current push is named with the member carrying it.
      const current = (s: StreamState) => [s.currentMember, s.sessionId].filter(Boolean).join(' ');
      return print(
        values.json ?? false,
        streams,
        () => [
          ['STREAM', 'LIVE', 'PUSHES', 'SINCE', 'SESSION'],
          ...streams.map((s) => [s.streamKey, s.live ? 'live' : '-', String(s.openPushes), s.since, current(s)]),
        ],
        `no ${values.live ? 'live ' : ''}${logical ? 'logical ' : ''}streams in ${store.where}`,
      );
    }
    if (command === 'events') {
      const events: StreamEvent[] = values.stream
        ? (await store.reader.readStream(values.stream)).events
        : await store.reader.listEvents();
      return print(
        values.json ?? false,
        events,
        () => [
          ['OCCURRED', 'KIND', 'STREAM', 'SESSION', 'ID'],
          ...events.map((e) => [e.occurredAt, e.kind, e.streamKey, e.sessionId, e.id]),
        ],
        `no events in ${store.where}`,
      );
    }
    if (!values.stream) throw usageError('sessions needs --stream KEY (see `livehooks streams`)');
    const sessions: Session[] = (await store.reader.readStream(values.stream)).sessions.reverse();
    return print(
      values.json ?? false,
      sessions,
      () => [
        ['SESSION', 'STARTED', 'STOPPED', 'DURATION', 'REASON'],
        ...sessions.map((s) => [
          s.sessionId,
          s.startedAt ?? '?',
          s.stoppedAt ?? (s.startedAt ? 'live' : '?'),
          duration(s.durationMs),
          s.reason ? `${s.reason.code} ${s.reason.message ?? ''}`.trim() : '',
        ]),
      ],
      `no sessions of ${values.stream} in ${store.where}`,
    );
  } finally {
    await store.close();
  }
}

/** One notification in one line: when, what, which stream, and the state it leaves. */
function notificationLine(body: string): string {
  let notification: StreamNotification;
  try {
    notification = JSON.parse(body) as StreamNotification;
  } catch {
    return `(not JSON) ${body}`;
  }
  const { type, streamKey, record, state, session } = notification;
  const took = session?.durationMs === undefined ? '' : `, ${duration(session.durationMs)}`;
  const pushes = state && state.openPushes > 1 ? `, ${state.openPushes} pushes open` : '';
  const now = !state
    ? ''
    : state.live
      ? `live since ${state.since}, session ${state.sessionId}${pushes}`
      : `not live since ${state.since}`;
  return `${record.occurredAt}  ${type.padEnd(15)}  ${streamKey}  ${now}${took}`.trimEnd();
}

/**
 * Takes the notifications waiting in npm start's queue, prints them in the order they came
 * and deletes them (a consumer's part); with `follow`, waits for more until stopped.
 */
async function notificationsCommand(values: Values): Promise<void> {
  const [{ openQueue }, { DeleteMessageBatchCommand, ReceiveMessageCommand }] = await Promise.all([
    import('./open-queue'),
    import('@aws-sdk/client-sqs'),
  ]);
  const { client, queueUrl } = await openQueue(localEnv());
  let taken = 0;
  for (;;) {
    // Waits of a second: the local engine answers a longer wait only when it has ten
    // messages or the wait is over (SQS answers with the first).
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: values.follow ? 1 : 0,
      }),
    );
    if (Messages.length === 0 && !values.follow) break;
    for (const message of Messages) console.log(values.json ? message.Body : notificationLine(message.Body ?? ''));
    taken += Messages.length;
    if (Messages.length > 0) {
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
    }
  }
  if (taken === 0 && !values.json) console.log(`no notifications waiting in ${queueUrl}`);
}

/** Where this folder's running `npm start` serves its receivers; `fix` says what else to give. */
function runningReceivers(fix: string): string {
  const running = runningServer(localSettings(localEnv()).dataDir);
  if (!running) throw new CliError(`no npm start is running for this folder: run \`npm start\` first, or ${fix}`);
  return running.receivers;
}

/** The read API `tail` polls: `--url`, or the running npm start's `/api`. */
function tailBase(values: Values): string {
  return values.url || `${runningReceivers('pass --url')}/api`;
}

/** One delivery or refusal in one line. */
const tailLine = (item: TailItem) =>
  item.type === 'delivery'
    ? `${item.receivedAt}  ${item.provider.padEnd(10)}  ${item.kind.padEnd(7)}  ${item.streamKey}  session ${item.sessionId}`
    : `${item.receivedAt}  ${item.provider.padEnd(10)}  REFUSED  ${item.status} ${item.reason}: ${item.message}` +
      (item.streamKey ? `  (${item.streamKey})` : '');

type TailItem = (Delivery & { type: 'delivery' }) | (KeptRefusal & { type: 'refusal' });

/**
 * Prints accepted and refused callbacks as they come, oldest first, one line each (or one
 * JSON object with `--json`), polling the read API twice a second until stopped: the
 * first thing to run while configuring a vendor's console.
 */
async function tailCommand(values: Values): Promise<void> {
  const base = tailBase(values);
  const { latest } = await import('./api-client');
  const seen = new Set<string>();
  let first = true;
  for (;;) {
    const { deliveries, refusals } = await latest(base).catch((error: Error) => {
      throw new CliError(error.message);
    });
    const items: TailItem[] = [
      ...deliveries.map((delivery) => ({ ...delivery, type: 'delivery' as const })),
      ...refusals.map((refusal) => ({ ...refusal, type: 'refusal' as const })),
    ].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    for (const item of items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      // What was there before tail began is history: `events` shows it.
      if (first) continue;
      if (values.provider && item.provider !== values.provider) continue;
      if (values.stream && item.streamKey !== values.stream) continue;
      console.log(values.json ? JSON.stringify(item) : tailLine(item));
    }
    first = false;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A provider and its route, as the registry's `providerOf` gives it. */
type NamedProvider = Provider & { name: string };

/** The provider, or a usage error naming the providers there are. */
async function provider(name: string | undefined): Promise<NamedProvider> {
  const { providerOf } = await import('../providers');
  try {
    return providerOf(name);
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

/** The push `sample` and `send` play: its kind, stream and when it began. */
function sampleSpec(values: Values, nowSec: number): SampleSpec {
  if (values.kind !== 'start' && values.kind !== 'stop') throw usageError('--kind is start or stop');
  // By default the push began at the start of the current hour, so a start and a stop sent within it pair up.
  const sessionSec = values.session === undefined ? nowSec - (nowSec % 3600) : Number(values.session);
  if (!Number.isSafeInteger(sessionSec) || sessionSec < 0) {
    throw usageError('--session is when the push began, in Unix seconds (its session value is made from it)');
  }
  return { kind: values.kind, stream: values.stream ?? 'demo', sessionSec, timeSec: nowSec };
}

async function sampleCommand([name]: string[], values: Values): Promise<void> {
  const { samples } = await provider(name);
  console.log(JSON.stringify(samples.sample(sampleSpec(values, Math.floor(Date.now() / 1000))), null, 2));
}

/**
 * The vendor's fields in a file: the fields themselves (what `sample` prints), or a
 * Function URL event (the files in events/), whose query or body holds them.
 */
async function fieldsIn(file: string, { name, adapter }: NamedProvider): Promise<Record<string, unknown>> {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw usageError(`${file} is not JSON (${(error as Error).message})`);
  }
  const expected = `the fields of a ${name} callback (\`livehooks sample ${name}\`) or a Function URL event (events/${name}/*.json)`;
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw usageError(`${file} holds no JSON object: expected ${expected}`);
  }
  let fields = content as Record<string, unknown>;
  // An EventBridge source's file is its event: its fields as they are.
  if ('requestContext' in fields && 'headers' in fields && !isEventBridgeAdapter(adapter)) {
    const { parseFormFields, readRequest } = await import('../../shared/request');
    const request = readRequest(fields as unknown as LambdaFunctionURLEvent);
    // The URL token of the file is dropped: --token adds one.
    const text = adapter.format === 'query' ? request.rawQuery : request.body;
    fields = adapter.format === 'json' ? (JSON.parse(text || '{}') as Record<string, unknown>) : parseFormFields(text);
    delete fields.token;
  }
  try {
    if (adapter.kindOf(fields) === null) throw new Error('neither a start nor a stop');
  } catch (error) {
    throw usageError(`${file} is not a ${name} start or stop (${(error as Error).message}): expected ${expected}`);
  }
  return fields;
}

/**
 * `--key` as the provider's settings write it, or a usage error saying how (LiveKit's
 * `<API key>:<API secret>`: the signer refuses anything else). The key is never echoed.
 */
function checkedKey(vendor: NamedProvider, key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  try {
    vendor.samples.sign({}, { key, nowSec: 0 });
  } catch (error) {
    const example = vendor.samples.keyEntry?.('<API secret>');
    throw usageError(`--key: ${(error as Error).message}${example ? `, as in --key ${example}` : ''}`);
  }
  return key;
}

/** The receiver URL `send` was given, or a usage error when it is not a whole http(s) URL. */
function receiverUrl(given: string, name: string): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(given).protocol;
  } catch {
    // Not a URL at all: said below.
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw usageError(`"${given}" is not an http(s) URL: write it whole, as in http://127.0.0.1:3000/${name}`);
  }
  return given;
}

async function signCommand([name, file]: string[], values: Values): Promise<void> {
  const vendor = await provider(name);
  if (!file) throw usageError(`sign needs a file: livehooks sign ${name} <file.json> --key K`);
  if (!existsSync(file)) throw usageError(`no file ${file}`);
  const { adapter } = vendor;
  if (values.key && (isEventBridgeAdapter(adapter) || !adapter.signed)) {
    throw usageError(
      isEventBridgeAdapter(adapter)
        ? `${name} events are not signed: EventBridge delivers them`
        : `${name} callbacks are not signed: pass --token instead of --key`,
    );
  }
  const fields = await fieldsIn(file, vendor);
  const request = vendor.samples.sign(fields, {
    key: checkedKey(vendor, values.key),
    nowSec: Math.floor(Date.now() / 1000),
  });
  // An EventBridge event is what `invoke local -p` takes as it is; --http, the POST to npm start's stand-in for the rule.
  if (isEventBridgeAdapter(adapter) && !values.http) return void console.log(JSON.stringify(fields, null, 2));
  const { queryWithToken, vendorEvent } = await import('../vendor-requests');
  const rawQuery = queryWithToken(request, values.token);
  if (values.http) {
    const head = [
      `${request.method} /${name}${rawQuery ? `?${rawQuery}` : ''} HTTP/1.1`,
      ...Object.entries(request.headers).map(([h, v]) => `${h}: ${v}`),
    ];
    return void console.log([...head, '', request.body ?? ''].join('\r\n'));
  }
  console.log(JSON.stringify(vendorEvent(name!, request, values.token), null, 2));
}

async function sendCommand([name, given]: string[], values: Values): Promise<void> {
  checkedKey(await provider(name), values.key);
  const url = given
    ? receiverUrl(given, name!)
    : `${runningReceivers(`give the URL: livehooks send ${name} <url>`)}/${name}`;
  const spec = sampleSpec(values, Math.floor(Date.now() / 1000));
  const { sendSampleCallback } = await import('../vendor-requests');
  let sent: SentSample;
  try {
    sent = await sendSampleCallback(name!, url, { spec, key: values.key, token: values.token });
  } catch (error) {
    throw new CliError(
      `nothing answered at ${url} (${((error as Error).cause as Error | undefined) ?? (error as Error).message}): is \`npm start\` running?`,
    );
  }
  const { response, text, streamKey } = sent;
  if (!response.ok) {
    let reason = `${response.status} ${response.statusText}`;
    let code: string | undefined;
    try {
      const body = JSON.parse(text) as { reason?: string; message?: string };
      code = body.reason;
      reason = `${response.status} ${[body.reason, body.message].filter(Boolean).join(': ')}`;
    } catch {
      // Not our JSON: the status line says enough.
    }
    const hint =
      code === 'missing_signature' && !values.key
        ? '; the receiver checks signatures: pass --key with its key'
        : code === 'missing_token' && !values.token
          ? '; the receiver checks URL tokens: pass --token with its token'
          : '';
    throw new CliError(`refused: ${reason}${hint}`);
  }
  console.log(`HTTP ${response.status} ${text}`);
  console.log(`stream key: ${streamKey}`);
}

async function reconcileCommand([provider]: string[], values: Values): Promise<void> {
  if (!provider) throw usageError('livehooks reconcile <provider> [--dry-run]: which provider?');
  if (!/^\d{1,6}$/.test(values.grace)) throw usageError('--grace takes whole seconds');
  const { runReconcile } = await import('./reconcile');
  const lines = await runReconcile({
    provider,
    dryRun: values['dry-run'] === true,
    table: values.table,
    graceMs: Number(values.grace) * 1000,
    env: localEnv(),
  });
  for (const line of lines) console.log(line);
}

/**
 * The option parser's complaint as one line with its fix: its own text suggests quoting
 * the option (`-- "--lve"`), which is never what was meant here.
 */
function optionMistake(error: Error & { code?: string }): CliError | undefined {
  const option = /'(--?[^' ]+)/.exec(error.message)?.[1] ?? 'an option';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const names = Object.keys(options).map((name) => `--${name}`);
    return usageError(`unknown option ${option}: the options are ${names.join(', ')} (\`livehooks --help\`)`);
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const takesValue = Object.entries(options).some(([name, { type }]) => `--${name}` === option && type === 'string');
    return usageError(
      takesValue
        ? `${option} needs a value, as in ${option} VALUE (\`livehooks --help\`)`
        : `${option} takes no value: write ${option} alone (\`livehooks --help\`)`,
    );
  }
  return error.code?.startsWith('ERR_PARSE_ARGS') ? usageError(error.message) : undefined;
}

/** Runs the CLI with `argv` (without node and the script). */
export async function main(argv: string[]): Promise<number> {
  // Wiring a vendor has options of its own (tools/cli/connect/command.ts).
  if (wiringCommands.has(argv[0] ?? '')) return (await import('./connect/command')).runWiring(argv);
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    } catch (error) {
      throw optionMistake(error as Error) ?? error;
    }
    const { values, positionals } = parsed;
    const [command, ...rest] = positionals;
    if (values.help) return (console.log((await import('./usage')).usage), 0);
    if (!command) return (console.error((await import('./usage')).usage), 2);
    if (command === 'streams' || command === 'events' || command === 'sessions') await readCommand(command, values);
    else if (command === 'notifications') await notificationsCommand(values);
    else if (command === 'tail') await tailCommand(values);
    else if (command === 'sample') await sampleCommand(rest, values);
    else if (command === 'sign') await signCommand(rest, values);
    else if (command === 'send') await sendCommand(rest, values);
    else if (command === 'reconcile') await reconcileCommand(rest, values);
    else throw usageError(`unknown command "${command}" (\`livehooks --help\` lists them)`);
    return 0;
  } catch (error) {
    const status = error instanceof CliError ? error.status : 1;
    console.error(`livehooks: ${error instanceof Error ? error.message : String(error)}`);
    return status;
  }
}
