/**
 * What `serverless package --stage prod` builds from serverless.yml: the CloudFormation
 * template and one zip per function, checked offline, without AWS credentials; then the
 * template with each destination param (the queue, a bus, no table), as CloudFormation
 * deploys it (conditions evaluated).
 *
 * This file packages in the repository itself (`.esbuild/`, `.serverless/`);
 * test/invoke-local.test.ts works in a private copy, so the two never share a build
 * folder even when vitest runs them side by side.
 */
import { randomUUID } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { envPrefix } from '../../shared/config';
import { httpProviderNames, providers as registry } from '../../tools/providers';
import { tableDefinition } from '../../shared/store/table';
import { createDynamoStore } from '../../shared/store/reader';
import type { EventStore } from '../../shared/store/port';
import { ensureTable, localStoreClient } from '../../tools/local/embedded-store';
import { deployedForm, type Template } from '../support/cloudformation';
import { storeClient } from '../support/dynamo';
import { eventBridgeFixtures } from '../support/event-bridge';
import { call, handlerFor } from '../support/harness';
import { fixtureFor, keys, nowSec, startOf, tokens } from '../support/providers';
import { offlineEnv, serverless } from '../support/serverless';
import { reconcilables } from '../../shared/reconcile/sources';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const providers = Object.keys(registry);
/** The reconcile functions (docs/behaviour.md §7): one per provider with a live list. */
const reconcilers = reconcilables.map(({ adapter }) => `reconcile-${adapter.name}`);
/** Whether a provider's list is an AWS service's, called with its function's own role. */
const awsListed = (provider: string) =>
  reconcilables.some(({ adapter, source }) => adapter.name === provider && source.awsActions);
/** The one source without a URL: an EventBridge rule invokes it. */
const eventBridgeProviders = providers.filter((name) => !httpProviderNames.includes(name));
const stage = 'prod';

/**
 * Keys and tokens planted in the packaging process's environment, as a developer's shell
 * may hold them. None may reach the template, the state file (`deploy` uploads it to S3)
 * or a bundle: deployed functions get SSM parameter names, never values.
 */
const planted: Record<string, string> = {};
for (const provider of providers) {
  const prefix = envPrefix(provider);
  planted[`${prefix}KEYS`] = `planted-key-${provider}-${randomUUID()}`;
  planted[`${prefix}TOKENS`] = `planted-token-${provider}-${randomUUID()}`;
}
/** Checks off in the shell that packages must not turn them off in the deployment. */
const plantedSwitches = Object.fromEntries(providers.map((p) => [`${envPrefix(p)}AUTH`, 'off']));

/** The entries of a zip file, decompressed (stored or deflated, as serverless-esbuild writes them). */
function readZip(buffer: Buffer): Map<string, Buffer> {
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip file');
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let index = 0; index < count; index++) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = buffer.readUInt16LE(offset + 10);
    const compressedSize = buffer.readUInt32LE(offset + 20);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const localOffset = buffer.readUInt32LE(offset + 42);
    const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength);
    const dataStart = localOffset + 30 + buffer.readUInt16LE(localOffset + 26) + buffer.readUInt16LE(localOffset + 28);
    const data = buffer.subarray(dataStart, dataStart + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`${name}: unsupported compression ${method}`);
    entries.set(name, method === 8 ? inflateRawSync(data) : data);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

let template: Template;
let templateText: string;
let stateText: string;

