/**
 * Every sample event in events/ through `serverless invoke local` (stage "local"): the
 * real CLI, serverless-esbuild's CommonJS bundle and the local stage's settings, against
 * this run's dynalite.
 *
 * The CLI runs in a private copy of the repository (node_modules linked, not copied), so
 * its `.esbuild/` build folder is never the one test/deploy.test.ts packages into, even
 * when vitest runs the two files side by side.
 *
 * Each run takes a core for seconds, so by default the start of one provider of each entry (a
 * Function URL, an EventBridge rule) goes through the CLI: test/system/events.test.ts gives
 * every sample event to every handler in-process, where the ways callbacks arrive differ.
 * `INVOKE_LOCAL=all` (CI) takes every sample of every provider through the CLI.
 */
import type { APIGatewayProxyStructuredResultV2 as FunctionUrlResult } from 'aws-lambda';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isEventBridgeAdapter } from '../../shared/provider';
import { providers as registry, type Provider } from '../../tools/providers';
import { createTestTable } from '../support/dynamo';
import { offlineEnv, serverless } from '../support/serverless';

const repo = fileURLToPath(new URL('../..', import.meta.url));
/** Top-level entries that are not the project: build output, local data, VCS. */
const notCopied = new Set(['node_modules', '.git', '.esbuild', '.serverless', '.livehooks', 'coverage']);

/**
 * How a provider's callbacks reach its function, as far as the CLI's path can tell them
 * apart: through EventBridge, or as a Function URL request of a method and format,
 * authenticated where (a signature in a header or a field, a token in a header or the URL),
 * with the adapter's own steps (a handshake, an answer of its own).
 */
function familyOf({ adapter, samples }: Provider): string {
  if (isEventBridgeAdapter(adapter)) return 'EventBridge';
  const authenticity = samples.signature
    ? `signature in a ${'header' in samples.signature ? 'header' : 'field'}`
    : `token in ${adapter.tokenHeader ? 'a header' : 'the URL'}`;
  const steps = [adapter.handshake && 'handshake', adapter.answer && 'own answer'].filter(Boolean);
  return [`${adapter.method} ${adapter.format}`, authenticity, ...steps].join(', ');
}

/** `INVOKE_LOCAL`: `all` (CI) for every provider; unset, the registry's first of each entry, its start. */
const scope = process.env.INVOKE_LOCAL ?? '';
if (scope !== '' && scope !== 'all') {
  throw new Error(`INVOKE_LOCAL must be "all" (every provider) or unset (one per entry), got "${scope}"`);
}
/** The providers the CLI runs, each with its family. */
const invoked = new Map<string, string>();
const entries = new Set<string>();
for (const [name, provider] of Object.entries(registry)) {
  const entry = isEventBridgeAdapter(provider.adapter) ? 'EventBridge' : 'Function URL';
  if (scope !== 'all' && entries.has(entry)) continue;
  entries.add(entry);
  invoked.set(name, familyOf(provider));
}

/** Every sample event in events/, by provider and file. */
const samples = readdirSync(join(repo, 'events'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) =>
    readdirSync(join(repo, 'events', entry.name))
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({ provider: entry.name, file })),
  )
  .sort((a, b) => `${a.provider}/${a.file}`.localeCompare(`${b.provider}/${b.file}`));
/** Those the CLI runs. */
const cases = samples
  .filter(({ provider, file }) => invoked.has(provider) && (scope === 'all' || file === 'start.json'))
  .map((sample) => ({ ...sample, family: invoked.get(sample.provider)! }));

let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'livehooks-invoke-'));
  cpSync(repo, workDir, {
    recursive: true,
    filter: (source) => !notCopied.has(relative(repo, source).split(sep)[0]!),
  });
  symlinkSync(join(repo, 'node_modules'), join(workDir, 'node_modules'), 'dir');
});

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/**
 * The handler's answer in the CLI's output: osls prints it last, as indented JSON, after
 * whatever the handler logged. Tries each line that opens an object, from the last, up to
 * each later line, and takes the first parse that is a Function URL result, or an
 * EventBridge source's result (its `code`), which is read as the body of a 200 or of its code.
 */
