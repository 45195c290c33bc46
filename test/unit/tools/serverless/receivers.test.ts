/**
 * tools/serverless/receivers.cjs on a serverless.yml of its own making: what each command
 * line stage gets, and the errors that stop a packaging instead of deploying a function
 * without its role. test/system/deploy.test.ts checks the roles osls packages.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vendorWiring } from '../../../../tools/wiring';

const require = createRequire(import.meta.url);
const Receivers = require('../../../../tools/serverless/receivers.cjs') as new (serverless: unknown) => {
  hooks: { initialize(): void };
};
const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/** A serverless.yml with every vendor's entry (as the real one has), resolved, as osls hands it to plugins. */
function serviceOf(stage: string, change: (functions: Record<string, any>) => void = () => {}) {
  const functions: Record<string, any> = { api: { handler: 'functions/api.handler', role: 'ApiRole' } };
  for (const { name } of vendorWiring()) {
    functions[name] = { handler: `functions/${name}.handler`, name: `livehooks-${stage}-${name}`, url: true };
  }
  change(functions);
  const service = {
    functions,
    provider: { environment: { LIVEHOOKS_TABLE: 't' } },
    resources: { Resources: {} as Record<string, any> },
    custom: { iam: { lambdaTrust: 'trust', store: { actions: ['a'], resources: ['r'] }, queue: 'q', bus: 'b' } },
    getFunction: (name: string) => functions[name],
    getAllFunctions: () => Object.keys(functions),
  };
  class ServerlessError extends Error {}
  const serverless = {
    service,
    serviceDir: repo,
    classes: { Error: ServerlessError },
    getProvider: () => ({ getStage: () => stage }),
  };
  return { service, wire: () => new Receivers(serverless).hooks.initialize() };
}

describe('tools/serverless/receivers.cjs', () => {
  it('gives every receiver its role and a deployed stage its SSM paths', () => {
    const { service, wire } = serviceOf('prod');
    wire();
    expect(service.functions.mux.role).toBe('MuxRole');
    expect(service.functions.api.role).toBe('ApiRole');
    expect(service.provider.environment).toMatchObject({
      LIVEHOOKS_TABLE: 't',
      LIVEHOOKS_MUX_PARAMETERS_PATH: '/livehooks/prod/mux/',
      LIVEHOOKS_NGINX_RTMP_PARAMETERS_PATH: '/livehooks/prod/nginx-rtmp/',
    });
    expect(Object.keys(service.provider.environment).filter((name) => name.endsWith('_AUTH'))).toEqual([]);
    expect(service.provider.environment).not.toHaveProperty('LIVEHOOKS_IVS_PARAMETERS_PATH');
    expect(Object.keys(service.resources.Resources)).toEqual(vendorWiring().map(({ role }) => role));
  });

  it('turns checks off on the local stage unless the shell turns them on', () => {
    const { service, wire } = serviceOf('local');
    process.env.LIVEHOOKS_MUX_AUTH = 'on';
    try {
      wire();
    } finally {
      delete process.env.LIVEHOOKS_MUX_AUTH;
    }
    expect(service.provider.environment).toMatchObject({ LIVEHOOKS_MUX_AUTH: 'on', LIVEHOOKS_SRS_AUTH: 'off' });
    expect(Object.keys(service.provider.environment).filter((name) => name.endsWith('_PARAMETERS_PATH'))).toEqual([]);
  });

  it('grants sending to an onFailure queue, and refuses a destination it cannot grant', () => {
    const queue = { 'Fn::GetAtt': ['Failed', 'Arn'] };
    const { service, wire } = serviceOf('prod', (functions) => {
      functions.ivs.destinations = { onFailure: { type: 'sqs', arn: queue } };
    });
    wire();
    const statements = service.resources.Resources.IvsRole.Properties.Policies[0].PolicyDocument.Statement;
    expect(statements.at(-1)).toEqual({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queue });
    expect(JSON.stringify(statements)).not.toContain('ssm:');
    const sns = serviceOf('prod', (functions) => {
      functions.ivs.destinations = { onFailure: { type: 'sns', arn: 'arn' } };
    });
    expect(sns.wire).toThrow('grants only an sqs onFailure destination');
  });

  it('stops at a vendor without its function, a role of its own, or an adapter not listed', () => {
    expect(serviceOf('prod', (functions) => delete functions.srs).wire).toThrow(
      'serverless.yml has no function "srs" with handler functions/srs.handler',
    );
    expect(serviceOf('prod', (functions) => (functions.srs.role = 'Admin')).wire).toThrow(
      'names role "Admin": remove it',
    );
    expect(
      serviceOf('prod', (functions) => {
        functions.tencent2 = functions.tencent;
        functions.mux = { ...functions.mux, handler: 'functions/mux2.handler' };
      }).wire,
    ).toThrow('lists "mux" but serverless.yml has no function "mux"');
  });
});
