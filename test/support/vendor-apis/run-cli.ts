import { execFile } from 'node:child_process';
import { livehooksCommand, repo } from '../cli';

/** What one `livehooks` run printed, and its exit status. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Every run's output, so that a test can scan all of it for secrets. */
export const printed: string[] = [];

/** Runs `livehooks ...args` in the repository as a user would, with `env` over the process's. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      ...livehooksCommand(args),
      { cwd: repo, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        printed.push(stdout, stderr);
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