function answerIn(stdout: string): FunctionUrlResult {
  const lines = stripVTControlCharacters(stdout).split('\n');
  for (let start = lines.length - 1; start >= 0; start--) {
    if (!lines[start]!.startsWith('{')) continue;
    for (let end = lines.length; end > start; end--) {
      try {
        const value = JSON.parse(lines.slice(start, end).join('\n')) as unknown;
        if (value && typeof value === 'object' && 'statusCode' in value) return value as FunctionUrlResult;
        if (value && typeof value === 'object' && 'code' in value) {
          const { code } = value as { code: number };
          return { statusCode: code === 0 ? 200 : code, body: JSON.stringify(value) };
        }
      } catch {
        // not this span
      }
    }
  }
  throw new Error(`no handler answer in the output:\n${stdout}`);
}

/** `serverless invoke local` of one sample event; resolves the answer, its body parsed. */
async function invokeLocal(provider: string, file: string, env: Record<string, string>) {
  let stdout: string;
  let stderr: string;
  try {
    ({ stdout, stderr } = await serverless(
      ['invoke', 'local', '--stage', 'local', '-f', provider, '-p', `events/${provider}/${file}`],
      { cwd: workDir, env: offlineEnv(env), seconds: 60 },
    ));
  } catch (error) {
    const { stdout: out, stderr, code } = error as { stdout?: string; stderr?: string; code?: unknown };
    throw new Error(`invoke local ${provider} ${file} failed (exit ${String(code)}):\n${out ?? ''}\n${stderr ?? ''}`, {
      cause: error,
    });
  }
  // Keys and tokens never reach a log line, the function's own output included.
  for (const [name, value] of Object.entries(env)) {
    if (/_(KEYS|TOKENS)$/.test(name))
      for (const secret of value.split(',')) expect(stdout + stderr).not.toContain(secret);
  }
  const answer = answerIn(stdout);
  const body = (typeof answer.body === 'string' ? JSON.parse(answer.body) : answer.body) as {
    code: number;
    reason?: string;
    id?: string;
    duplicate?: boolean;
    ignored?: boolean;
    allowed?: boolean;
  };
  return { status: answer.statusCode, body };
}

describe('serverless invoke local (stage local)', () => {
  it('finds the sample events: a start and a stop of every provider', () => {
    const providers = [...new Set(samples.map(({ provider }) => provider))].sort();
    expect(providers).toEqual(Object.keys(registry).sort());
    for (const provider of providers) {
      expect(samples.filter((c) => c.provider === provider).map((c) => c.file)).toEqual(
        expect.arrayContaining(['start.json', 'stop.json']),
      );
    }
  });

  // One at a time: each CLI run takes a core for a few seconds.
  it.each(cases)(
    '$provider $file ($family): answered 200 and stored (or ignored), checks off as the local stage sets them',
    async ({ provider, file }) => {
      const table = await createTestTable();
      const answer = await invokeLocal(provider, file, {
        AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
        LIVEHOOKS_TABLE: table.tableName,
      });
      expect(answer.status).toBe(200);
      expect(answer.body.code).toBe(0);
      const items = await table.scanAll();
      // OvenMediaEngine admits a publish by `allowed` (docs/vendors.md).
      const { allowed, ...body } = answer.body;
      expect(allowed).toBe(provider === 'ome' ? true : undefined);
      answer.body = body;
      if (file.startsWith('ignored')) {
        expect(answer.body).toEqual({ code: 0, ignored: true });
        expect(items).toEqual([]);
        return;
      }
      expect(answer.body).toEqual({ code: 0, id: expect.stringMatching(/^[0-9a-f]{32}$/), duplicate: false });
      const kind = file.startsWith('start') ? 'start' : 'stop';
      expect(items.filter((item) => item.sk === `event#${answer.body.id}`)).toEqual([
        expect.objectContaining({ provider, kind, id: answer.body.id }),
      ]);
      expect(items.filter((item) => item.sk === 'state')).toEqual([
        expect.objectContaining({ provider, live: kind === 'start', lastEventId: answer.body.id }),
      ]);
    },
    70_000,
  );

  it('turns checks on with LIVEHOOKS_<P>_AUTH=on and takes the keys from the shell', async () => {
    const table = await createTestTable();
    const answer = await invokeLocal('tencent', 'start.json', {
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
      LIVEHOOKS_TABLE: table.tableName,
      LIVEHOOKS_TENCENT_AUTH: 'on',
      // The key the sample was signed with: the signature passes, its 2009 expiry does not.
      LIVEHOOKS_TENCENT_KEYS: 'abc123',
    });
    expect(answer).toEqual({ status: 401, body: expect.objectContaining({ code: 401, reason: 'expired' }) });
    expect(await table.scanAll()).toEqual([]);
  }, 70_000);
});
