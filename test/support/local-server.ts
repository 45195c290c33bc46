import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { livehooksCommand, repo } from './cli';

const run = promisify(execFile);

/** A running `npm start`, on free ports with its own data folder, and the CLI pointed at it. */
export interface LocalServer {
  baseUrl: string;
  storeUrl: string;
  /** Its notification queue's URL. */
  queueUrl: string;
  /** Its data folder. */
  dataDir: string;
  /** The process group `npm start` leads (npm, tsx and the server's node). */
  processGroup: number;
  /** What the server printed at start. */
  banner: string;
  /** Runs `livehooks ...` against this server's store. */
  livehooks(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** Stops the server; throws if anything it logged holds a configured key or token. */
  stop(): void;
}

/** Starts `npm start` exactly as a user would, with `env` added to the environment. */
export async function startLocalServer(env: Record<string, string>): Promise<LocalServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'livehooks-'));
  const fullEnv = {
    ...process.env,
    PORT: '0',
    LIVEHOOKS_STORE_PORT: '0',
    LIVEHOOKS_QUEUE_PORT: '0',
    LIVEHOOKS_DATA_DIR: dataDir,
    ...env,
  };
  const server = spawn('npm', ['start'], { cwd: repo, env: fullEnv, detached: true });
  let banner = '';
  let output = '';
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [baseUrl, storeUrl, queueUrl] = await new Promise<[string, string, string]>((resolve, reject) => {
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      banner += chunk.toString();
      const store = /store\s+(http:\/\/\S+)/.exec(banner);
      const queue = /queue\s+(http:\/\/\S+)/.exec(banner);
      const receiver = /alibaba\s+(http:\/\/\S+)\/alibaba/.exec(banner);
      if (store && queue && receiver && banner.includes('Ctrl-C')) resolve([receiver[1]!, store[1]!, queue[1]!]);
    });
    server.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${banner}`)));
  });
  return {
    baseUrl,
    storeUrl,
    queueUrl,
    dataDir,
    processGroup: server.pid!,
    banner,
    livehooks: (...args) =>
      run(...livehooksCommand(args), {
        cwd: repo,
        env: { ...fullEnv, LIVEHOOKS_STORE_URL: storeUrl },
        timeout: 30_000,
      }),
    stop() {
      // npm start runs tsx under npm: signal the whole process group.
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
      // Keys and tokens never reach a log line, the server's included.
      const secrets = Object.entries(env)
        .filter(([name]) => /_(KEYS|TOKENS)$/.test(name))
        .flatMap(([, value]) => value.split(','))
        .filter(Boolean);
      const leaked = secrets.filter((secret) => output.includes(secret));
      if (leaked.length > 0) throw new Error(`npm start logged ${leaked.length} configured key(s) or token(s)`);
    },
  };
}
