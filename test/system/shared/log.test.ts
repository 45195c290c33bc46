import { afterEach, describe, expect, it, vi } from 'vitest';
import { envPrefix } from '../../../shared/config';
import { createTestTable } from '../../support/dynamo';
import { call, handlerFor } from '../../support/harness';
import { keys, providerFixtures, startOf, tokens } from '../../support/providers';

afterEach(() => vi.restoreAllMocks());

describe('logging', () => {
  it('logs each rejection once as JSON with provider and reason, and never a key or token', async () => {
    const lines: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    }
    const { store } = await createTestTable();
    const start = startOf('cam');
    for (const fixture of providerFixtures) {
      const env = {
        ...fixture.env,
        [`${envPrefix(fixture.adapter.name)}TOKENS`]: `${tokens.newest},${tokens.older}`,
      };
      const handler = handlerFor(fixture, store, env);
      await call(handler, fixture.callback(start, { token: tokens.newest }));
      await call(handler, fixture.callback(start, { token: tokens.unknown }));
      await call(handler, fixture.callback({ ...start, kind: 'stop' }, { key: keys.unknown, token: tokens.older }));
    }
    const rejections = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'callback rejected');
    expect(rejections.map((entry) => [entry.provider, entry.reason])).toEqual(
      providerFixtures.flatMap(({ adapter, signature }) => [
        [adapter.name, 'bad_token'],
        ...(signature ? [[adapter.name, 'bad_signature']] : []),
      ]),
    );
    const logged = lines.join('\n');
    for (const secret of [...Object.values(keys), ...Object.values(tokens)]) expect(logged).not.toContain(secret);
  });
});
