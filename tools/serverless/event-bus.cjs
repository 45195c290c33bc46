'use strict';

/**
 * The `notificationBus` param as serverless.yml needs it (`${file(./tools/serverless/event-bus.cjs):arn}`):
 * a bus named (`live-events`, `default`) is this account's and region's; a bus given by its
 * ARN may be anywhere, so it is used as it is and its policy is left to its owner.
 *
 * - `arn`: the IAM resource of `events:PutEvents` (an ARN, or an `Fn::Sub` building one);
 * - `name`: the bus's name, for the policy this stack attaches to a bus of its own;
 * - `policy`: `'true'` when the stack attaches that policy (a bus named, not an ARN).
 */
const busArn = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/([A-Za-z0-9._\-/]{1,256})$/;
const busName = /^[A-Za-z0-9._\-/]{1,256}$/;

/** What the template needs of `notificationBus` (`''`: no bus). */
function eventBusOf(bus) {
  if (bus === '' || bus === undefined || bus === null) return { arn: '', name: '', policy: 'false' };
  const text = String(bus);
  const arn = busArn.exec(text);
  if (arn) return { arn: text, name: arn[1], policy: 'false' };
  if (text.startsWith('arn:') || !busName.test(text)) {
    throw new Error(
      `notificationBus "${text}" is neither an event bus name (letters, digits, . - _ /) nor an event bus ARN ` +
        '(arn:aws:events:<region>:<account>:event-bus/<name>); pass one of them with --param notificationBus=',
    );
  }
  return {
    arn: { 'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${text}` },
    name: text,
    policy: 'true',
  };
}

module.exports = async ({ resolveVariable }) => eventBusOf(await resolveVariable('param:notificationBus'));
module.exports.eventBusOf = eventBusOf;
