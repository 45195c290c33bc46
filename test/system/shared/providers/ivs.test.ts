/**
 * Amazon IVS through EventBridge: the conformance rows of an HTTP vendor, for the second
 * entry of the pipeline. Its authenticity is the event's source, account and region
 * against the function's own ARN; every refusal is returned with its reason (thrown, Lambda
 * would only run it again) and writes nothing; a store failure is thrown, so that Lambda
 * retries, and the retry lands once.
 */
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDynamoStore } from '../../../../shared/store/reader';
import { createTestTable, type TestTable } from '../../../support/dynamo';
import { eventBridgeFixtures, ruleContext } from '../../../support/event-bridge';
import { clientWithInjectedFaults } from '../../../support/faults';
import { nowSec, startOf } from '../../../support/providers';

const fixture = eventBridgeFixtures.find((candidate) => candidate.adapter.name === 'ivs')!;
const start = startOf('chan1', 120);
const stop = { ...start, kind: 'stop' as const, timeSec: nowSec - 20 };
const contextIn = (account: string, region: string) => ({
  ...ruleContext,
  invokedFunctionArn: `arn:aws:lambda:${region}:${account}:function:f`,
});

let table: TestTable;
beforeEach(async () => {
  table = await createTestTable();
});

/** Expects a refusal with this status and reason, and an untouched table. */
async function expectRefused(result: Promise<unknown>, status: number, reason: string) {
  expect(await result).toMatchObject({ code: status, reason });
  expect(await table.scanAll()).toEqual([]);
}

