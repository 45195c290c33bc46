import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { createHandler } from '../shared/handler';
import { providers } from '../tools/providers';
import { vendorPlayers } from '../tools/cli/vendor-requests';
import { createTestTable } from './support/dynamo';
import { keys } from './support/providers';

const run = promisify(execFile);
const repo = new URL('..', import.meta.url).pathname;

it.each(['alibaba', 'tencent', 'huawei'])(
  'livehooks sign %s makes an event its handler accepts with checks on',
  async (name) => {
    const dir = mkdtempSync(join(tmpdir(), 'livehooks-sign-'));
    const payload = join(dir, 'payload.json');
    const nowSec = Math.floor(Date.now() / 1000);
    writeFileSync(
      payload,
      JSON.stringify(vendorPlayers[name]!.sample({ kind: 'start', stream: 'signed', session: String(nowSec), nowSec })),
    );
    const { stdout } = await run('npx', ['livehooks', 'sign', name, payload, '--key', keys.newest], {
      cwd: repo,
      timeout: 30_000,
    });
    const event = JSON.parse(stdout) as LambdaFunctionURLEvent;

    const { store } = await createTestTable();
    const env = { [`LIVEHOOKS_${name.toUpperCase()}_KEYS`]: keys.newest };
    const handler = createHandler(providers[name]!, { env, store });
    expect(await handler(event, {} as Context)).toMatchObject({ statusCode: 200 });
    const other = createHandler(providers[name]!, {
      env: { [`LIVEHOOKS_${name.toUpperCase()}_KEYS`]: keys.unknown },
      store,
    });
    expect(await other(event, {} as Context)).toMatchObject({ statusCode: 401 });
  },
);
