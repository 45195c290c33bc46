'use strict';
/**
 * A local Serverless Framework plugin: each vendor's receiver function gets its IAM role, its
 * environment and its SSM parameters' path from one list, tools/serverless/vendors.json
 * (generated from the registry, tools/providers.ts, by `npm run wiring`), so serverless.yml
 * keeps a short `functions:` entry per vendor and adding a vendor (docs/adding-a-vendor.md)
 * never means copying a role.
 *
 * At `initialize` (after serverless.yml is resolved, before any command runs), for each
 * vendor `<name>` with role `<Role>`:
 * - its function (`functions.<name>`, handler `functions/<name>.handler`) gets `role: <Role>`;
 * - `<Role>`, an `AWS::IAM::Role` in `resources`, lets it do only this: the store's calls on
 *   the table, on its own partitions (`dynamodb:LeadingKeys`), when there is a table; send to
 *   the notification queue and put events on the bus, when they are on (custom.iam in
 *   serverless.yml says each); write its own log group; read its own SSM parameters
 *   (`/livehooks/<stage>/<name>/`), for a vendor behind a URL; send to the queue its
 *   `destinations.onFailure` names, if any;
 * - the environment: on a deployed stage `LIVEHOOKS_<NAME>_PARAMETERS_PATH`; on the `local`
 *   stage (`invoke local`), `LIVEHOOKS_<NAME>_AUTH` as the shell or .env sets it, else `off`.
 *
 * tools/serverless/receiver-roles.cjs lists the same roles for the queue's and the bus's
 * policies, which only the receivers may send through.
 */

const { existsSync } = require('node:fs');
const { join } = require('node:path');
const vendors = require('./vendors.json');

/** The stage `invoke local` runs as: it checks nothing unless told to, and is never deployed. */
const LOCAL_STAGE = 'local';

class Receivers {
  /** @param {any} serverless */
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { initialize: () => this.wire() };
  }

  wire() {
    const { service } = this.serverless;
    const stage = this.serverless.getProvider('aws').getStage();
    this.checkFunctions();
    const environment = (service.provider.environment ??= {});
    const resources = ((service.resources ??= {}).Resources ??= {});
    for (const vendor of vendors) {
      const fn = service.getFunction(vendor.name);
      fn.role = vendor.role;
      if (stage === LOCAL_STAGE) {
        environment[`${vendor.envPrefix}AUTH`] = process.env[`${vendor.envPrefix}AUTH`] ?? 'off';
      } else if (vendor.parameters) {
        environment[`${vendor.envPrefix}PARAMETERS_PATH`] = `/livehooks/${stage}/${vendor.name}/`;
      }
      resources[vendor.role] = this.roleOf(vendor, fn, stage);
    }
  }

  /**
   * Every vendor has its function, naming no role of its own, and every function of a vendor's
   * adapter is in the list: a clear error at packaging rather than a function without rights.
   */
  checkFunctions() {
    const { service } = this.serverless;
    const { Error: ServerlessError } = this.serverless.classes;
    const listed = new Set(vendors.map((vendor) => vendor.name));
    for (const { name, role } of vendors) {
      const fn = service.functions?.[name];
      if (!fn || fn.handler !== `functions/${name}.handler`) {
        throw new ServerlessError(
          `tools/serverless/vendors.json lists "${name}" but serverless.yml has no function "${name}" with ` +
            `handler functions/${name}.handler: add its entry under functions: (docs/adding-a-vendor.md)`,
          'LIVEHOOKS_RECEIVER_FUNCTION',
        );
      }
      if (fn.role !== undefined && fn.role !== role) {
        throw new ServerlessError(
          `function "${name}" names role ${JSON.stringify(fn.role)}: remove it; tools/serverless/receivers.cjs ` +
            `gives it ${role}, limited to its own partitions and parameters`,
          'LIVEHOOKS_RECEIVER_ROLE',
        );
      }
    }
    for (const name of service.getAllFunctions()) {
      const adapter = join(this.serverless.serviceDir, 'shared', 'providers', `${name}.ts`);
      if (!listed.has(name) && existsSync(adapter)) {
        throw new ServerlessError(
          `function "${name}" has an adapter but is not in tools/serverless/vendors.json: add it to ` +
            'tools/providers.ts and run `npm run wiring`',
          'LIVEHOOKS_RECEIVER_UNLISTED',
        );
      }
    }
  }

  /** A vendor's role: what its function may do, and nothing else. */
  roleOf(vendor, fn, stage) {
    const { iam } = this.serverless.service.custom;
    const { Error: ServerlessError } = this.serverless.classes;
    const arn = (service, resource) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`,
    });
    const statements = [
      {
        'Fn::If': [
          'TableOn',
          {
            Effect: 'Allow',
            Action: iam.store.actions,
            Resource: iam.store.resources,
            Condition: {
              'ForAllValues:StringLike': {
                // Its own streams and replay guards; the shared kept refusals and logical streams.
                'dynamodb:LeadingKeys': [`stream#${vendor.name}/*`, `guard#${vendor.name}#*`, 'refusal#*', 'logical#*'],
              },
            },
          },
          { Ref: 'AWS::NoValue' },
        ],
      },
      iam.queue,
      iam.bus,
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arn('logs', `log-group:/aws/lambda/${fn.name}:*`),
      },
    ];
    if (vendor.parameters) {
      // Keys and tokens, encrypted with the AWS-managed key aws/ssm, whose key policy lets
      // callers allowed by IAM decrypt through SSM: no kms:Decrypt grant.
      // GetParametersByPath is authorized against the path it asks for.
      const path = `parameter/livehooks/${stage}/${vendor.name}`;
      statements.push({
        Effect: 'Allow',
        Action: 'ssm:GetParametersByPath',
        Resource: [arn('ssm', path), arn('ssm', `${path}/*`)],
      });
    }
    const onFailure = fn.destinations?.onFailure;
    if (onFailure !== undefined) {
      if (onFailure.type !== 'sqs') {
        throw new ServerlessError(
          `function "${vendor.name}": tools/serverless/receivers.cjs grants only an sqs onFailure destination`,
          'LIVEHOOKS_RECEIVER_DESTINATION',
        );
      }
      statements.push({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: onFailure.arn });
    }
    return {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: iam.lambdaTrust,
        Policies: [
          {
            PolicyName: `${vendor.name}-receiver`,
            PolicyDocument: { Version: '2012-10-17', Statement: statements },
          },
        ],
      },
    };
  }
}

module.exports = Receivers;
