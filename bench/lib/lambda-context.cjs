// The Lambda-like context the bench's child processes invoke a handler with. Plain
// CommonJS, a few lines: what a child loads before the bundle stays next to nothing.
'use strict';
module.exports = {
  awsRequestId: 'bench',
  functionName: 'bench',
  // An EventBridge source checks the event's account and region against it (the samples').
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
  getRemainingTimeInMillis: () => 4000,
};
