'use strict';
/**
 * A local Serverless Framework plugin: CloudWatch alarms and one dashboard for every provider
 * function, generated from serverless.yml's `functions:` block at package time, so that
 * adding a vendor (docs/adding-a-vendor.md) never means writing alarm blocks by hand.
 *
 * What it adds to the compiled template (docs/alarms.md says what each alarm means):
 * - per provider, `<Fn>RefusalsAlarm`, `<Fn>FailuresAlarm` (livehooks' own metrics, which
 *   the functions emit in CloudWatch Embedded Metric Format) and `<Fn>ThrottlesAlarm`,
 *   `<Fn>ErrorsAlarm` (Lambda's), `<Fn>` being osls's normalized function name;
 * - `LivehooksDashboard`, a row of graphs per provider.
 *
 * All of them carry `Condition: AlarmsOn`, defined in serverless.yml from the `alarmTopic`
 * param: a stack without a topic gets none of them, as with the other optional resources.
 * serverless.yml hands the params over as `custom.alarms.topic` and
 * `custom.alarms.refusalThreshold`.
 */

const { existsSync } = require('node:fs');
const { join } = require('node:path');

/** The namespace and dimension of the EMF lines the functions write (shared/ metrics). */
const NAMESPACE = 'livehooks';
const DIMENSION = 'provider';
/** serverless.yml's condition: true when alarmTopic is set. */
const CONDITION = 'AlarmsOn';
/** Each provider's alarms, as their names end: `livehooks-<stage>-<name>-<kind>`. */
const ALARM_KINDS = ['refusals', 'failures', 'throttles', 'errors'];

/**
 * @typedef {object} ProviderFunction
 * @property {string} name        the function's key in serverless.yml, its route
 * @property {string} functionName the deployed name, `livehooks-<stage>-<name>`
 * @property {string} logicalId   the AWS::Lambda::Function's logical id (Ref: its name)
 * @property {string} prefix      osls's normalized name, for the alarms' logical ids
 */

class Alarms {
  /** @param {any} serverless */
  constructor(serverless) {
    this.serverless = serverless;
    // compileEvents: the functions are compiled (their logical ids exist) and the
    // `resources:` section, Conditions included, is merged after us, at package:finalize.
    this.hooks = { 'package:compileEvents': () => this.addResources() };
  }

  /**
   * The provider functions: a handler `functions/<name>.handler` of the function's own
   * name, reached by a URL or an EventBridge rule, and an adapter in
   * shared/providers/<name>.ts. The adapter test keeps out a function that is not a vendor's
   * receiver (an `api` behind a URL, say), which must get no refusal or failure alarm.
   * @returns {ProviderFunction[]}
   */
  providers() {
    const { service } = this.serverless;
    const naming = this.serverless.getProvider('aws').naming;
    return service
      .getAllFunctions()
      .filter((name) => {
        const fn = service.getFunction(name);
        const reached = Boolean(fn.url) || (fn.events ?? []).some((event) => event.eventBridge);
        return (
          fn.handler === `functions/${name}.handler` &&
          reached &&
          existsSync(join(this.serverless.serviceDir, 'shared', 'providers', `${name}.ts`))
        );
      })
      .map((name) => ({
        name,
        functionName: service.getFunction(name).name,
        logicalId: naming.getLambdaLogicalId(name),
        prefix: naming.getNormalizedFunctionName(name),
      }));
  }

  /**
   * The reconcile functions (docs/behaviour.md §7): a handler `functions/reconcile-<provider>.handler`
   * of the function's own name, for a provider with an adapter.
   * @returns {ProviderFunction[]} `name` being the provider's route
   */
  reconcilers() {
    const { service } = this.serverless;
    const naming = this.serverless.getProvider('aws').naming;
    return service
      .getAllFunctions()
      .filter((name) => {
        const provider = name.replace(/^reconcile-/, '');
        return (
          name.startsWith('reconcile-') &&
          service.getFunction(name).handler === `functions/${name}.handler` &&
          existsSync(join(this.serverless.serviceDir, 'shared', 'providers', `${provider}.ts`))
        );
      })
      .map((name) => ({
        name: name.replace(/^reconcile-/, ''),
        functionName: service.getFunction(name).name,
        logicalId: naming.getLambdaLogicalId(name),
        prefix: naming.getNormalizedFunctionName(name),
      }));
  }

