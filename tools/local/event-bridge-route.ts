import type { Context, EventBridgeEvent } from 'aws-lambda';
import type { createEventHandler } from '../../shared/handler';
import { jsonAnswer } from '../../shared/answer';
import { sampleOrigin } from '../../shared/provider';
import { readRequest } from '../../shared/request';
import type { FunctionUrlHandler } from './function-url-server';

/** An EventBridge source's handler. */
export type EventHandler = ReturnType<typeof createEventHandler>;

/** What Lambda passes when a rule in the samples' account and region invokes the function. */
const ruleContext = {
  awsRequestId: 'local',
  functionName: 'livehooks-local',
  invokedFunctionArn: `arn:aws:lambda:${sampleOrigin.region}:${sampleOrigin.account}:function:livehooks-local`,
  getRemainingTimeInMillis: () => 4_000,
} as unknown as Context;

const answer = jsonAnswer;

/**
 * A stand-in for an EventBridge rule on npm start's HTTP server (there is no local
 * EventBridge): the body of a POST is the event, handed to the handler as the rule would
 * invoke it, in the samples' account and region (`livehooks send` posts such an event).
 * The handler's result is answered as a callback's would be; a failure it throws (on AWS,
 * Lambda would run the event again) answers 503.
 */
export function eventBridgeRoute(handler: EventHandler): FunctionUrlHandler {
  return async (functionUrlEvent) => {
    const request = readRequest(functionUrlEvent);
    if (request.method !== 'POST') {
      return answer(405, { code: 405, reason: 'method_not_allowed', message: 'POST the EventBridge event' });
    }
    let event: unknown;
    try {
      event = JSON.parse(request.body);
    } catch {
      return answer(400, {
        code: 400,
        reason: 'malformed_body',
        message: 'the body is not an EventBridge event (JSON)',
      });
    }
    try {
      const result = await handler(event as EventBridgeEvent<string, unknown>, ruleContext);
      return answer(result.code === 0 ? 200 : result.code, result);
    } catch (error) {
      // The handler throws `<reason>: <message>` for a failure underneath it.
      const [, reason = 'internal_error', message = String(error)] =
        /^(\w+): (.*)$/s.exec((error as Error).message) ?? [];
      return answer(503, { code: 503, reason, message: `${message}; on AWS, Lambda runs the event again` });
    }
  };
}
