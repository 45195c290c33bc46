'use strict';
/**
 * Every role that sends notifications, as `Fn::GetAtt` ARNs, for serverless.yml's
 * `${file(./tools/serverless/receiver-roles.cjs)}`: the only principals the notification
 * queue's and bus's policies let send. The vendor receivers' roles (tools/serverless/receivers.cjs),
 * then each reconcile function's (tools/serverless/reconcilers.cjs, docs/behaviour.md §7): its
 * repairs are announced like callbacks.
 */
const vendors = require('./vendors.json');
const reconcilers = require('./reconcilers.json');

module.exports = () => [...vendors, ...reconcilers].map(({ role }) => ({ 'Fn::GetAtt': [role, 'Arn'] }));