const resourcesOf = (type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
// osls's naming: first letter upper-cased, '-' spelled 'Dash'.
const logicalId = (provider: string) =>
  `${provider[0]!.toUpperCase()}${provider.slice(1).replace(/-/g, 'Dash')}LambdaFunction`;
const functionOf = (provider: string) => {
  const resource = template.Resources[logicalId(provider)];
  expect(resource?.Type, `function ${provider}`).toBe('AWS::Lambda::Function');
  return resource;
};
const tableArn = { 'Fn::GetAtt': ['LivehooksTable', 'Arn'] };
/** The role serverless.yml gives a function: `nginx-rtmp` → `NginxRtmpRole`. */
const roleOf = (provider: string) =>
  `${provider.replace(/(^|-)(.)/g, (_, _dash: string, letter: string) => letter.toUpperCase())}Role`;

/** Where notifications go: the params of a deployment, and what each function may then reach. */
interface Destinations {
  params: string[];
  table: boolean;
  queue: boolean;
  bus?: string;
}
const byDefault: Destinations = { params: [], table: true, queue: false };
/** A bus of another account, given by its ARN. */
const busArn = 'arn:aws:events:eu-west-1:210987654321:event-bus/live-events';
const variants: [string, Destinations][] = [
  ['the queue on', { params: ['notificationQueue=true'], table: true, queue: true }],
  ['a bus', { params: ['notificationBus=live-events'], table: true, queue: false, bus: 'live-events' }],
  ['a bus by ARN', { params: [`notificationBus=${busArn}`], table: true, queue: false, bus: busArn }],
  ['the table off (queue only)', { params: ['table=false', 'notificationQueue=true'], table: false, queue: true }],
];
const variantTemplates = new Map<string, Template>();

/** Packages into .serverless/ and reads the template back, as CloudFormation would deploy it. */
async function packageWith(params: string[], env: NodeJS.ProcessEnv): Promise<string> {
  rmSync(new URL('../../.esbuild', import.meta.url), { recursive: true, force: true });
  rmSync(new URL('../../.serverless', import.meta.url), { recursive: true, force: true });
  try {
    await serverless(['package', '--stage', stage, ...params.flatMap((param) => ['--param', param])], {
      cwd: repo,
      env,
      seconds: 110,
    });
  } catch (error) {
    const { stdout, stderr, code } = error as { stdout?: string; stderr?: string; code?: unknown };
    throw new Error(`serverless package failed (exit ${String(code)}):\n${stdout ?? ''}\n${stderr ?? ''}`, {
      cause: error,
    });
  }
  return readFileSync(new URL('../../.serverless/cloudformation-template-update-stack.json', import.meta.url), 'utf8');
}

beforeAll(async () => {
  // Each variant packages in turn, into the same folder: the default one's zips and state
  // file are read before the next replaces them.
  for (const [name, { params }] of variants) {
    variantTemplates.set(name, deployedForm(JSON.parse(await packageWith(params, offlineEnv({})))));
  }
  templateText = await packageWith([], offlineEnv({ ...planted, ...plantedSwitches }));
  template = deployedForm(JSON.parse(templateText) as Template);
  stateText = readFileSync(new URL('../../.serverless/serverless-state.json', import.meta.url), 'utf8');
}, 480_000);

/**
 * The partitions a provider's role may name (`dynamodb:LeadingKeys`): its own streams and
 * replay guards, and the shared refusal and logical-stream partitions.
 */
const partitionsOf = (provider: string) => [`stream#${provider}/*`, `guard#${provider}#*`, 'refusal#*', 'logical#*'];
/** IAM's StringLike: `*` any characters, `?` one, the rest as it is. */
const stringLike = (pattern: string, value: string) => {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${escaped}$`, 's').test(value);
};
/** Every role that sends notifications, as the queue's and the bus's policies name them. */
const receiverRoles = [...providers, ...reconcilers].map((provider) => ({ 'Fn::GetAtt': [roleOf(provider), 'Arn'] }));

/**
 * Checks a function's role statement by statement: it reaches its log group, its own SSM
 * path (an EventBridge source: the queue of its failed events instead) and exactly the
 * destinations the deployment has, and nothing else.
 */
function checkRole(deployed: Template, provider: string, destinations: Destinations): void {
  const role = deployed.Resources[roleOf(provider)].Properties;
  // An EventBridge source has no secret to read: no SSM, and a queue for what it fails on.
  const viaEventBridge = eventBridgeProviders.includes(provider);
  expect(role.AssumeRolePolicyDocument.Statement).toEqual([
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ]);
  expect(role.ManagedPolicyArns ?? []).toEqual([]);
  const statements: any[] = role.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement);
  const actionsOf = (statement: any): string[] => [statement.Action].flat();
  const resourcesOfStatement = (statement: any): unknown[] => [statement.Resource].flat();
  const subOf = (resource: unknown) => (resource as { 'Fn::Sub'?: string })['Fn::Sub'];
  const arn = (service: string, rest: string) =>
    `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${rest}`;

  const store = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:GetItem'];
  const logging = ['logs:CreateLogStream', 'logs:PutLogEvents'];
  const tableResources = [tableArn, { 'Fn::Join': ['', [tableArn, '/index/*']] }];
  const granted: string[] = [];
  for (const statement of statements) {
    expect(statement.Effect).toBe('Allow');
    expect(statement.NotAction).toBeUndefined();
    expect(statement.NotResource).toBeUndefined();
    const actions = actionsOf(statement);
    const resources = resourcesOfStatement(statement);
    for (const resource of resources) expect(resource).not.toBe('*');
    granted.push(...actions);
    // Only the table's statement has a condition: its partitions.
    if (!actions.every((action) => store.includes(action))) expect(statement.Condition).toBeUndefined();
    if (actions.every((action) => logging.includes(action))) {
      expect(resources.map(subOf)).toEqual([arn('logs', `log-group:/aws/lambda/livehooks-${stage}-${provider}:*`)]);
    } else if (actions.every((action) => store.includes(action))) {
      expect(resources).toEqual(tableResources);
      expect(statement.Condition).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitionsOf(provider) },
      });
    } else if (actions.join() === 'ssm:GetParametersByPath') {
      // The path asked for, and below it: another provider's parameters stay out of reach.
      expect(resources.map(subOf)).toEqual([
        arn('ssm', `parameter/livehooks/${stage}/${provider}`),
        arn('ssm', `parameter/livehooks/${stage}/${provider}/*`),
      ]);
    } else if (actions.join() === 'sqs:SendMessage') {
      // The notification queue, or (for an EventBridge source) where its failed events are kept.
      expect([
        ...(destinations.queue ? [[{ 'Fn::GetAtt': ['NotificationQueue', 'Arn'] }]] : []),
        ...(viaEventBridge ? [[{ 'Fn::GetAtt': ['IvsFailedEventsQueue', 'Arn'] }]] : []),
      ]).toContainEqual(resources);
    } else if (actions.join() === 'events:PutEvents') {
      // A bus named is this account's and region's; one given by ARN is used as it is.
      expect(resources).toEqual([
        destinations.bus!.startsWith('arn:')
          ? destinations.bus
          : { 'Fn::Sub': arn('events', `event-bus/${destinations.bus}`) },
      ]);
    } else {
      throw new Error(`unexpected statement: ${JSON.stringify(statement)}`);
    }
  }
  expect(granted.sort()).toEqual(
    [
      ...(destinations.table ? store : []),
      ...logging,
      ...(viaEventBridge ? ['sqs:SendMessage'] : ['ssm:GetParametersByPath']),
      ...(destinations.queue ? ['sqs:SendMessage'] : []),
      ...(destinations.bus ? ['events:PutEvents'] : []),
    ].sort(),
  );
}

describe('serverless package --stage prod', () => {
  it('has exactly one function per provider, each behind a public Function URL but the EventBridge ones', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    // And the read API, and a reconcile function (no URL) per provider with a live list.
    expect(functions.map(([id]) => id).sort()).toEqual([...providers, 'api', ...reconcilers].map(logicalId).sort());
    const urls = resourcesOf('AWS::Lambda::Url');
    // And the read API's.
    expect(urls).toHaveLength(httpProviderNames.length + 1);
    for (const provider of httpProviderNames) {
      functionOf(provider);
      const target = { 'Fn::GetAtt': [logicalId(provider), 'Arn'] };
      const ownUrls = urls.filter(
        ([, url]) => JSON.stringify(url.Properties.TargetFunctionArn) === JSON.stringify(target),
      );
      expect(ownUrls, `URL of ${provider}`).toHaveLength(1);
      const [urlId, url] = ownUrls[0]!;
      expect(url.Properties.AuthType).toBe('NONE');
      // Public URLs need both permissions (lambda:InvokeFunction since October 2025).
      const permissions = resourcesOf('AWS::Lambda::Permission')
        .map(([, permission]) => permission.Properties)
        .filter((properties) => JSON.stringify(properties.FunctionName) === JSON.stringify(target));
      expect(permissions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }),
          expect.objectContaining({ Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true }),
        ]),
      );
      // The URL to paste into the vendor's console is a stack output.
      expect(Object.values(template.Outputs)).toContainEqual(
        expect.objectContaining({ Value: { 'Fn::GetAtt': [urlId, 'FunctionUrl'] } }),
      );
    }
  });

  it('serves the read API behind a Function URL that takes only IAM-signed requests, with a role that only reads', () => {
    const target = { 'Fn::GetAtt': [logicalId('api'), 'Arn'] };
    const [url] = resourcesOf('AWS::Lambda::Url').filter(
      ([, url]) => JSON.stringify(url.Properties.TargetFunctionArn) === JSON.stringify(target),
    );
    expect(url![1].Properties.AuthType).toBe('AWS_IAM');
    // No public permission: only principals an IAM policy allows lambda:InvokeFunctionUrl.
    const permissions = resourcesOf('AWS::Lambda::Permission').filter(
      ([, permission]) => JSON.stringify(permission.Properties.FunctionName) === JSON.stringify(target),
    );
    expect(permissions).toEqual([]);
    const [, role] = resourcesOf('AWS::IAM::Role').find(([id]) => id === roleOf('api'))!;
    const statements = role.Properties.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement);
    const actions = statements.flatMap((statement: any) =>
      JSON.stringify(statement).match(/"(dynamodb|logs|ssm|sqs|events):[A-Za-z]+"/g),
    );
    expect([...new Set(actions)].sort()).toEqual([
      '"dynamodb:GetItem"',
      '"dynamodb:Query"',
      '"dynamodb:Scan"',
      '"logs:CreateLogStream"',
      '"logs:PutLogEvents"',
    ]);
    expect(functionOf('api').Properties.Environment.Variables).toMatchObject({
      LIVEHOOKS_TABLE: expect.anything(),
    });
  });

  it.each(eventBridgeProviders)(
    '%s: invoked by a rule on its source’s events alone, retried, and what fails every time kept',
    (provider) => {
      const target = { 'Fn::GetAtt': [logicalId(provider), 'Arn'] };
      const rules = resourcesOf('AWS::Events::Rule').filter(([, rule]) =>
        rule.Properties.Targets.some((t: any) => JSON.stringify(t.Arn) === JSON.stringify(target)),
      );
      expect(rules).toHaveLength(1);
      const [, rule] = rules[0]!;
      // The default bus (no name), the source's state changes, starts and ends only.
      expect(rule.Properties.EventBusName).toBeUndefined();
      expect(rule.Properties.EventPattern).toEqual({
        source: [(registry[provider]!.adapter as { source: string }).source],
        'detail-type': ['IVS Stream State Change'],
        detail: { event_name: ['Stream Start', 'Stream End'] },
      });
      const permissions = resourcesOf('AWS::Lambda::Permission')
        .map(([, permission]) => permission.Properties)
        .filter((properties) => JSON.stringify(properties.FunctionName) === JSON.stringify(target));
      expect(permissions).toEqual([
        expect.objectContaining({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' }),
      ]);
      const [, invokeConfig] = resourcesOf('AWS::Lambda::EventInvokeConfig')[0]!;
      expect(invokeConfig.Properties).toMatchObject({
        FunctionName: { Ref: logicalId(provider) },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 21600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['IvsFailedEventsQueue', 'Arn'] } } },
      });
      expect(template.Resources.IvsFailedEventsQueue.Properties.MessageRetentionPeriod).toBe(1209600);
    },
  );

  it.each(providers)('%s: runtime, size, a timeout under Alibaba’s 5 s, a concurrency ceiling', (provider) => {
    const { Properties: fn } = functionOf(provider);
    expect(fn.Handler).toBe(`functions/${provider}.handler`);
    expect(fn.Runtime).toMatch(/^nodejs(22|24)\.x$/);
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.MemorySize).toBe(128);
    expect(fn.Timeout).toBeGreaterThan(0);
    expect(fn.Timeout).toBeLessThan(5);
    expect(Number.isInteger(fn.ReservedConcurrentExecutions)).toBe(true);
    expect(fn.ReservedConcurrentExecutions).toBeGreaterThan(0);
    expect(fn.Role).toEqual({ 'Fn::GetAtt': [roleOf(provider), 'Arn'] });
  });

  it.each(providers)('%s: SSM parameter paths, the table by Ref, checks on', (provider) => {
    const variables: Record<string, unknown> = functionOf(provider).Properties.Environment.Variables;
    expect(variables.LIVEHOOKS_TABLE).toEqual({ Ref: 'LivehooksTable' });
    // No destination but the table unless a param turns one on.
    expect([variables.LIVEHOOKS_STORE, variables.LIVEHOOKS_QUEUE_URL, variables.LIVEHOOKS_EVENT_BUS]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(variables.LIVEHOOKS_SECRETS_MAX_AGE).toBe('300');
    for (const name of httpProviderNames) {
      expect(variables[`${envPrefix(name)}PARAMETERS_PATH`]).toBe(`/livehooks/${stage}/${name}/`);
    }
    const names = Object.keys(variables);
    // Values and switches are the local stage's; a deployment has none of them.
    expect(names.filter((name) => /_(KEYS|TOKENS|AUTH|WINDOW_PAST|WINDOW_FUTURE|REDACT_PARAMS)$/.test(name))).toEqual(
      [],
    );
    expect(names.filter((name) => name.startsWith('AWS_'))).toEqual([]);
  });

  it('puts no key or token of the packaging environment in the template, the state file or a bundle', () => {
    const zips = providers.map((provider) =>
      readFileSync(new URL(`../../.serverless/${provider}.zip`, import.meta.url)),
    );
    const bundles = zips.flatMap((zip) => [...readZip(zip).values()].map((data) => data.toString('utf8')));
    expect(bundles).toHaveLength(providers.length);
    // Booleans, so that a failure names the variable instead of printing the whole file.
    for (const [name, value] of Object.entries(planted)) {
      expect(templateText.includes(value), `${name} in the template`).toBe(false);
      expect(stateText.includes(value), `${name} in serverless-state.json`).toBe(false);
      bundles.forEach((bundle, index) =>
        expect(bundle.includes(value), `${name} in ${providers[index]}.zip`).toBe(false),
      );
    }
  });

  it('keeps the logs for a while', () => {
    const groups = resourcesOf('AWS::Logs::LogGroup');
    expect(groups).toHaveLength(providers.length + 1 + reconcilers.length);
    for (const [, group] of groups) expect(group.Properties.RetentionInDays).toBe(30);
    for (const provider of [...providers, 'api', ...reconcilers]) {
      expect(groups.map(([, group]) => group.Properties.LogGroupName)).toContain(
        `/aws/lambda/livehooks-${stage}-${provider}`,
      );
    }
  });

  it('declares the table exactly as tableDefinition() in shared/store/table.ts, with TTL and point-in-time recovery', () => {
    const tables = resourcesOf('AWS::DynamoDB::Table');
    expect(tables.map(([id]) => id)).toEqual(['LivehooksTable']);
    const table = tables[0]![1];
    const { TableName: _name, ...definition } = tableDefinition('any');
    const { TimeToLiveSpecification, PointInTimeRecoverySpecification, TableName, ...properties } = table.Properties;
    // Both ways: nothing of the definition missing, nothing but TTL and PITR added.
    expect(properties).toEqual(definition);
    expect(properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(TableName === undefined || typeof TableName === 'string').toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it('gives each function a role of its own, and no other role or policy', () => {
    expect(
      resourcesOf('AWS::IAM::Role')
        .map(([id]) => id)
        .sort(),
    ).toEqual([...providers, 'api', ...reconcilers].map(roleOf).sort());
    expect(resourcesOf('AWS::IAM::Policy')).toEqual([]);
    expect(resourcesOf('AWS::IAM::ManagedPolicy')).toEqual([]);
  });

  it.each(providers)(
    '%s: its role allows the store’s calls on the table, its own log group and its own SSM path (or failed-event queue)',
    (provider) => checkRole(template, provider, byDefault),
  );

  /** The bundle inside a function's zip, which holds nothing else. */
  const bundleOf = (name: string) => {
    const path = new URL(`../../.serverless/${name}.zip`, import.meta.url);
    expect(existsSync(path)).toBe(true);
    const entries = readZip(readFileSync(path));
    expect([...entries.keys()]).toEqual([`functions/${name}.cjs`]);
    return entries.get(`functions/${name}.cjs`)!.toString('utf8');
  };

  it.each([...providers, 'api', ...reconcilers])(
    '%s.zip calls AWS with the functions’ own client, inside its bundle, and nothing of the AWS SDK',
    (name) => {
      const bundle = bundleOf(name);
      // Its signer (aws4) and its DynamoDB calls are in the bundle. (Booleans: a failure
      // should not print the whole bundle.)
      expect(bundle.includes('AWS4-HMAC-SHA256'), 'the SigV4 signer inside').toBe(true);
      expect(bundle.includes('DynamoDB_20120810'), 'the DynamoDB calls inside').toBe(true);
      // No import of the SDK (required from the runtime or bundled), and no @middy/ssm (which loads it).
      expect(bundle.includes('@aws-sdk'), 'an @aws-sdk import').toBe(false);
      expect(bundle.includes('aws-sdk-js'), 'the AWS SDK bundled').toBe(false);
      expect(bundle.includes('@middy/ssm'), '@middy/ssm').toBe(false);
    },
  );

  it.each(providers)(
    '%s.zip holds its CommonJS bundle only, with its own adapter and no other, without the AWS SDK',
    (provider) => {
      const path = new URL(`../../.serverless/${provider}.zip`, import.meta.url);
      expect(existsSync(path)).toBe(true);
      expect(functionOf(provider).Properties.Code.S3Key).toMatch(new RegExp(`/${provider}\\.zip$`));
      const entries = readZip(readFileSync(path));
      expect([...entries.keys()]).toEqual([`functions/${provider}.cjs`]);
      const bundle = entries.get(`functions/${provider}.cjs`)!.toString('utf8');
      // CommonJS, minified, no source map (the AWS client: above).
      // (Booleans: a failure should not print the whole bundle.)
      expect(/module\.exports/.test(bundle), 'a CommonJS module').toBe(true);
      expect(bundle.includes('sourceMappingURL'), 'a source map reference').toBe(false);
      // An adapter is an object literal with its route as `name`, which minifying keeps.
      for (const other of providers) {
        expect(bundle.includes(`name:"${other}"`), `${other}'s adapter in ${provider}.zip`).toBe(other === provider);
      }
      // Its samples and signer, which only tools and tests import, are left out (an exported
      // module's object keeps its `vendor:"…"` when bundled: shared/providers/<name>.ts).
      const samples = `vendor:${JSON.stringify(registry[provider]!.samples.vendor)}`;
      expect(bundle.includes(samples), `${provider}'s samples in ${provider}.zip`).toBe(false);
      expect(bundle.length).toBeLessThan(200_000);
      expect(bundle.split('\n').length).toBeLessThan(50);
    },
  );
});

