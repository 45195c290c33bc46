import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { providerNames, providerOf } from '../providers';
import type { StreamEvent } from '../../shared/record';
import type { Session } from '../sessions';
import type { StreamState } from '../../shared/store/table';
import { openStore } from './open-store';
import { queryWithToken, vendorEvent } from '../vendor-requests';

const usage = `livehooks: read what the receivers stored, and play a vendor

  livehooks streams [--live] [--json]            each stream: live or not, since when, current session
  livehooks events [--stream KEY] [--json]       stored records, newest first
  livehooks sessions --stream KEY [--json]       a stream's sessions: start, stop, duration
  livehooks sign <provider> <payload.json> --key K [--token T] [--http]
                                                 the payload signed for now, as a Function URL event
                                                 (or, with --http, as the HTTP request to send)
  livehooks send <provider> <url> [--key K] [--token T] [--kind start|stop] [--stream NAME] [--session S]
                                                 send a signed sample callback and print the answer

  --table NAME   read a DynamoDB table (usual AWS credentials and region) instead of the local store
  providers: ${providerNames.join(', ')}`;

const options = {
  live: { type: 'boolean' },
  json: { type: 'boolean' },
  http: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  stream: { type: 'string' },
  table: { type: 'string' },
  key: { type: 'string' },
  token: { type: 'string' },
  kind: { type: 'string', default: 'start' },
  session: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

/** A user error: printed without a stack, exit status 1 or the one given. */
class CliError extends Error {}

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
  const store = await openStore(values.table, process.env);
  try {
    if (command === 'streams') {
      const streams: StreamState[] = values.live
        ? await store.reader.listLiveStreams()
        : await store.reader.listStreams();
      return print(
        values.json ?? false,
        streams,
        () => [
          ['STREAM', 'LIVE', 'SINCE', 'SESSION'],
          ...streams.map((s) => [s.streamKey, s.live ? 'live' : '-', s.since, s.sessionId ?? '']),
        ],
        `no ${values.live ? 'live ' : ''}streams in ${store.where}`,
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
    if (!values.stream) throw new CliError('sessions needs --stream KEY (see `livehooks streams`)');
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

/** The vendor's samples, or a user error naming the providers there are. */
function samplesOf(name: string | undefined) {
  try {
    return providerOf(name).samples;
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

function signCommand([name, file]: string[], values: Values): void {
  const samples = samplesOf(name);
  if (!file || !existsSync(file))
    throw new CliError(`sign needs a payload file: livehooks sign ${name} <payload.json> --key K`);
  const fields = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const request = samples.sign(fields, { key: values.key, nowSec: Math.floor(Date.now() / 1000) });
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

async function sendCommand([name, url]: string[], values: Values): Promise<void> {
  const samples = samplesOf(name);
  if (!url) throw new CliError(`send needs a URL: livehooks send ${name} http://127.0.0.1:3000/${name}`);
  if (values.kind !== 'start' && values.kind !== 'stop') throw new CliError('--kind is start or stop');
  const nowSec = Math.floor(Date.now() / 1000);
  // By default the push began at the start of the current hour, so a start and a stop sent within it pair up.
  const sessionSec = values.session === undefined ? nowSec - (nowSec % 3600) : Number(values.session);
  if (!Number.isSafeInteger(sessionSec) || sessionSec < 0) {
    throw new CliError('--session is when the push began, in Unix seconds (its session value is made from it)');
  }
  const fields = samples.sample({ kind: values.kind, stream: values.stream ?? 'demo', sessionSec, timeSec: nowSec });
  const request = samples.sign(fields, { key: values.key, nowSec });
  const target = new URL(url);
  for (const [field, value] of new URLSearchParams(queryWithToken(request, values.token)))
    target.searchParams.append(field, value);
  const response = await fetch(target, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  console.log(`HTTP ${response.status} ${text}`);
  if (!response.ok) {
    let reason = response.statusText;
    try {
      const body = JSON.parse(text) as { reason?: string; message?: string };
      reason = [body.reason, body.message].filter(Boolean).join(': ') || reason;
    } catch {
      // Not our JSON: the status line says enough.
    }
    throw new CliError(`refused: ${reason}`);
  }
}

/** Runs the CLI with `argv` (without node and the script). */
export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    const [command, ...rest] = positionals;
    if (values.help || !command) return (console.log(usage), values.help ? 0 : 1);
    if (command === 'streams' || command === 'events' || command === 'sessions') await readCommand(command, values);
    else if (command === 'sign') signCommand(rest, values);
    else if (command === 'send') await sendCommand(rest, values);
    else throw new CliError(`unknown command "${command}"\n\n${usage}`);
    return 0;
  } catch (error) {
    console.error(`livehooks: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
