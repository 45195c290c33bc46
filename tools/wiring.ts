/**
 * Files generated from the registry (tools/providers.ts), so that a vendor is listed in one
 * place. `npm run wiring` writes them; test/unit/tools/wiring.test.ts regenerates them and
 * fails on any difference.
 *
 * - tools/serverless/vendors.json: what the deployment plugin (tools/serverless/receivers.cjs)
 *   needs of each vendor, readable at deploy time without TypeScript;
 * - tools/serverless/reconcilers.json: the same for each reconcile function
 *   (tools/serverless/reconcilers.cjs), from `reconcilables`;
 * - README.md: which providers reconcile, and each one's credential fields;
 * - README.md: the vendor table (each row from the vendor's row in docs/vendors.md's summary);
 * - README.md's first paragraph, and package.json's description, naming every vendor;
 * - README.md's paragraph on the stack's outputs, naming every receiver's URL output;
 * - docs/local.md's `npm start` screen and docs/cli.md's `livehooks --help` screen;
 * - docs/behaviour.md: the record's `provider` and `sessionId` rows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { envPrefix } from '../shared/config';
import { isEventBridgeAdapter } from '../shared/provider';
import { reconcilables } from '../shared/reconcile/sources';
import { usage } from './cli/usage';
import { checksOf, startScreen } from './local/screen';
import { providerNames, providerOf } from './providers';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** What tools/serverless/receivers.cjs knows of a vendor. */
export interface VendorWiring {
  /** The route: the function's key in serverless.yml, `functions/<name>.ts`. */
  name: string;
  /** The logical id of its IAM role: `nginx-rtmp` → `NginxRtmpRole`. */
  role: string;
  /** Its environment variables' prefix, `LIVEHOOKS_NGINX_RTMP_`. */
  envPrefix: string;
  /** Whether it reads keys and tokens from SSM, under `/livehooks/<stage>/<name>/` (every vendor behind a URL). */
  parameters: boolean;
}

/** `nginx-rtmp` → `NginxRtmp`. */
const pascal = (name: string) => name.replace(/(^|-)(.)/g, (_, _dash: string, letter: string) => letter.toUpperCase());

/** The vendors, in the registry's order. */
export function vendorWiring(): VendorWiring[] {
  return providerNames.map((name) => ({
    name,
    role: `${pascal(name)}Role`,
    envPrefix: envPrefix(name),
    parameters: !isEventBridgeAdapter(providerOf(name).adapter),
  }));
}

/** What tools/serverless/reconcilers.cjs knows of a provider's reconcile function. */
export interface ReconcilerWiring {
  /** The provider's route; its function is `reconcile-<name>`, `functions/reconcile-<name>.ts`. */
  name: string;
  /** The logical id of its IAM role: `nginx-rtmp` → `ReconcileNginxRtmpRole`. */
  role: string;
  /** Its environment variables' prefix, `LIVEHOOKS_NGINX_RTMP_`. */
  envPrefix: string;
  /** Whether it reads its list's credentials from SSM, under `/livehooks/<stage>/<name>/api/`. */
  parameters: boolean;
  /** The AWS actions its list calls with the function's own role (`ivs:ListStreams`). */
  actions: string[];
}

/** The reconcile functions, in `reconcilables`' order. */
export function reconcilerWiring(): ReconcilerWiring[] {
  return reconcilables.map(({ adapter: { name }, source }) => ({
    name,
    role: `Reconcile${pascal(name)}Role`,
    envPrefix: envPrefix(name),
    parameters: !source.awsActions,
    actions: [...(source.awsActions ?? [])],
  }));
}

/** The README's table of the providers that reconcile, and where each one's credentials go. */
function reconcileTable(): string {
  const rows = reconcilables.map(({ adapter: { name }, source }) => {
    const optional = (source.optionalCredentials ?? []).map((field) => `\`${field}\` (optional)`);
    const fields = [...source.credentials.map((field) => `\`${field}\``), ...optional].join(', ');
    const where = source.awsActions
      ? `none: the function's own role (${source.awsActions.map((action) => `\`${action}\``).join(', ')}), ` +
        `its region; from a laptop the usual \`AWS_*\` variables`
      : `${fields}, under \`/livehooks/<stage>/${name}/api/\``;
    return `| \`${name}\` | ${providerOf(name).samples.vendor} | ${where} |`;
  });
  return ['| provider | vendor | credentials (SSM parameters, one per field) |', '| --- | --- | --- |', ...rows].join(
    '\n',
  );
}