describe('serverless package --stage prod: reconciliation', () => {
  it.each(reconcilables.map(({ adapter }) => adapter.name))(
    'reconcile-%s: on the default schedule, its own bundle and adapter, its API path',
    (provider) => {
      const name = `reconcile-${provider}`;
      const fn = functionOf(name).Properties;
      expect(fn.Timeout).toBe(60);
      expect(fn.ReservedConcurrentExecutions).toBe(1);
      const apiPath = `LIVEHOOKS_${provider.toUpperCase().replaceAll('-', '_')}_API_PATH`;
      expect(fn.Environment.Variables.LIVEHOOKS_RECONCILE_GRACE).toBe('600');
      // An AWS service's list signs with the function's own role: no parameters to read.
      expect(fn.Environment.Variables[apiPath]).toBe(
        awsListed(provider) ? undefined : `/livehooks/${stage}/${provider}/api/`,
      );
      const rules = resourcesOf('AWS::Events::Rule').filter(([, rule]) =>
        JSON.stringify(rule.Properties.Targets).includes(logicalId(name)),
      );
      expect(rules.map(([, rule]) => rule.Properties.ScheduleExpression)).toEqual(['rate(5 minutes)']);
      const entries = readZip(readFileSync(new URL(`../../.serverless/${name}.zip`, import.meta.url)));
      expect([...entries.keys()]).toEqual([`functions/${name}.cjs`]);
      const bundle = entries.get(`functions/${name}.cjs`)!.toString('utf8');
      for (const other of providers) {
        expect(bundle.includes(`name:"${other}"`), `${other}'s adapter in ${name}.zip`).toBe(other === provider);
      }
      // Its own live list alone: each source is an object literal with its route as `provider`.
      for (const { source } of reconcilables) {
        const own = source.provider === provider;
        expect(bundle.includes(`provider:"${source.provider}"`), `${source.provider}'s list in ${name}.zip`).toBe(own);
      }
    },
  );

  it.each(reconcilables.map(({ adapter }) => adapter.name))(
    'reconcile-%s: its role reaches its streams, its reconcile item, the live-by-shard index, its API path and log group',
    (provider) => {
      const statements: any[] = template.Resources[roleOf(`reconcile-${provider}`)].Properties.Policies.flatMap(
        (policy: any) => policy.PolicyDocument.Statement,
      );
      const sub = (statement: any) =>
        [statement.Resource].flat().map((resource: any) => resource['Fn::Sub'] ?? resource);
      const aws = reconcilables.find(({ adapter }) => adapter.name === provider)!.source.awsActions;
      expect(statements.map((statement) => [statement.Action].flat().join())).toEqual([
        'dynamodb:PutItem,dynamodb:UpdateItem,dynamodb:Query,dynamodb:GetItem',
        'dynamodb:Query',
        'logs:CreateLogStream,logs:PutLogEvents',
        ...(aws ? [aws.join()] : ['ssm:GetParametersByPath']),
      ]);
      expect(statements[0].Condition).toEqual({
        'ForAllValues:StringLike': {
          'dynamodb:LeadingKeys': [`stream#${provider}/*`, `reconcile#${provider}`, 'logical#*'],
        },
      });
      expect(JSON.stringify(statements[1].Resource)).toContain('/index/live-by-shard');
      expect(statements[1].Condition).toBeUndefined();
      expect(sub(statements[2])).toEqual([
        `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/livehooks-${stage}-reconcile-${provider}:*`,
      ]);
      // IVS's ListStreams has no resource-level permission.
      expect(sub(statements[3])).toEqual(
        aws
          ? ['*']
          : [
              `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/livehooks/${stage}/${provider}/api`,
              `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/livehooks/${stage}/${provider}/api/*`,
            ],
      );
    },
  );
});

