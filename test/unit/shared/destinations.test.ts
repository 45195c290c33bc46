import { describe, expect, it } from 'vitest';
import { publisherOf, readDestinations } from '../../../shared/destinations';
import { createHandler } from '../../../shared/handler';
import { httpProviderOf } from '../../../tools/providers';

const queueUrl = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/livehooks-prod-notifications.fifo';

describe('readDestinations', () => {
  it('is the table alone by default', () => {
    expect(readDestinations({})).toEqual({ store: true });
    expect(publisherOf(readDestinations({}))).toBeUndefined();
  });

  it('reads the queue, the bus and the table switch', () => {
    expect(readDestinations({ LIVEHOOKS_QUEUE_URL: queueUrl, LIVEHOOKS_EVENT_BUS: ' live ' })).toEqual({
      store: true,
      queueUrl,
      busName: 'live',
    });
    expect(readDestinations({ LIVEHOOKS_STORE: 'OFF', LIVEHOOKS_QUEUE_URL: queueUrl })).toEqual({
      store: false,
      queueUrl,
    });
    expect(publisherOf(readDestinations({ LIVEHOOKS_QUEUE_URL: queueUrl, LIVEHOOKS_EVENT_BUS: 'live' }))).toBeDefined();
  });

  it('refuses a queue that is not FIFO and a store it does not know, naming the variable', () => {
    expect(() => readDestinations({ LIVEHOOKS_QUEUE_URL: queueUrl.replace('.fifo', '') })).toThrow(
      /LIVEHOOKS_QUEUE_URL must be a FIFO queue/,
    );
    expect(() => readDestinations({ LIVEHOOKS_STORE: 'dynamo' })).toThrow(
      /LIVEHOOKS_STORE must be "dynamodb" or "off"/,
    );
  });
});

describe('a handler', () => {
  it('will not start with the table off and nowhere to send', () => {
    expect(() =>
      createHandler(httpProviderOf('srs').adapter, { env: { LIVEHOOKS_STORE: 'off', LIVEHOOKS_SRS_AUTH: 'off' } }),
    ).toThrow('LIVEHOOKS_STORE=off needs LIVEHOOKS_QUEUE_URL or LIVEHOOKS_EVENT_BUS: callbacks would go nowhere');
  });
});
