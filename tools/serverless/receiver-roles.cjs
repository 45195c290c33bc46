'use strict';
/**
 * Every vendor receiver's role, as `Fn::GetAtt` ARNs, for serverless.yml's
 * `${file(./tools/serverless/receiver-roles.cjs)}`: the only principals the notification
 * queue's and bus's policies let send. The roles themselves: tools/serverless/receivers.cjs.
 */
const vendors = require('./vendors.json');

module.exports = () => vendors.map(({ role }) => ({ 'Fn::GetAtt': [role, 'Arn'] }));