describe('serverless package --stage prod: reconcile-nginx-rtmp, generated', () => {
  it('has the role serverless.yml spelled out by hand before tools/serverless/reconcilers.cjs made it', () => {
    const raw = JSON.parse(templateText) as Template;
    const ifOn = (condition: string, statement: object) => ({
      'Fn::If': [condition, statement, { Ref: 'AWS::NoValue' }],
    });
    const sub = (resource: string) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:${resource.split(':')[0]}:\${AWS::Region}:\${AWS::AccountId}:${resource.slice(resource.indexOf(':') + 1)}`,
    });
    expect(raw.Resources.ReconcileNginxRtmpRole).toEqual({
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [
          {
            PolicyName: 'nginx-rtmp-reconcile',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                ifOn('TableOn', {
                  Effect: 'Allow',
                  Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:GetItem'],
                  Resource: [tableArn, { 'Fn::Join': ['', [tableArn, '/index/*']] }],
                  Condition: {
                    'ForAllValues:StringLike': {
                      'dynamodb:LeadingKeys': ['stream#nginx-rtmp/*', 'reconcile#nginx-rtmp', 'logical#*'],
                    },
                  },
                }),
                ifOn('TableOn', {
                  Effect: 'Allow',
                  Action: 'dynamodb:Query',
                  Resource: { 'Fn::Join': ['', [tableArn, '/index/live-by-shard']] },
                }),
                ifOn('NotificationQueueOn', {
                  Effect: 'Allow',
                  Action: 'sqs:SendMessage',
                  Resource: { 'Fn::GetAtt': ['NotificationQueue', 'Arn'] },
                }),
                ifOn('NotificationBusOn', { Effect: 'Allow', Action: 'events:PutEvents', Resource: '' }),
                {
                  Effect: 'Allow',
                  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                  Resource: sub(`logs:log-group:/aws/lambda/livehooks-${stage}-reconcile-nginx-rtmp:*`),
                },
                {
                  Effect: 'Allow',
                  Action: 'ssm:GetParametersByPath',
                  Resource: [
                    sub(`ssm:parameter/livehooks/${stage}/nginx-rtmp/api`),
                    sub(`ssm:parameter/livehooks/${stage}/nginx-rtmp/api/*`),
                  ],
                },
              ],
            },
          },
        ],
      },
    });
  });
});

describe.each(variants)('serverless package --stage prod with %s', (name, destinations) => {
  const deployed = () => variantTemplates.get(name)!;
  const ofType = (type: string) => Object.entries(deployed().Resources).filter(([, r]) => r.Type === type);

  it('has the table, the FIFO queue and its dead-letter queue exactly as asked', () => {
    expect(ofType('AWS::DynamoDB::Table').map(([id]) => id)).toEqual(destinations.table ? ['LivehooksTable'] : []);
    expect('TableName' in deployed().Outputs).toBe(destinations.table);
    // Notification queues only: the queue of IVS's failed events is always there.
    const queues = Object.fromEntries(ofType('AWS::SQS::Queue').filter(([id]) => id !== 'IvsFailedEventsQueue'));
    if (!destinations.queue) return void expect(queues).toEqual({});
    expect(Object.keys(queues).sort()).toEqual(['NotificationDeadLetterQueue', 'NotificationQueue']);
    const { NotificationQueue: queue, NotificationDeadLetterQueue: deadLetters } = queues;
    // FIFO both (a FIFO queue's dead-letter queue must be FIFO), named so that the
    // functions' readDestinations() accepts the URL.
    expect(queue.Properties).toMatchObject({ FifoQueue: true, QueueName: `livehooks-${stage}-notifications.fifo` });
    expect(queue.Properties.ContentBasedDeduplication).toBeUndefined();
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': ['NotificationDeadLetterQueue', 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(deadLetters.Properties).toMatchObject({ FifoQueue: true, MessageRetentionPeriod: 1209600 });
    expect(deadLetters.Properties.QueueName).toMatch(/\.fifo$/);
    expect(deployed().Outputs.NotificationQueueArn.Value).toEqual({ 'Fn::GetAtt': ['NotificationQueue', 'Arn'] });
    expect(deployed().Outputs.NotificationQueueUrl.Value).toEqual({ Ref: 'NotificationQueue' });
  });

  it('lets only the receivers send notifications: a policy on the queue, and on a bus named', () => {
    const onlyReceivers = { 'aws:PrincipalArn': receiverRoles };
    const queuePolicies = ofType('AWS::SQS::QueuePolicy').map(([, policy]) => policy.Properties);
    expect(queuePolicies).toEqual(
      destinations.queue
        ? [
            {
              Queues: [{ Ref: 'NotificationQueue' }],
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Sid: 'OnlyTheReceiversSend',
                    Effect: 'Deny',
                    Principal: '*',
                    Action: 'sqs:SendMessage',
                    Resource: { 'Fn::GetAtt': ['NotificationQueue', 'Arn'] },
                    Condition: { ArnNotEquals: onlyReceivers },
                  },
                ],
              },
            },
          ]
        : [],
    );
    // A bus named is this account's: the stack sets its policy. One given by ARN may be
    // another account's, whose owner sets it (docs/security.md).
    const busPolicies = ofType('AWS::Events::EventBusPolicy').map(([, policy]) => policy.Properties);
    const named = destinations.bus !== undefined && !destinations.bus.startsWith('arn:');
    expect(busPolicies).toEqual(
      named
        ? [
            {
              EventBusName: destinations.bus,
              StatementId: `livehooks-${stage}-only-receivers`,
              Statement: {
                Effect: 'Deny',
                Principal: '*',
                Action: 'events:PutEvents',
                Resource: {
                  'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${destinations.bus}`,
                },
                Condition: { StringEquals: { 'events:source': 'livehooks' }, ArnNotEquals: onlyReceivers },
              },
            },
          ]
        : [],
    );
  });

  it.each(providers)('%s: its destinations in its environment, and its role reaches exactly them', (provider) => {
    const resource = deployed().Resources[logicalId(provider)];
    const variables: Record<string, unknown> = resource.Properties.Environment.Variables;
    expect(variables.LIVEHOOKS_TABLE).toEqual(destinations.table ? { Ref: 'LivehooksTable' } : undefined);
    expect(variables.LIVEHOOKS_STORE).toEqual(destinations.table ? undefined : 'off');
    expect(variables.LIVEHOOKS_QUEUE_URL).toEqual(destinations.queue ? { Ref: 'NotificationQueue' } : undefined);
    expect(variables.LIVEHOOKS_EVENT_BUS).toEqual(destinations.bus);
    checkRole(deployed(), provider, destinations);
  });
});

describe('each role’s partitions (dynamodb:LeadingKeys), measured against its function’s requests', () => {
  /** The partition key each request of a store names (what IAM reads as dynamodb:LeadingKeys). */
  async function partitionsRequested(drive: (store: EventStore) => Promise<void>): Promise<string[]> {
    const tableName = `t-${randomUUID()}`;
    await ensureTable(storeClient(), tableName);
    const requested: string[] = [];
    const client = localStoreClient(inject('dynamoEndpoint'), (request, send) => {
      const input = JSON.parse(request.body) as { Key?: Item; Item?: Item; ExpressionAttributeValues?: Item };
      const pk = input.Key?.pk ?? input.Item?.pk ?? input.ExpressionAttributeValues?.[':pk'];
      requested.push(pk?.S ?? '(no partition key)');
      return send(request);
    });
    await drive(createDynamoStore({ tableName, client }));
    return requested;
  }
  type Item = Record<string, { S?: string }>;
  /** The role's LeadingKeys as packaged. */
  const packagedPartitions = (provider: string): string[] => {
    const statements = template.Resources[roleOf(provider)].Properties.Policies.flatMap(
      (policy: any) => policy.PolicyDocument.Statement,
    );
    return statements.find((statement: any) => statement.Condition)!.Condition['ForAllValues:StringLike'][
      'dynamodb:LeadingKeys'
    ];
  };
  const stop = (stream: string) => ({ ...startOf(stream), kind: 'stop' as const, timeSec: nowSec - 5 });

  it.each(providers)(
    '%s: a start, its stop, a retry and a refusal name only partitions of its role, none of another provider',
    async (provider) => {
      const requested = await partitionsRequested(async (store) => {
        if (eventBridgeProviders.includes(provider)) {
          const fixture = eventBridgeFixtures.find(({ adapter }) => adapter.name === provider)!;
          const handler = fixture.handler({ env: {}, store });
          for (const spec of [startOf('cam'), stop('cam'), startOf('cam')]) await handler(fixture.event(spec));
          await handler(fixture.event(startOf('cam'), (event) => (event.account = '210987654321')));
          return;
        }
        const fixture = fixtureFor(provider);
        const handler = handlerFor(fixture, store);
        for (const spec of [startOf('cam'), stop('cam'), startOf('cam')]) {
          expect((await call(handler, fixture.callback(spec))).status).toBe(200);
        }
        const forged = fixture.signature ? { key: keys.unknown } : { token: tokens.unknown };
        expect((await call(handler, fixture.callback(startOf('cam'), forged))).status).toBe(401);
      });
      const own = packagedPartitions(provider);
      expect(requested.filter((pk) => pk.startsWith('stream#')).length).toBeGreaterThan(0);
      expect(requested.some((pk) => pk.startsWith('refusal#'))).toBe(true);
      for (const pk of new Set(requested)) {
        expect(
          own.some((pattern) => stringLike(pattern, pk)),
          `${pk} in ${own.join(', ')}`,
        ).toBe(true);
        for (const other of providers.filter((name) => name !== provider)) {
          // Another provider's own partitions (not the shared ones) never take this one's keys.
          const theirs = packagedPartitions(other).slice(0, 2);
          expect(
            theirs.some((pattern) => stringLike(pattern, pk)),
            `${pk} in ${other}'s ${theirs.join(', ')}`,
          ).toBe(false);
        }
      }
    },
  );
});

describe('the stack outputs the docs name', () => {
  const docs = [
    'README.md',
    ...readdirSync(join(repo, 'docs'))
      .filter((file) => file.endsWith('.md'))
      .map((file) => `docs/${file}`),
  ];
  const texts = [...docs, 'tools/cli/usage.ts'].map((file) => [file, readFileSync(join(repo, file), 'utf8')] as const);

  it('are outputs of the stack, and the README names every output', () => {
    const outputs = new Set(Object.keys(variantTemplates.get('the queue on')!.Outputs));
    // An output's name as the docs write it, in backticks or not (not an IAM action's).
    const outputName = /^[A-Z][A-Za-z]*(?:FunctionUrl|QueueUrl|QueueArn|TableName)$/;
    const named = texts.flatMap(([file, text]) =>
      [...text.matchAll(/(?<![:\w])([A-Z][A-Za-z]+(?:FunctionUrl|QueueUrl|QueueArn))\b/g)].map(
        (match) => `${file}: ${match[1]}`,
      ),
    );
    expect(named.filter((entry) => !outputs.has(entry.split(': ')[1]!))).toEqual([]);
    // Every URL, queue and table output (not osls's own: the versions' ARNs, its bucket).
    const readme = texts[0]![1];
    const ours = [...outputs].filter((output) => outputName.test(output));
    expect(ours.filter((output) => !readme.includes(`\`${output}\``))).toEqual([]);
  });
});

describe('docs/consumer, the consumer the README shows', () => {
  it('packages: a function on the queue (partial batch failures) and one on a rule matching livehooks’ events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'livehooks-consumer-'));
    try {
      cpSync(join(repo, 'docs/consumer'), dir, { recursive: true });
      symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
      // `${cf:…}` reads the livehooks stack's output from AWS: offline, an ARN stands in.
      const reference = /\$\{cf:livehooks-prod\.(\w+)\}/;
      const text = readFileSync(join(dir, 'serverless.yml'), 'utf8');
      const output = reference.exec(text)?.[1];
      expect(Object.keys(variantTemplates.get('the queue on')!.Outputs)).toContain(output);
      const queueArn = `arn:aws:sqs:ap-southeast-1:123456789012:livehooks-${stage}-notifications.fifo`;
      writeFileSync(join(dir, 'serverless.yml'), text.replace(reference, queueArn));
      await serverless(['package', '--stage', stage], { cwd: dir, env: offlineEnv({}), seconds: 110 });

      const consumer = JSON.parse(
        readFileSync(join(dir, '.serverless/cloudformation-template-update-stack.json'), 'utf8'),
      ) as Template;
      const ofType = (type: string) => Object.values(consumer.Resources).filter((r) => r.Type === type);
      expect(ofType('AWS::Lambda::EventSourceMapping').map((r) => r.Properties)).toEqual([
        expect.objectContaining({
          EventSourceArn: queueArn,
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }),
      ]);
      // On the default bus, matching what the EventBridge publisher sends (its unit test).
      expect(ofType('AWS::Events::EventBus')).toEqual([]);
      const [rule] = ofType('AWS::Events::Rule');
      expect(rule.Properties.EventBusName).toBeUndefined();
      expect(rule.Properties.EventPattern).toMatchObject({ source: ['livehooks'], 'detail-type': ['Stream started'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Alarms and the dashboard (tools/serverless/alarms.cjs, docs/alarms.md): generated from the
 * functions block for every provider, created only when alarmTopic names an SNS topic. One
 * more package run, after the suites above have read the default build.
 */
describe('serverless package --stage prod with alarmTopic', () => {
  const topic = 'arn:aws:sns:ap-southeast-1:123456789012:ops';
  let raw: Template;
  let deployed: Template;
  beforeAll(async () => {
    raw = JSON.parse(await packageWith([`alarmTopic=${topic}`, 'refusalAlarmThreshold=5'], offlineEnv({})));
    deployed = deployedForm(raw);
  }, 120_000);

  const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
  const allAlarms = (t: Template) => ofType(t, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
  const reconcileMetrics = ['repairedStops', 'repairedStarts', 'listFailures'];
  /** The receivers' alarms; the reconcile functions' are checked on their own. */
  const alarms = (t: Template) => allAlarms(t).filter((alarm) => !reconcileMetrics.includes(alarm.MetricName));
  const own = (provider: string) => ({ Namespace: 'livehooks', Dimensions: [{ Name: 'provider', Value: provider }] });
  const lambda = (provider: string) => ({
    Namespace: 'AWS/Lambda',
    Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(provider) } }],
  });

  it('creates no alarm and no dashboard without the param; the default threshold is 20', () => {
    expect(ofType(template, 'AWS::CloudWatch::Alarm')).toEqual([]);
    expect(ofType(template, 'AWS::CloudWatch::Dashboard')).toEqual([]);
    // They are in the template all the same, under a condition that is false.
    const undeployed = JSON.parse(templateText) as Template;
    expect(undeployed.Conditions?.AlarmsOn).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
    const conditional = [
      ...ofType(undeployed, 'AWS::CloudWatch::Alarm'),
      ...ofType(undeployed, 'AWS::CloudWatch::Dashboard'),
    ];
    expect(conditional).toHaveLength(4 * providers.length + 3 * reconcilers.length + 1);
    for (const [id, resource] of conditional) expect(resource.Condition, id).toBe('AlarmsOn');
    const refusals = alarms(undeployed).filter((alarm) => alarm.MetricName === 'refused');
    expect(refusals.map((alarm) => alarm.Threshold)).toEqual(providers.map(() => 20));
  });

  it('has four alarms per provider function, on no other function', () => {
    const all = alarms(deployed);
    expect(all).toHaveLength(4 * providers.length);
    const dimensions = all.map((alarm) => JSON.stringify(alarm.Dimensions));
    expect(new Set(dimensions).size).toBe(2 * providers.length);
    expect(dimensions.sort()).toEqual(
      providers.flatMap((p) => [own(p), own(p), lambda(p), lambda(p)].map((m) => JSON.stringify(m.Dimensions))).sort(),
    );
    expect(new Set(all.map((alarm) => alarm.AlarmName)).size).toBe(all.length);
  });

  it.each(reconcilables.map(({ adapter }) => adapter.name))(
    'reconcile-%s: repaired stops, repaired starts and list failures alarms, saying callbacks are being lost',
    (provider) => {
      const own = allAlarms(deployed).filter(
        (alarm) =>
          reconcileMetrics.includes(alarm.MetricName) &&
          JSON.stringify(alarm.Dimensions) === JSON.stringify([{ Name: 'provider', Value: provider }]),
      );
      expect(own.map((alarm) => [alarm.MetricName, alarm.Period, alarm.Threshold]).sort()).toEqual(
        [
          ['listFailures', 900, 2],
          ['repairedStarts', 3600, 1],
          ['repairedStops', 3600, 1],
        ].sort(),
      );
      for (const alarm of own.filter((alarm) => alarm.MetricName.startsWith('repaired'))) {
        expect(alarm.AlarmDescription).toContain('callbacks are being lost');
        expect(alarm.AlarmActions).toEqual([topic]);
      }
    },
  );

  it.each(providers)('%s: refusals, failures, throttles and errors alarms, notifying the topic', (provider) => {
    const notify = {
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
      EvaluationPeriods: 1,
    };
    const name = `livehooks-${stage}-${provider}`;
    type Expected = { Namespace: string; Dimensions: unknown[]; MetricName: string; Period: number; Threshold: number };
    const expected: (Expected & { ComparisonOperator?: string })[] = [
      // More than refusalAlarmThreshold (5 here) refusals in 5 minutes.
      {
        ...own(provider),
        MetricName: 'refused',
        Period: 300,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
      },
      // Any 503 or 500 in a minute; any throttle; any crash.
      { ...own(provider), MetricName: 'failed', Period: 60, Threshold: 1 },
      { ...lambda(provider), MetricName: 'Throttles', Period: 60, Threshold: 1 },
      { ...lambda(provider), MetricName: 'Errors', Period: 60, Threshold: 1 },
    ];
    for (const { ComparisonOperator = 'GreaterThanOrEqualToThreshold', ...metric } of expected) {
      const matching = alarms(deployed).filter(
        (alarm) =>
          alarm.Namespace === metric.Namespace &&
          alarm.MetricName === metric.MetricName &&
          JSON.stringify(alarm.Dimensions) === JSON.stringify(metric.Dimensions),
      );
      expect(matching, `${provider} ${metric.MetricName}`).toEqual([
        {
          ...metric,
          ...notify,
          ComparisonOperator,
          Statistic: 'Sum',
          AlarmName: expect.stringMatching(new RegExp(`^${name}-`)),
          AlarmDescription: expect.stringContaining('docs/alarms.md'),
        },
      ]);
    }
  });

  it('has one dashboard, its body JSON graphing every provider', () => {
    const dashboards = ofType(deployed, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const [, dashboard] = dashboards[0]!;
    expect(dashboard.Properties.DashboardName).toEqual({ 'Fn::Sub': `livehooks-${stage}-\${AWS::Region}` });
    const body: string = dashboard.Properties.DashboardBody['Fn::Sub'];
    // Every ${...} of the Fn::Sub is a pseudo parameter or a resource of the stack.
    for (const [, reference] of body.matchAll(/\$\{([^}]*)\}/g)) {
      expect(
        ['AWS::Region', 'AWS::AccountId', 'AWS::Partition'].includes(reference!) || reference! in deployed.Resources,
        reference,
      ).toBe(true);
    }
    const { widgets } = JSON.parse(body) as { widgets: any[] };
    for (const widget of widgets) {
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
      if (widget.type === 'metric') expect(widget.properties.region).toBe('${AWS::Region}');
    }
    const statusAlarms: string[] = widgets.filter((w) => w.type === 'alarm').flatMap((w) => w.properties.alarms);
    expect(statusAlarms.map((arn) => arn.split(':alarm:')[1]).sort()).toEqual(
      alarms(deployed)
        .map((alarm) => alarm.AlarmName)
        .sort(),
    );
    // [namespace, metric, dimension, value, options?] as graphed, with the stat it shows.
    const graphed = widgets
      .filter((widget) => widget.type === 'metric')
      .flatMap((widget) =>
        widget.properties.metrics.map((line: any[]) => {
          const [namespace, metric, dimension, value, options] = line;
          return `${namespace} ${metric} ${dimension}=${value} ${options?.stat ?? widget.properties.stat}`;
        }),
      );
    for (const provider of providers) {
      for (const metric of ['accepted', 'duplicate', 'refused', 'failed']) {
        expect(graphed).toContain(`livehooks ${metric} provider=${provider} Sum`);
      }
      for (const metric of ['storeLatency', 'publishLatency']) {
        for (const stat of ['p50', 'p99'])
          expect(graphed).toContain(`livehooks ${metric} provider=${provider} ${stat}`);
      }
      const fn = `FunctionName=\${${logicalId(provider)}}`;
      expect(graphed).toEqual(
        expect.arrayContaining([`AWS/Lambda Duration ${fn} p99`, `AWS/Lambda Throttles ${fn} Sum`]),
      );
    }
  });
});