  /** Reads and checks custom.alarms: a wrong ARN or threshold fails packaging, not a deploy. */
  settings() {
    const { Error: ServerlessError } = this.serverless.classes;
    const { topic = '', refusalThreshold = 20 } = this.serverless.service.custom?.alarms ?? {};
    if (topic !== '' && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(topic)) {
      throw new ServerlessError(`alarmTopic: not an SNS topic ARN: "${topic}"`, 'LIVEHOOKS_ALARM_TOPIC');
    }
    // --param gives a string, params: default a number.
    const threshold = Number(refusalThreshold);
    if (refusalThreshold === '' || !Number.isFinite(threshold) || threshold < 0) {
      throw new ServerlessError(
        `refusalAlarmThreshold: not a number of refusals: "${refusalThreshold}"`,
        'LIVEHOOKS_ALARM_THRESHOLD',
      );
    }
    if (!this.serverless.service.resources?.Conditions?.[CONDITION]) {
      throw new ServerlessError(`serverless.yml defines no condition ${CONDITION}`, 'LIVEHOOKS_ALARM_CONDITION');
    }
    return { topic, threshold };
  }

  addResources() {
    const { topic, threshold } = this.settings();
    const providers = this.providers();
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    for (const provider of providers) {
      Object.assign(resources, alarmsOf(provider, topic, threshold));
    }
    for (const reconciler of this.reconcilers()) Object.assign(resources, reconcileAlarmsOf(reconciler, topic));
    const stage = this.serverless.getProvider('aws').getStage();
    resources.LivehooksDashboard = dashboard(providers, `${this.serverless.service.service}-${stage}`);
  }
}

/** `AlibabaRefusalsAlarm`: osls's normalized function name, the kind, `Alarm`. */
function alarmLogicalId(prefix, kind) {
  return `${prefix}${kind[0].toUpperCase()}${kind.slice(1)}Alarm`;
}

/**
 * One alarm: Sum over `period` seconds, one period, no data (no callbacks) being fine.
 * ALARM and OK both notify, so the topic also hears that it is over.
 */
function alarm({ name, description, namespace, metric, dimension, period, operator, threshold, topic }) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Condition: CONDITION,
    Properties: {
      AlarmName: name,
      AlarmDescription: `${description} (docs/alarms.md)`,
      Namespace: namespace,
      MetricName: metric,
      Dimensions: [dimension],
      Statistic: 'Sum',
      Period: period,
      EvaluationPeriods: 1,
      Threshold: threshold,
      ComparisonOperator: operator,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    },
  };
}

/**
 * A provider's four alarms, by logical id.
 * @param {ProviderFunction} provider
 * @param {string} topic
 * @param {number} threshold refusals in 5 minutes that are too many
 */
function alarmsOf({ name, functionName, logicalId, prefix }, topic, threshold) {
  const own = { namespace: NAMESPACE, dimension: { Name: DIMENSION, Value: name } };
  const lambda = { namespace: 'AWS/Lambda', dimension: { Name: 'FunctionName', Value: { Ref: logicalId } } };
  const any = { period: 60, operator: 'GreaterThanOrEqualToThreshold', threshold: 1, topic };
  return {
    // A few refusals are normal (scanners, a vendor's test button); a run of them is a key
    // or token out of step on one side.
    [alarmLogicalId(prefix, 'refusals')]: alarm({
      ...own,
      name: `${functionName}-refusals`,
      description: `${name}: more than ${threshold} callbacks refused (4xx) in 5 minutes`,
      metric: 'refused',
      period: 300,
      operator: 'GreaterThanThreshold',
      threshold,
      topic,
    }),
    // One is enough: each is a callback not recorded (503, the vendor may retry; 500, a bug).
    [alarmLogicalId(prefix, 'failures')]: alarm({
      ...own,
      ...any,
      name: `${functionName}-failures`,
      description:
        `${name}: a callback failed (503 store, publish or secrets unavailable, or 500; ` +
        '503 throttled: a DynamoDB partition over 1,000 write units a second, the log line naming ' +
        'the partitions: the stream#, live-by-shard live#NN or recent-by-shard <day>#NN; docs/capacity.md)',
      metric: 'failed',
    }),
    // Refused by Lambda before the handler ran (reservedConcurrency reached): no metric of ours.
    [alarmLogicalId(prefix, 'throttles')]: alarm({
      ...lambda,
      ...any,
      name: `${functionName}-throttles`,
      description: `${name}: Lambda throttled an invocation (reserved concurrency reached)`,
      metric: 'Throttles',
    }),
    // The handler crashed or timed out and never answered: no metric of ours either.
    [alarmLogicalId(prefix, 'errors')]: alarm({
      ...lambda,
      ...any,
      name: `${functionName}-errors`,
      description: `${name}: an invocation crashed or timed out without answering`,
      metric: 'Errors',
    }),
  };
}

/**
 * A reconcile function's alarms: any repair means a callback was lost (the vendor gave up,
 * or the origin never sent it); two list failures in 15 minutes, that reconciliation is
 * not running.
 * @param {ProviderFunction} reconciler
 * @param {string} topic
 */
