import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const { eventBusOf } = createRequire(import.meta.url)('../../../../tools/serverless/event-bus.cjs') as {
  eventBusOf: (bus: unknown) => { arn: unknown; name: string; policy: string };
};

describe('tools/serverless/event-bus.cjs', () => {
  it('makes a bus named into this account’s and region’s ARN, whose policy the stack sets', () => {
    expect(eventBusOf('live-events')).toEqual({
      arn: { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/live-events' },
      name: 'live-events',
      policy: 'true',
    });
    expect(eventBusOf('default').name).toBe('default');
  });

  it('takes a bus ARN as it is, in any partition, and leaves its policy to its owner', () => {
    for (const arn of [
      'arn:aws:events:eu-west-1:210987654321:event-bus/live-events',
      'arn:aws-cn:events:cn-north-1:210987654321:event-bus/default',
    ]) {
      expect(eventBusOf(arn)).toEqual({ arn, name: arn.split('/').pop(), policy: 'false' });
    }
  });

  it('is no bus for an empty param', () => {
    expect(eventBusOf('')).toEqual({ arn: '', name: '', policy: 'false' });
  });

  it('refuses what is neither, saying what it takes', () => {
    for (const bad of [
      'arn:aws:events:eu-west-1:210987654321:rule/live',
      'arn:aws:sqs:eu-west-1:210987654321:queue',
      'live events',
      'x'.repeat(257),
      'bus*',
    ]) {
      expect(() => eventBusOf(bad), bad).toThrow(/neither an event bus name .* nor an event bus ARN/);
    }
  });
});