describe('ivs', () => {
  it('refuses an event nested deeper than the JSON limit (malformed_body), never overflowing the stack', async () => {
    const handler = fixture.handler({ env: {}, store: table.store });
    let deep: unknown = 'x';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    await expectRefused(handler(fixture.event(start, (event) => void (event.extra = deep))), 400, 'malformed_body');
  });

  it('stores a Stream Start and its Stream End as one session, keyed by the channel ARN', async () => {
    const handler = fixture.handler({ env: {}, store: table.store });
    const started = await handler(fixture.event(start));
    const stopped = await handler(fixture.event(stop));
    expect([started, stopped]).toEqual([
      { code: 0, id: expect.any(String), duplicate: false },
      { code: 0, id: expect.any(String), duplicate: false },
    ]);
    const { state, events, sessions } = await table.store.readStream('ivs/123456789012/us-east-1/chan1');
    expect(events.map((event) => [event.kind, event.domain, event.app, event.stream])).toEqual([
      ['stop', '123456789012', 'us-east-1', 'chan1'],
      ['start', '123456789012', 'us-east-1', 'chan1'],
    ]);
    expect(sessions).toEqual([expect.objectContaining({ durationMs: 100_000 })]);
    expect(sessions[0]!.sessionId).toMatch(/^st-/);
    expect(state).toMatchObject({ live: false });
    expect(JSON.parse(events[0]!.raw)).toEqual(fixture.event(stop));
  });

  it('answers a repeated event as a duplicate and stores it once', async () => {
    const handler = fixture.handler({ env: {}, store: table.store });
    const first = await handler(fixture.event(start));
    expect(await handler(fixture.event(start))).toEqual({ ...first, duplicate: true });
    expect((await table.scanAll()).filter((item) => String(item.sk).startsWith('event#'))).toHaveLength(1);
  });

  it('acknowledges the other stream state changes and other detail types, storing nothing', async () => {
    const handler = fixture.handler({ env: {}, store: table.store });
    for (const event of fixture.samples.otherEvents({
      kind: 'start',
      stream: 'c',
      sessionSec: nowSec,
      timeSec: nowSec,
    }))
      expect(await handler(event)).toEqual({ code: 0, ignored: true });
    for (const name of ['Stream Takeover', 'Stream Takeover Failure', 'Something New']) {
      const event = fixture.event(start, (e) => ((e.detail as Record<string, unknown>).event_name = name));
      expect(await handler(event)).toEqual({ code: 0, ignored: true });
    }
    expect(await table.scanAll()).toEqual([]);
  });

  describe('refuses, writing nothing,', () => {
    const handler = () => fixture.handler({ env: {}, store: table.store });

    it('an event of another source, account or region with 403', async () => {
      await expectRefused(handler()(fixture.event(start, (e) => (e.source = 'custom.ivs'))), 403, 'foreign_event');
      await expectRefused(
        handler()(fixture.event(start), contextIn('210987654321', 'us-east-1')),
        403,
        'foreign_event',
      );
      await expectRefused(
        handler()(fixture.event(start), contextIn('123456789012', 'eu-west-1')),
        403,
        'foreign_event',
      );
    });

    it('an event whose channel is of another account or region than the event, with 403', async () => {
      // A rule of this account delivers only this account's events; the channel keys the
      // stream, so a channel named elsewhere would write another account's partition.
      const elsewhere = (arn: string) => fixture.event(start, (e) => (e.resources = [arn]));
      for (const arn of [
        'arn:aws:ivs:us-east-1:210987654321:channel/c',
        'arn:aws:ivs:eu-west-1:123456789012:channel/c',
      ]) {
        await expectRefused(handler()(elsewhere(arn)), 403, 'foreign_event');
      }
      const second = fixture.event(start, (e) =>
        (e.resources as string[]).push('arn:aws:ivs:eu-west-1:210987654321:channel/d'),
      );
      await expectRefused(handler()(second), 403, 'foreign_event');
      expect(await table.scanAll()).toEqual([]);
    });

    it('any event when the invocation carries no function ARN, with 401, unless checks are off by name', async () => {
      const bare = { awsRequestId: 'x' } as Context;
      await expectRefused(handler()(fixture.event(start), bare), 401, 'not_configured');
      const unchecked = fixture.handler({ env: { LIVEHOOKS_IVS_AUTH: 'off' }, store: table.store });
      expect(await unchecked(fixture.event(start), contextIn('210987654321', 'eu-west-1'))).toMatchObject({ code: 0 });
    });

    it('what is not an object, or is over 64 KiB, with 400 / 413', async () => {
      await expectRefused(handler()('Stream Start'), 400, 'malformed_body');
      await expectRefused(
        handler()(fixture.event(start, (e) => (e.padding = 'x'.repeat(64 * 1024)))),
        413,
        'payload_too_large',
      );
    });

    it('a missing or mistyped field with 400, named by its path', async () => {
      const without = (path: 'time' | 'stream_id') =>
        fixture.event(
          start,
          (e) => void (path === 'time' ? delete e.time : delete (e.detail as Record<string, unknown>).stream_id),
        );
      expect(await handler()(without('stream_id'))).toMatchObject({
        code: 400,
        reason: 'missing_field',
        message: 'detail.stream_id is missing',
      });
      expect(await handler()(without('time'))).toMatchObject({
        code: 400,
        reason: 'missing_field',
        message: 'time is missing',
      });
      await expectRefused(handler()(fixture.event(start, (e) => (e.time = 1497263023))), 400, 'bad_field');
      await expectRefused(
        handler()(fixture.event(start, (e) => (e.resources = ['arn:aws:ivs:us-east-1:123456789012:stream-key/x']))),
        400,
        'bad_field',
      );
      await expectRefused(handler()(fixture.event(start, (e) => delete e.detail)), 400, 'missing_field');
    });

    it('an event time more than 60 s ahead with 400', async () => {
      const ahead = fixture.event({ ...start, timeSec: nowSec + 61 });
      await expectRefused(handler()(ahead), 400, 'event_time_ahead');
    });
  });

  it('throws on a store failure, so that Lambda retries, and the retry lands once', async () => {
    let failing = true;
    const client = clientWithInjectedFaults(table.endpoint, () => failing);
    const store = createDynamoStore({ tableName: table.tableName, client });
    const handler = fixture.handler({ env: {}, store });
    await expect(handler(fixture.event(start))).rejects.toThrow(/^store_unavailable: /);
    failing = false;
    expect(await handler(fixture.event(start))).toMatchObject({ code: 0 });
    expect(await handler(fixture.event(start))).toMatchObject({ code: 0, duplicate: true });
    expect((await table.scanAll()).filter((item) => String(item.sk).startsWith('event#'))).toHaveLength(1);
  });
});
