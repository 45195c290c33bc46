'use strict';
/**
 * A local Serverless Framework plugin: each reconcile function (docs/behaviour.md §7) gets its
 * IAM role and its environment from tools/serverless/reconcilers.json (generated from
 * `reconcilables`, shared/reconcile/sources/index.ts, by `npm run wiring`), as
 * tools/serverless/receivers.cjs does for the receivers: serverless.yml keeps a short
 * `reconcile-<name>` entry per provider, and no role is copied.
 *
 * At `initialize`, for each provider `<name>` with role `<Role>`:
 * - its function (`functions.reconcile-<name>`) gets `role: <Role>` and, on a deployed stage,
 *   `LIVEHOOKS_<NAME>_API_PATH` when its list's credentials are parameters;
 * - `<Role>` lets it do only this: the store's calls on its provider's streams, its own
 *   reconcile item and the logical streams (`dynamodb:LeadingKeys`), and queries of the
 *   live-by-shard index, when there is a table; send to the notification queue and put events
 *   on the bus, when they are on (its repairs are announced like callbacks); write its own
 *   log group; read its own parameters (`/livehooks/<stage>/<name>/api/`); and the AWS
 *   actions its list calls with the role's own credentials (IVS's `ivs:ListStreams`, which
 *   has no resource-level permission).
 */

const reconcilers = require('./reconcilers.json');

/** The stage `invoke local` runs as (tools/serverless/receivers.cjs). */
const LOCAL_STAGE = 'local';

class Reconcilers {
  /** @param {any} serverless */
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { initialize: () => this.wire() };
  }

  wire() {
    const { service } = this.serverless;
    const { Error: ServerlessError } = this.serverless.classes;
    const stage = this.serverless.getProvider('aws').getStage();
    const resources = ((service.resources ??= {}).Resources ??= {});
    for (const reconciler of reconcilers) {
      const name = `reconcile-${reconciler.name}`;
      const fn = service.functions?.[name];
      if (!fn || fn.handler !== `functions/${name}.handler`) {
        throw new ServerlessError(
          `tools/serverless/reconcilers.json lists "${reconciler.name}" but serverless.yml has no function ` +
            `"${name}" with handler functions/${name}.handler: add its entry under functions: (docs/adding-a-vendor.md)`,
          'LIVEHOOKS_RECONCILE_FUNCTION',
        );
      }
      if (fn.role !== undefined && fn.role !== reconciler.role) {
        throw new ServerlessError(
          `function "${name}" names role ${JSON.stringify(fn.role)}: remove it; tools/serverless/reconcilers.cjs ` +
            `gives it ${reconciler.role}, limited to its own partitions and parameters`,
          'LIVEHOOKS_RECONCILE_ROLE',
        );
      }
      fn.role = reconciler.role;
      if (stage !== LOCAL_STAGE && reconciler.parameters) {
        (fn.environment ??= {})[`${reconciler.envPrefix}API_PATH`] = `/livehooks/${stage}/${reconciler.name}/api/`;
      }
      resources[reconciler.role] = this.roleOf(reconciler, service.getFunction(name), stage);
    }
  }

  /** A reconcile function's role: what it may do, and nothing else. */
  roleOf(reconciler, fn, stage) {
    const { iam } = this.serverless.service.custom;
    const arn = (service, resource) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`,
    });
    const ifTable = (statement) => ({ 'Fn::If': ['TableOn', statement, { Ref: 'AWS::NoValue' }] });
    const statements = [
      // Its provider's streams (as its receiver writes them) and its own reconcile item.
      ifTable({
        Effect: 'Allow',
        Action: iam.store.actions,
        Resource: iam.store.resources,
        Condition: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [`stream#${reconciler.name}/*`, `reconcile#${reconciler.name}`, 'logical#*'],
          },
        },
      }),
      // The streams live now: the live-by-shard index, read only.
      ifTable({
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['LivehooksTable', 'Arn'] }, '/index/live-by-shard']] },
      }),
      iam.queue,
      iam.bus,
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arn('logs', `log-group:/aws/lambda/${fn.name}:*`),
      },
    ];
    if (reconciler.parameters) {
      // GetParametersByPath is authorized against the path it asks for (tools/serverless/receivers.cjs).
      const path = `parameter/livehooks/${stage}/${reconciler.name}/api`;
      statements.push({
        Effect: 'Allow',
        Action: 'ssm:GetParametersByPath',
        Resource: [arn('ssm', path), arn('ssm', `${path}/*`)],
      });
    }
    if (reconciler.actions.length > 0) {
      statements.push({ Effect: 'Allow', Action: reconciler.actions, Resource: '*' });
    }
    return {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: iam.lambdaTrust,
        Policies: [
          {
            PolicyName: `${reconciler.name}-reconcile`,
            PolicyDocument: { Version: '2012-10-17', Statement: statements },
          },
        ],
      },
    };
  }
}

module.exports = Reconcilers;
