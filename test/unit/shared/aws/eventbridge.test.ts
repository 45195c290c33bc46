import { afterEach, describe, expect, it } from 'vitest';
import { createEventBridgeClient } from '../../../../shared/aws/eventbridge';
import { standInCredentials, startAwsStandIn } from '../../../support/aws-stand-in';

// No EventBridge engine runs here: the stand-in checks each request's signature with the SDK's signer.
let standIn: Awaited<ReturnType<typeof startAwsStandIn>> | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

describe('createEventBridgeClient', () => {
  it('puts events as AWSEvents.PutEvents in JSON 1.1, signed for `events`', async () => {
    standIn = await startAwsStandIn(() => ({
      status: 200,
      body: { FailedEntryCount: 0, Entries: [{ EventId: 'e' }] },
    }));
    const client = createEventBridgeClient({
      endpoint: standIn.endpoint,
      region: 'eu-west-1',
      credentials: standInCredentials,
    });
    const entry = { Source: 'livehooks', DetailType: 'Stream started', Detail: '{}', Time: 1_765_000_000.5 };
    expect(await client.putEvents({ Entries: [entry] })).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    expect(standIn.requests[0]).toMatchObject({
      target: 'AWSEvents.PutEvents',
      body: { Entries: [entry] },
      signatureValid: true,
      scope: { region: 'eu-west-1', service: 'events' },
      headers: { 'content-type': 'application/x-amz-json-1.1' },
    });
  });
});
