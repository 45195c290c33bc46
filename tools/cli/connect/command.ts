import { parseArgs } from 'node:util';
import type { Env } from '../../../shared/config';
import { httpProviderNames, providerNames } from '../../providers';
import { VendorApiError } from '../../../shared/vendor-api/errors';
import { WiringError, type Context, type WiringOptions } from './context';
import {
  connectApi,
  connectManual,
  rotateApi,
  rotateManual,
  statusApi,
  statusManual,
  wiringOf,
  type Check,
  type FlowSettings,
} from './flows';
import { readParameters } from './parameters';
import { masked } from './secret';
import { functionUrl } from './stack';
import { wiringUsage } from './usage';

const options = {
  stage: { type: 'string' },
  domain: { type: 'string' },
  app: { type: 'string' },
  region: { type: 'string' },
  area: { type: 'string' },
  account: { type: 'string' },
  input: { type: 'string', multiple: true },
  relay: { type: 'string' },
  broadcaster: { type: 'string' },
  stream: { type: 'string' },
  url: { type: 'string' },
  stack: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  finish: { type: 'boolean' },
  force: { type: 'boolean' },
  reveal: { type: 'boolean' },
  'secret-stdin': { type: 'boolean' },
  'secrets-max-age': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function readStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.split(/\r?\n/)[0]!.trim();
}

function printChecks(
  json: boolean,
  results: { vendor: string; ok: boolean; checks: Check[] }[],
  say: (line: string) => void,
) {
  if (json) return console.log(JSON.stringify(results, null, 2));
  for (const { vendor, checks } of results) {
    for (const { check, ok, detail } of checks)
      say(`${vendor.padEnd(11)} ${check.padEnd(11)} ${ok ? 'ok  ' : 'FAIL'}  ${detail}`);
  }
}

/**
 * Runs `connect`, `status` or `rotate` with `argv` (the command first); returns the exit
 * status: 0 all well, 1 a failure (one line on stderr, with the fix), 2 wrong usage.
 */
export async function runWiring(argv: string[], env: Env = process.env): Promise<number> {
  const secrets: string[] = [];
  const out = (line: string) => console.log(masked(line, secrets));
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    const [command, provider, extra] = positionals;
    if (values.help) return (console.log(wiringUsage), 0);
    if (extra) throw new WiringError(`unexpected "${extra}"`, 2);
    if (!values.stage)
      throw new WiringError(
        `${command} needs --stage (the stage you deployed: npx serverless deploy --stage <stage>)`,
        2,
      );
    if (provider !== undefined && !providerNames.includes(provider)) {
      throw new WiringError(`unknown vendor "${provider}": one of ${providerNames.join(', ')}`, 2);
    }
    if (command !== 'status' && !provider)
      throw new WiringError(`${command} needs a vendor: one of ${providerNames.join(', ')}`, 2);
    const maxAge = values['secrets-max-age'] === undefined ? 300 : Number(values['secrets-max-age']);
    if (!Number.isInteger(maxAge) || maxAge < 0)
      throw new WiringError("--secrets-max-age is whole seconds (the stack's secretsMaxAge)", 2);
    if (values.finish && command !== 'rotate') throw new WiringError('--finish goes with rotate', 2);
    const wiringOptions: WiringOptions = {
      domain: values.domain,
      app: values.app,
      region: values.region,
      area: values.area,
      account: values.account,
      inputs: values.input,
      relay: values.relay,
      broadcaster: values.broadcaster,
      stream: values.stream,
    };
    for (const key of Object.keys(wiringOptions) as (keyof WiringOptions)[]) {
      if (wiringOptions[key] === undefined) delete wiringOptions[key];
    }
    const json = values.json ?? false;
    const contextOf = (name: string): Context => ({
      stage: values.stage!,
      provider: name,
      options: { ...wiringOptions },
      env,
      dryRun: values['dry-run'] ?? false,
      secrets,
      say: json ? () => {} : out,
      reveal: (line) => console.log(line),
    });
    const settingsOf = (name: string): FlowSettings => ({
      functionUrl: () => functionUrl(name, values.stage!, values.url, values.stack),
      secretsMaxAge: maxAge,
      force: values.force,
      reveal: values.reveal,
    });

    if (command === 'status') {
      const names = provider ? [provider] : httpProviderNames;
      const results = [];
      for (const name of names) {
        const ctx = contextOf(name);
        const { api, manual } = wiringOf(name);
        // Without a vendor: those with something stored in SSM.
        if (!provider) {
          const stored = await readParameters(ctx);
          if (stored.keys.length + stored.tokens.length === 0) continue;
        }
        let checks: Check[];
        try {
          checks = api
            ? await statusApi(ctx, api, settingsOf(name))
            : await statusManual(ctx, manual!, settingsOf(name));
        } catch (error) {
          if (provider || !(error instanceof VendorApiError || (error instanceof WiringError && error.status === 1)))
            throw error;
          checks = [{ check: 'vendor', ok: false, detail: error.message }];
        }
        results.push({ vendor: name, ok: checks.every((check) => check.ok), checks });
      }
      if (results.length === 0 && !json)
        out(`nothing wired in stage ${values.stage}: run livehooks connect <vendor> --stage ${values.stage}`);
      printChecks(json, results, out);
      return results.every((result) => result.ok) ? 0 : 1;
    }

    const ctx = contextOf(provider!);
    const settings = settingsOf(provider!);
    const { api, manual } = wiringOf(provider!);
    if (command === 'connect') {
      if (values['secret-stdin']) {
        if (api || !manual?.secret)
          throw new WiringError(`--secret-stdin is for vendors whose console makes the secret (agora, livekit)`, 2);
        settings.givenSecret = await readStdinLine();
        if (!settings.givenSecret) throw new WiringError('no secret on stdin', 2);
      }
      if (api) await connectApi(ctx, api, settings);
      else await connectManual(ctx, manual!, settings);
      if (ctx.dryRun || !api) return 0;
      // Prove the path: what status says, in the same words.
      const checks = await statusApi(contextOf(provider!), api, settings);
      printChecks(false, [{ vendor: provider!, ok: checks.every((c) => c.ok), checks }], out);
      return checks.every((check) => check.ok) ? 0 : 1;
    }
    if (command === 'rotate') {
      if (api) await rotateApi(ctx, api, settings, values.finish ?? false);
      else await rotateManual(ctx, manual!, settings, values.finish ?? false);
      return 0;
    }
    throw new WiringError(`unknown command "${command}"`, 2);
  } catch (error) {
    const status =
      error instanceof WiringError
        ? error.status
        : (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
          ? 2
          : 1;
    console.error(`livehooks: ${masked(error instanceof Error ? error.message : String(error), secrets)}`);
    return status;
  }
}
