import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createHandler, originOf } from '../../../shared/handler';
import type { StreamNotification } from '../../../shared/notification';
import type { Publisher } from '../../../shared/publishers/port';
import { eventBridgeFixtures, ruleContext } from '../../support/event-bridge';
import { fixtureFor, nowMs, nowSec, startOf } from '../../support/providers';

/** A destination that keeps what it is given: the handler's only way out with the store off. */
function keeper() {
  const taken: StreamNotification[] = [];
  const publisher: Publisher = {
    async publish(notification) {
      taken.push(notification);
    },
  };
  return { taken, publisher };
}

const srs = fixtureFor('srs');
const storeOff = { ...srs.env, LIVEHOOKS_STORE: 'off' };

describe('createHandler', () => {
  it('refuses, at cold start, a function with no store and nowhere to send', () => {
    expect(() => createHandler(srs.adapter, { env: storeOff })).toThrow(
      'LIVEHOOKS_STORE=off needs LIVEHOOKS_QUEUE_URL or LIVEHOOKS_EVENT_BUS',
    );
  });

  it('runs a callback through the pipeline on the clock it is given', async () => {
    const { taken, publisher } = keeper();
    const handler = createHandler(srs.adapter, { env: storeOff, publisher, now: () => nowMs });
    const result = await handler(srs.callback(startOf('studio')), {} as Context);
    expect(result.statusCode ?? 200).toBe(200);
    expect(taken).toHaveLength(1);
    expect(taken[0]!.record.receivedAt).toBe(new Date(nowMs).toISOString());
  });

  it('answers what nothing else handled with a plain 500 that echoes nothing', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { publisher } = keeper();
    const adapter = {
      ...srs.adapter,
      normalize: () => {
        throw new TypeError('a bug holding studio');
      },
    };
    const handler = createHandler(adapter, { env: storeOff, publisher, now: () => nowMs });
    const result = await handler(srs.callback(startOf('studio')), {} as Context);
    error.mockRestore();
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body!)).toEqual({
      code: 500,
      reason: 'internal_error',
      message: 'unexpected error; see the function log',
    });
  });
});

describe('createEventHandler', () => {
  it('checks an event against the account and region of the function it runs in', async () => {
    const [ivs] = eventBridgeFixtures;
    const { taken, publisher } = keeper();
    const handler = ivs!.handler({ env: { LIVEHOOKS_STORE: 'off' }, publisher });
    const event = ivs!.event({ kind: 'start', stream: 'studio', sessionStartSec: nowSec - 30, timeSec: nowSec - 30 });
    const elsewhere = { ...ruleContext, invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:f' };
    expect(await handler(event, elsewhere)).toMatchObject({ code: 403 });
    expect(taken).toHaveLength(0);
    expect(await handler(event, ruleContext)).toMatchObject({ code: 0 });
    expect(taken).toHaveLength(1);
  });
});

describe('originOf', () => {
  it('reads region and account from a Lambda function ARN', () => {
    expect(originOf('arn:aws:lambda:us-east-1:123456789012:function:livehooks-ivs')).toEqual({
      account: '123456789012',
      region: 'us-east-1',
    });
  });

  it('reads nothing from anything else', () => {
    for (const arn of [undefined, '', 'arn:aws:sqs:us-east-1:123456789012:q', 'arn:aws:lambda::123:function:f']) {
      expect(originOf(arn)).toBeUndefined();
    }
  });
});
