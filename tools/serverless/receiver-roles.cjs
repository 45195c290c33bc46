'use strict';
/**
 * Every role that sends notifications, as `Fn::GetAtt` ARNs, for serverless.yml's
 * `${file(./tools/serverless/receiver-roles.cjs)}`: the only principals the notification
 * queue's and bus's policies let send. The vendor receivers' roles (tools/serverless/receivers.cjs),
 * then each reconcile function's, `Reconcile<Route>Role` for `functions/reconcile-<route>.ts`
 * (docs/behaviour.md §7): its repairs are announced like callbacks.
 */
const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const vendors = require('./vendors.json');

const pascal = (route) => route.replace(/(^|-)(.)/g, (_, _dash, letter) => letter.toUpperCase());
const reconcileRoles = readdirSync(join(__dirname, '..', '..', 'functions'))
  .filter((file) => /^reconcile-[a-z0-9-]+\.ts$/.test(file))
  .map((file) => `${pascal(file.slice(0, -'.ts'.length))}Role`);

module.exports = () =>
  [...vendors.map(({ role }) => role), ...reconcileRoles].map((role) => ({ 'Fn::GetAtt': [role, 'Arn'] }));
