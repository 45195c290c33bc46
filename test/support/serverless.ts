import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const hasTimeout = spawnSync('timeout', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Runs the osls CLI (the local bin rather than `npx`: it can never fetch anything, and a
 * timeout signals the CLI itself, not a wrapper). osls hangs instead of exiting when a
 * handler fails to load, so it runs under coreutils `timeout` where there is one (not on a
 * stock macOS) and under execFile's own deadline in any case.
 */
export function serverless(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; seconds: number }) {
  const bin = join(options.cwd, 'node_modules', '.bin', 'serverless');
  const [file, fileArgs]: [string, string[]] = hasTimeout
    ? ['timeout', ['-k', '5', String(options.seconds), bin, ...args]]
    : [bin, args];
  return run(file, fileArgs, {
    cwd: options.cwd,
    env: options.env,
    timeout: (options.seconds + 10) * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  });
}

/**
 * The parent environment without anything AWS or livehooks (a developer's shell may have
 * both), and with no way to find real credentials: packaging and `invoke local` run offline.
 */
export function offlineEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(AWS_|LIVEHOOKS_|SLS_|SERVERLESS_)/.test(name)) env[name] = value;
  }
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/livehooks-test/credentials',
    AWS_CONFIG_FILE: '/nonexistent/livehooks-test/config',
    ...extra,
  };
}
