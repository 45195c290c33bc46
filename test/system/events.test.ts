import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envPrefix } from '../../shared/config';
import { createTestTable } from '../support/dynamo';
import { call, handlerFor } from '../support/harness';
import { eventBridgeFixtures } from '../support/event-bridge';
import { providerFixtures } from '../support/providers';

const eventsDir = new URL('../../events/', import.meta.url);

describe.each(providerFixtures.map((fixture) => [fixture.adapter.name, fixture] as const))(
  'events/%s',
  (name, fixture) => {
    const files = readdirSync(new URL(`${name}/`, eventsDir)).sort();

    it('has a start and a stop', () => {
      expect(files).toEqual(expect.arrayContaining(['start.json', 'stop.json']));
    });

    it.each(files)('%s is accepted as its vendor would send it', async (file) => {
      const event = JSON.parse(readFileSync(new URL(`${name}/${file}`, eventsDir), 'utf8')) as LambdaFunctionURLEvent;
      const table = await createTestTable();
      // Signed with the key (or carrying the token) of the vendor's documented example.
      const secret = {
        [`${envPrefix(name)}${fixture.adapter.signed ? 'KEYS' : 'TOKENS'}`]: fixture.samples.exampleSecret,
      };
      const handler = handlerFor(fixture, table.store, secret, event.requestContext.timeEpoch);
      const answer = await call(handler, event);
      expect(answer.status).toBe(200);
      if (file.startsWith('ignored')) {
        expect(answer.body.ignored).toBe(true);
        expect(await table.scanAll()).toEqual([]);
      } else {
        const kind = file.startsWith('start') ? 'start' : 'stop';
        const stored = (await table.scanAll()).filter((item) => item.sk === `event#${answer.body.id}`);
        expect(stored).toEqual([expect.objectContaining({ provider: name, kind })]);
      }
    });
  },
);

describe.each(eventBridgeFixtures.map((fixture) => [fixture.adapter.name, fixture] as const))(
  'events/%s (EventBridge events)',
  (name, fixture) => {
    const files = readdirSync(new URL(`${name}/`, eventsDir)).sort();

    it.each(files)('%s is accepted as the deployment’s rule would deliver it', async (file) => {
      const event = JSON.parse(readFileSync(new URL(`${name}/${file}`, eventsDir), 'utf8')) as { time: string };
      const table = await createTestTable();
      // A second after the event, in the samples' account and region (ruleContext).
      const handler = fixture.handler({ env: {}, store: table.store, now: () => Date.parse(event.time) + 1000 });
      const result = await handler(event);
      if (file.startsWith('ignored')) {
        expect(result).toEqual({ code: 0, ignored: true });
        expect(await table.scanAll()).toEqual([]);
      } else {
        expect(result).toMatchObject({ code: 0, duplicate: false });
        const kind = file.startsWith('start') ? 'start' : 'stop';
        const stored = (await table.scanAll()).filter((item) => item.sk === `event#${(result as { id: string }).id}`);
        expect(stored).toEqual([expect.objectContaining({ provider: name, kind })]);
      }
    });
  },
);