const read = (path: string) => readFileSync(`${repo}${path}`, 'utf8');

/** `a, b and c`. */
const listed = (items: string[]) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/**
 * A vendor's row in docs/vendors.md's summary: its cells, by column (route, request,
 * start / stop, session, authenticity, signed time).
 */
function summaryRow(vendorsMd: string, name: string): string[] {
  const row = vendorsMd.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
  if (!row)
    throw new Error(`docs/vendors.md's summary table has no row for \`${name}\`: add it (docs/adding-a-vendor.md)`);
  // Cells split on | not escaped as \|.
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** The README's vendor table: how each is reached, what it sends and how it is checked. */
function vendorTable(vendorsMd: string): string {
  const rows = providerNames.map((name) => {
    const { adapter, samples } = providerOf(name);
    const [, , startStop, session, authenticity] = summaryRow(vendorsMd, name);
    const route = `${isEventBridgeAdapter(adapter) ? 'EventBridge' : adapter.method} ${name}`;
    return `| \`${route}\` | ${samples.vendor} | ${startStop} | ${authenticity} | ${session} |`;
  });
  return [
    '| route | vendor | start / stop | authenticity | session |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** `npm start`'s screen with its default ports and no keys set, as a newcomer first sees it. */
function defaultStartScreen(): string {
  return startScreen({
    store: 'http://127.0.0.1:8000',
    tableName: 'livehooks',
    stored: 'data in .livehooks/data',
    queue: 'http://127.0.0.1:9324/123456789012/livehooks-notifications.fifo',
    receivers: 'http://127.0.0.1:3000',
    providers: providerNames.map((name) => {
      const { adapter } = providerOf(name);
      return [name, checksOf(name, adapter, { [`${envPrefix(name)}AUTH`]: 'off' })] as const;
    }),
  }).join('\n');
}

/**
 * The file at `path` with what follows `marker` up to `end` replaced by `content`; throws if
 * the file has lost the marker.
 */
function replaceBlock(path: string, text: string, marker: string, end: string, content: string): string {
  const start = text.indexOf(marker);
  const stop = text.indexOf(end, start + marker.length);
  if (start < 0 || stop < 0) throw new Error(`${path} has lost its marker "${marker.trim()}"`);
  return `${text.slice(0, start + marker.length)}${content}${text.slice(stop)}`;
}

/** Where a `<!-- README screen: NAME -->` block's text begins (test/system/readme.test.ts runs it). */
const screen = (name: string) => `<!-- README screen: ${name} -->\n\`\`\`text\n`;

/** `text` in lines of at most `width` characters, broken at spaces. */
function wrapped(text: string, width = 90): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

/** The README's first paragraph: what livehooks does, and for which vendors. */
function introduction(): string {
  const vendors = providerNames.map((name) => providerOf(name).samples.vendor);
  return wrapped(
    `Receive, verify and record live-stream **start/stop callbacks** from ${listed(vendors)}, on AWS ` +
      "Lambda Function URLs (an AWS service's events through EventBridge), into DynamoDB: exactly once, in " +
      "the right order, with each stream's sessions and live state; then tell the rest of your system, " +
      'through an SQS FIFO queue or an EventBridge bus.',
  );
}

/** A function's URL output as osls names it: `nginx-rtmp` → `NginxDashrtmpLambdaFunctionUrl`. */
function urlOutput(name: string): string {
  const normalized = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized[0]!.toUpperCase()}${normalized.slice(1)}LambdaFunctionUrl`;
}

/** The README's paragraph on the stack's outputs, which names every receiver's URL output. */
function outputsParagraph(): string {
  const names = (list: string[]) => list.map((name) => `\`${name}\``);
  const byUrl = providerNames.filter((name) => !isEventBridgeAdapter(providerOf(name).adapter));
  const byRule = providerNames.filter((name) => isEventBridgeAdapter(providerOf(name).adapter));
  return wrapped(
    'Always pass `--stage`: the default stage, `local`, is for `invoke local` only. The stack has one function ' +
      "per provider (nodejs24.x, arm64, 128 MB, a 4-second timeout under Alibaba's 5 seconds), each behind a public " +
      'Function URL, and one DynamoDB table (on demand, TTL on `expiresAt`, point-in-time recovery, kept when ' +
      "the stack is deleted). `npx serverless info --stage prod --verbose` prints the stack's outputs: the " +
      `URLs, named after the functions as osls spells them (${names(byUrl.map(urlOutput)).join(', ')}; none for ` +
      `${listed(names(byRule))}, whose events come through EventBridge) and the read API's ` +
      '`ApiLambdaFunctionUrl`, `IvsFailedEventsQueueUrl` (the IVS events its function failed on), ' +
      '`TableName`, the generated table name that `livehooks ... --table` takes, and with the queue on ' +
      '`NotificationQueueUrl`, `NotificationQueueArn` and `NotificationDeadLetterQueueUrl`.',
  );
}

function readme(): string {
  const [title, , ...rest] = read('README.md').split('\n\n');
  const paragraphs = [title, introduction(), ...rest];
  const outputs = paragraphs.findIndex((paragraph) => paragraph?.startsWith('Always pass `--stage`:'));
  if (outputs < 0)
    throw new Error('README.md has lost its paragraph on the stack\'s outputs ("Always pass `--stage`:")');
  paragraphs[outputs] = outputsParagraph();
  let text = paragraphs.join('\n\n');
  text = replaceBlock(
    'README.md',
    text,
    '<!-- generated: vendors -->\n',
    '\n<!-- end generated -->',
    vendorTable(read('docs/vendors.md')),
  );
  return replaceBlock(
    'README.md',
    text,
    '<!-- generated: reconcilers -->\n',
    '\n<!-- end generated -->',
    reconcileTable(),
  );
}

/** docs/local.md, whose `npm start` screen lists every receiver. */
const localMd = () =>
  replaceBlock('docs/local.md', read('docs/local.md'), screen('npm start'), '\n```', defaultStartScreen());

/** docs/cli.md, whose `livehooks --help` screen names every provider. */
const cliMd = () => replaceBlock('docs/cli.md', read('docs/cli.md'), screen('livehooks --help'), '\n```', usage);

function packageJson(): string {
  const json = JSON.parse(read('package.json')) as { description: string };
  const vendors = providerNames.map((name) => providerOf(name).samples.vendor);
  json.description =
    `Receive, verify and record live-stream start/stop callbacks from ${listed(vendors)}, ` +
    'on AWS Lambda (Function URLs, and EventBridge for AWS services), into DynamoDB, then notify onward.';
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** docs/behaviour.md, whose record table names every route, and where each one's sessionId comes from. */
function behaviour(): string {
  const vendorsMd = read('docs/vendors.md');
  const routes = providerNames.map((name) => `\`${name}\``);
  const bySession = providerNames.filter((name) => !providerOf(name).adapter.pairByTime);
  const byTime = providerNames.filter((name) => providerOf(name).adapter.pairByTime);
  const sessions = bySession.map((name) => `\`${name}\` ${summaryRow(vendorsMd, name)[3]}`);
  const rows: Record<string, string> = {
    provider: `the route: ${routes.join(', ')}`,
    sessionId:
      `the vendor's push-session value when it has one (${sessions.join(', ')}). Otherwise, for ` +
      `${listed(byTime.map((name) => `\`${name}\``))}, derived from the start's time: \`start@<ISO time>\`, ` +
      "with a pairing key appended where there is one (nginx-rtmp's `clientid`: `start@…#7`); a stop whose " +
      'start has not arrived shows `stop@<its own time>` until the start claims it',
  };
  return read('docs/behaviour.md')
    .split('\n')
    .map((line) => {
      const name = /^\| `(\w+)` \|/.exec(line)?.[1];
      return name !== undefined && Object.hasOwn(rows, name) ? `| \`${name}\` | ${rows[name]} |` : line;
    })
    .join('\n');
}

/** Every generated file, by path from the repository's root, with the content it must have. */
export function generatedFiles(): Record<string, string> {
  return {
    'tools/serverless/vendors.json': `${JSON.stringify(vendorWiring(), null, 2)}\n`,
    'tools/serverless/reconcilers.json': `${JSON.stringify(reconcilerWiring(), null, 2)}\n`,
    'README.md': readme(),
    'docs/local.md': localMd(),
    'docs/cli.md': cliMd(),
    'package.json': packageJson(),
    'docs/behaviour.md': behaviour(),
  };
}

/** The generated files whose content on disk differs from what the registry makes. */
export function staleFiles(): string[] {
  return Object.entries(generatedFiles())
    .filter(([path, content]) => {
      try {
        return read(path) !== content;
      } catch {
        return true;
      }
    })
    .map(([path]) => path);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = generatedFiles();
  for (const path of staleFiles()) {
    writeFileSync(`${repo}${path}`, files[path]!);
    console.log(`wrote ${path}`);
  }
}
