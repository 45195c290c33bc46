import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { createHandler } from '../../shared/handler';
import { envPrefix } from '../../shared/config';
import { httpProviderNames, httpProviderOf } from '../../tools/providers';
import { livehooksCommand } from '../support/cli';
import { createTestTable } from '../support/dynamo';
import { keys } from '../support/providers';

const run = promisify(execFile);
const repo = new URL('../..', import.meta.url).pathname;

it.each(httpProviderNames.filter((name) => httpProviderOf(name).adapter.signed))(
  'livehooks sign %s makes an event its handler accepts with checks on',
  async (name) => {
    const { adapter, samples } = httpProviderOf(name);
    // As the provider's settings write a key (LiveKit's `<API key>:<API secret>`).
    const [key, unknown] = [keys.newest, keys.unknown].map((secret) => samples.keyEntry?.(secret) ?? secret);
    const dir = mkdtempSync(join(tmpdir(), 'livehooks-sign-'));
    const payload = join(dir, 'payload.json');
    const nowSec = Math.floor(Date.now() / 1000);
    writeFileSync(
      payload,
      JSON.stringify(samples.sample({ kind: 'start', stream: 'signed', sessionSec: nowSec, timeSec: nowSec })),
    );
    const { stdout } = await run(...livehooksCommand(['sign', name, payload, '--key', key!]), {
      cwd: repo,
      timeout: 30_000,
    });
    const event = JSON.parse(stdout) as LambdaFunctionURLEvent;

    const { store } = await createTestTable();
    const handler = createHandler(adapter, { env: { [`${envPrefix(name)}KEYS`]: key! }, store });
    expect(await handler(event, {} as Context)).toMatchObject({ statusCode: 200 });
    const other = createHandler(adapter, {
      env: { [`${envPrefix(name)}KEYS`]: unknown! },
      store,
    });
    expect(await other(event, {} as Context)).toMatchObject({ statusCode: 401 });
  },
);