function reconcileAlarmsOf({ name, functionName, prefix }, topic) {
  const own = {
    namespace: NAMESPACE,
    dimension: { Name: DIMENSION, Value: name },
    operator: 'GreaterThanOrEqualToThreshold',
    topic,
  };
  const repairs = (metric, what) =>
    alarm({
      ...own,
      name: `${functionName}-${metric}`,
      description: `${name}: callbacks are being lost: reconciliation ${what} from the vendor's live list`,
      metric,
      period: 3600,
      threshold: 1,
    });
  return {
    [alarmLogicalId(prefix, 'repairedStops')]: repairs(
      'repairedStops',
      'stopped pushes whose stop callback never came',
    ),
    [alarmLogicalId(prefix, 'repairedStarts')]: repairs(
      'repairedStarts',
      'started pushes whose start callback never came',
    ),
    [alarmLogicalId(prefix, 'listFailures')]: alarm({
      ...own,
      name: `${functionName}-listFailures`,
      description: `${name}: the vendor's live list failed twice in 15 minutes: lost callbacks are not being repaired`,
      metric: 'listFailures',
      period: 900,
      threshold: 2,
    }),
  };
}

/**
 * The dashboard: a note, the alarms' states, then a row per provider (callbacks by outcome,
 * store and publish latency, Lambda's duration, throttles and errors). The body is JSON in an
 * Fn::Sub, whose `${...}` put in the region, the account and each function's name.
 * @param {ProviderFunction[]} providers
 * @param {string} stackName `livehooks-<stage>`, the dashboard's name before the region
 */
function dashboard(providers, stackName) {
  const region = '${AWS::Region}';
  const graph = (title, x, y, metrics) => ({
    type: 'metric',
    x,
    y,
    width: 8,
    height: 6,
    properties: { title, region, view: 'timeSeries', stacked: false, period: 300, stat: 'Sum', metrics },
  });
  // [namespace, metric, dimension, value, rendering options?]
  const own = (name, metric, ...options) => [NAMESPACE, metric, DIMENSION, name, ...options];
  const lambda = (logicalId, metric, options) => ['AWS/Lambda', metric, 'FunctionName', `\${${logicalId}}`, options];
  const alarmArns = providers.flatMap(({ functionName }) =>
    ALARM_KINDS.map(
      (kind) => `arn:\${AWS::Partition}:cloudwatch:${region}:\${AWS::AccountId}:alarm:${functionName}-${kind}`,
    ),
  );
  const statusWidgets = [];
  for (let start = 0; start < alarmArns.length; start += 100) statusWidgets.push(alarmArns.slice(start, start + 100));
  const widgets = [
    {
      type: 'text',
      x: 0,
      y: 0,
      width: 24,
      height: 2,
      properties: {
        markdown:
          '## livehooks\nGenerated by tools/serverless/alarms.cjs at each deploy: changes made here are lost. ' +
          'What each alarm means and what to do: docs/alarms.md.',
      },
    },
    // An alarm status widget takes at most 100 alarms (25 providers): one widget per 100.
    ...statusWidgets.map((alarms, index) => ({
      type: 'alarm',
      x: 0,
      y: 2 + index * 3,
      width: 24,
      height: 3,
      properties: { title: 'Alarms', alarms, sortBy: 'stateUpdatedTimestamp' },
    })),
    ...providers.flatMap(({ name, logicalId }, row) => {
      const y = 2 + statusWidgets.length * 3 + row * 6;
      return [
        graph(
          `${name}: callbacks`,
          0,
          y,
          ['accepted', 'duplicate', 'ignored', 'refused', 'failed'].map((metric) => own(name, metric)),
        ),
        graph(
          `${name}: latency (ms)`,
          8,
          y,
          ['storeLatency', 'publishLatency'].flatMap((metric) =>
            ['p50', 'p99'].map((stat) => own(name, metric, { stat, label: `${metric} ${stat}` })),
          ),
        ),
        graph(`${name}: Lambda`, 16, y, [
          lambda(logicalId, 'Duration', { stat: 'p50', label: 'Duration p50 (ms)' }),
          lambda(logicalId, 'Duration', { stat: 'p99', label: 'Duration p99 (ms)' }),
          lambda(logicalId, 'Throttles', { yAxis: 'right' }),
          lambda(logicalId, 'Errors', { yAxis: 'right' }),
        ]),
      ];
    }),
  ];
  return {
    Type: 'AWS::CloudWatch::Dashboard',
    Condition: CONDITION,
    // After the alarms its status widget names (the same condition creates them all).
    DependsOn: providers.flatMap(({ prefix }) => ALARM_KINDS.map((kind) => alarmLogicalId(prefix, kind))),
    Properties: {
      // Dashboards are global to the account: the region keeps two regions' stacks apart.
      DashboardName: { 'Fn::Sub': `${stackName}-${region}` },
      DashboardBody: { 'Fn::Sub': JSON.stringify({ start: '-PT6H', widgets }) },
    },
  };
}

module.exports = Alarms;
