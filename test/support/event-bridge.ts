/**
 * The sources whose events come through EventBridge (IVS), as their rule would invoke them,
 * for the tests: built from the registry, each source's own samples.
 */
import type { Context, EventBridgeEvent } from 'aws-lambda';
import type { EventResult } from '../../shared/answer';
import { createEventHandler, type HandlerOptions } from '../../shared/handler';
import { isEventBridgeAdapter, sampleOrigin, type EventBridgeAdapter, type VendorSamples } from '../../shared/provider';
import { streamKeyOf } from '../../shared/record';
import * as v from 'valibot';
import { providerNames, providerOf } from '../../tools/providers';
import { nowMs, type CallbackSpec } from './providers';

/** What Lambda passes when the deployment's rule invokes a function: its ARN, in the samples' account and region. */
export const ruleContext = {
  awsRequestId: 'test',
  functionName: 'livehooks-test',
  invokedFunctionArn: `arn:aws:lambda:${sampleOrigin.region}:${sampleOrigin.account}:function:livehooks-test`,
  getRemainingTimeInMillis: () => 4_000,
} as unknown as Context;

/** Everything a test needs to drive one EventBridge source as AWS would. */
export interface EventBridgeFixture {
  adapter: EventBridgeAdapter<unknown>;
  samples: VendorSamples;
  /** The source's event of one start or stop, `change` applied to it. */
  event(spec: CallbackSpec, change?: (event: Record<string, unknown>) => void): Record<string, unknown>;
  /** Its real handler, with the clock at {@link nowMs} unless `options` says otherwise. */
  handler(options: HandlerOptions): (event: unknown, context?: Context) => Promise<EventResult>;
  /** The key of a stream of the samples, named `stream`. */
  streamKey: (stream: string) => string;
}

function fixtureOf(name: string): EventBridgeFixture {
  const { adapter, samples } = providerOf(name);
  if (!isEventBridgeAdapter(adapter)) throw new Error(`${name} is not an EventBridge source`);
  const event: EventBridgeFixture['event'] = (spec, change) => {
    const fields = samples.sample({
      kind: spec.kind,
      stream: spec.stream,
      sessionSec: spec.sessionStartSec,
      timeSec: spec.timeSec,
    });
    change?.(fields);
    return fields;
  };
  return {
    adapter,
    samples,
    event,
    handler(options) {
      const handler = createEventHandler(adapter, { now: () => nowMs, ...options });
      return (e, context = ruleContext) => handler(e as EventBridgeEvent<string, unknown>, context);
    },
    streamKey(stream) {
      const fields = event({ kind: 'start', stream, sessionStartSec: 0, timeSec: 0 });
      return streamKeyOf(name, adapter.normalize(v.parse(adapter.schema, fields), 'start', 0));
    },
  };
}

/** Every registered EventBridge source. */
export const eventBridgeFixtures = providerNames
  .filter((name) => isEventBridgeAdapter(providerOf(name).adapter))
  .map(fixtureOf);
