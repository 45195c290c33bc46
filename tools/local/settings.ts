import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Env } from '../../shared/config';

/** Where the local receiver and the CLI find things, from the environment. */
export interface LocalSettings {
  /** Port of the HTTP server (`PORT`, default 3000; 0 picks a free one). */
  port: number;
  /** Port of the embedded store (`LIVEHOOKS_STORE_PORT`, default 8000; 0 picks a free one). */
  storePort: number;
  /** Port of the embedded SQS engine (`LIVEHOOKS_QUEUE_PORT`, default 9324; 0 picks a free one). */
  queuePort: number;
  /** Folder of the embedded store's data (`LIVEHOOKS_DATA_DIR`, default `.livehooks/data`). */
  dataDir: string;
  /** Table name (`LIVEHOOKS_TABLE`, default `livehooks`). */
  tableName: string;
}

function port(env: Env, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number (0 picks a free one), got "${text}"`);
  }
  return value;
}

/** `npm start`'s options, each the variable it stands for (an option wins over its variable). */
export const startOptions = {
  port: 'PORT',
  'store-port': 'LIVEHOOKS_STORE_PORT',
  'queue-port': 'LIVEHOOKS_QUEUE_PORT',
  'data-dir': 'LIVEHOOKS_DATA_DIR',
} as const;

/** A mistake on a command line: said in one line with its fix, exit status 2. */
export class UsageError extends Error {}

/**
 * What `npm start`'s command line (`npm start -- --port 4000`) sets, as the variables its
 * options stand for. Throws a {@link UsageError} for anything else, and for an option npm
 * kept for itself (given before `--`), so that no option is silently ignored.
 */
export function startArguments(args: readonly string[], env: Env = {}): Env {
  const names = Object.keys(startOptions) as (keyof typeof startOptions)[];
  const fix = (option: string, value = '4000') => `run npm start -- --${option} ${value}`;
  const list = names.map((name) => `--${name}`).join(', ');
  // Before `--`, npm takes `--port` as its own setting (npm_config_port) and passes the value on bare.
  const keptValue = (name: string) => env[`npm_config_${name.replace('-', '_')}`];
  const kept = names.find((name) => keptValue(name) !== undefined);
  if (kept) {
    const value = keptValue(kept) === 'true' ? undefined : keptValue(kept);
    throw new UsageError(`npm kept --${kept} for itself (it came before \`--\`): ${fix(kept, value)}`);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: Object.fromEntries(names.map((name) => [name, { type: 'string' }])) as Record<
        keyof typeof startOptions,
        { type: 'string' }
      >,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const option = /'(--?[^' ]+)/.exec((error as Error).message)?.[1] ?? 'an option';
    throw new UsageError(
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `unknown option ${option}: npm start takes ${list}`
        : `${option} needs a value: ${fix(option.replace(/^-+/, ''))}`,
    );
  }
  if (parsed.positionals.length > 0) {
    throw new UsageError(
      `unexpected "${parsed.positionals.join(' ')}": npm keeps the options before \`--\` for itself; ${fix('port', parsed.positionals[0])}`,
    );
  }
  const set: Record<string, string> = {};
  for (const name of names) {
    const value = parsed.values[name];
    if (value === undefined) continue;
    if (name !== 'data-dir') {
      try {
        port({ [`--${name}`]: value }, `--${name}`, 0);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    set[startOptions[name]] = value;
  }
  return set;
}

/**
 * The environment of the local tools: the process's, with `.env` in the working directory
 * under it (a variable already set wins), read the same way by `npm start`, the CLI and,
 * through serverless.yml's `useDotenv`, `serverless invoke local`. `LIVEHOOKS_ENV_FILE`
 * names another file, or none when empty: the tests read no developer's `.env`.
 */
export function localEnv(): Env {
  const file = process.env.LIVEHOOKS_ENV_FILE ?? '.env';
  if (file && existsSync(file)) process.loadEnvFile(file);
  return process.env;
}

/** Reads the local settings; the same defaults serve `npm start`, the CLI and `invoke local`. */
export function localSettings(env: Env): LocalSettings {
  return {
    port: port(env, 'PORT', 3000),
    storePort: port(env, 'LIVEHOOKS_STORE_PORT', 8000),
    queuePort: port(env, 'LIVEHOOKS_QUEUE_PORT', 9324),
    dataDir: env.LIVEHOOKS_DATA_DIR || '.livehooks/data',
    tableName: env.LIVEHOOKS_TABLE || 'livehooks',
  };
}

/** What a running `npm start` leaves in its data folder, so that the CLI finds it on any port. */
export interface RunningServer {
  pid: number;
  /** The embedded store's endpoint. */
  store: string;
  /** The receivers' base URL. */
  receivers: string;
  /** The URL of the local notification queue. */
  queue: string;
}

const runningFile = (dataDir: string) => join(dataDir, 'livehooks-running.json');

/** The `npm start` serving this data folder, if one is running. */
export function runningServer(dataDir: string): RunningServer | undefined {
  try {
    const running = JSON.parse(readFileSync(runningFile(dataDir), 'utf8')) as RunningServer;
    process.kill(running.pid, 0); // throws when no such process: a file left by a crash
    return running;
  } catch {
    return undefined;
  }
}

/** Records (or, with `undefined`, forgets) the `npm start` serving this data folder. */
export function recordRunning(dataDir: string, running: RunningServer | undefined): void {
  if (running) writeFileSync(runningFile(dataDir), `${JSON.stringify(running)}\n`);
  else rmSync(runningFile(dataDir), { force: true });
}
