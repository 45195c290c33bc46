import { sendSampleCallback } from '../../vendor-requests';
import { alibabaWiring } from '../../vendor-api/alibaba';
import { cloudflareWiring } from '../../vendor-api/cloudflare';
import { huaweiWiring } from '../../vendor-api/huawei';
import { jdcloudWiring } from '../../vendor-api/jdcloud';
import { muxWiring } from '../../vendor-api/mux';
import { twitchWiring } from '../../vendor-api/twitch';
import { tencentWiring } from '../../vendor-api/tencent';
import { volcengineWiring } from '../../vendor-api/volcengine';
import { makesKey, sameUrl, type ApiWiring, type VendorHolds, type VendorMadeKeyApi } from '../../vendor-api/wiring';
import { WiringError, type Context, type WiringOptions } from './context';
import { manualWirings, withToken, type ManualWiring } from './manual';
import { readParameters, writeConnection, writeSecrets, type Connection, type StoredParameters } from './parameters';
import { isOneOf, isSame, newSecret } from './secret';
import type { ApiWiredVendor } from './usage';

/** The vendors wired by API, by provider: each of tools/cli/connect/usage.ts's list, no other. */
const apiWirings: Readonly<Record<string, ApiWiring>> = {
  alibaba: alibabaWiring,
  tencent: tencentWiring,
  huawei: huaweiWiring,
  jdcloud: jdcloudWiring,
  volcengine: volcengineWiring,
  mux: muxWiring,
  cloudflare: cloudflareWiring,
  twitch: twitchWiring,
} satisfies Record<ApiWiredVendor, ApiWiring>;

/** One line of `status`: what was checked, whether it is well, and what was found. */
export interface Check {
  check: string;
  ok: boolean;
  detail: string;
}

/** How the commands find the Function URL and wait for the functions. */
export interface FlowSettings {
  /** Reads the Function URL (the stack's output, or --url). */
  functionUrl: () => Promise<string>;
  /** Seconds a function keeps the keys it read (the stack's secretsMaxAge): waited after an SSM change. */
  secretsMaxAge: number;
  /** `rotate --finish` before the overlap is over. */
  force?: boolean;
  /** `connect` of a vendor whose console makes the secret (Agora): the secret, read from stdin. */
  givenSecret?: string;
  /** Print the secret into the steps of a vendor wired by hand. */
  reveal?: boolean;
}

const tokenOf = (url: string | undefined) => (url ? (new URL(url).searchParams.get('token') ?? undefined) : undefined);
const withoutToken = (url: string) => {
  const parsed = new URL(url);
  parsed.searchParams.delete('token');
  return parsed.href;
};

/** Options given now, over those remembered from the last `connect`. */
function mergeOptions(ctx: Context, connection: Connection): void {
  ctx.options = { ...(connection.options as WiringOptions | undefined), ...ctx.options };
}

function requireOptions(ctx: Context, wiring: ApiWiring): void {
  for (const [option, what] of Object.entries(wiring.required)) {
    if (ctx.options[option as keyof WiringOptions] === undefined) {
      if (option === 'region' && wiring.provider === 'huawei') continue; // cn-north-4 by default
      throw new WiringError(`${wiring.provider} needs --${option} (${what})`, 2);
    }
  }
}

/** Reads everything a command starts from: the URL, our parameters, the vendor's state. */
async function prepare(ctx: Context, wiring: ApiWiring, settings: FlowSettings) {
  ctx.url = await settings.functionUrl();
  const stored = await readParameters(ctx);
  mergeOptions(ctx, stored.connection);
  requireOptions(ctx, wiring);
  const api = wiring.api(ctx);
  const holds = await api.read(ctx, stored.connection);
  return { stored, api, holds };
}

/** Where the vendor should call: the Function URL (JD Cloud: through --relay, with the token). */
function targetOf(ctx: Context, wiring: ApiWiring, secret: string): string {
  if (!wiring.tokenInUrl) return ctx.url!;
  return withToken(ctx.options.relay ?? ctx.url!, secret);
}

/** The key the vendor holds, where it shows it: in clear, or as the URL's token (JD Cloud). */
function heldKey(wiring: ApiWiring, holds: VendorHolds): string | undefined {
  return wiring.tokenInUrl ? tokenOf(holds.urls[0]) : holds.key;
}

/** Whether the vendor calls our URL, and with a key the functions hold. */
function wiredWell(ctx: Context, wiring: ApiWiring, holds: VendorHolds, ours: readonly string[]) {
  const base = ctx.options.relay && wiring.tokenInUrl ? ctx.options.relay : ctx.url!;
  const urlOk =
    holds.urls.length > 0 && holds.urls.every((url) => sameUrl(wiring.tokenInUrl ? withoutToken(url) : url, base));
  const key = heldKey(wiring, holds);
  const keyOk = key !== undefined ? isOneOf(key, ours) : holds.ours === true && ours.length > 0;
  return { urlOk, keyOk };
}

/** Waits until every running function has read SSM again, so that none refuses the new key. */
async function settle(ctx: Context, seconds: number): Promise<void> {
  if (seconds <= 0) return;
  if (ctx.dryRun) return ctx.say(`would wait ${seconds} s for the functions to read the new key`);
  ctx.say(`waiting ${seconds} s: running functions read SSM again within secretsMaxAge`);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

async function remember(ctx: Context, stored: StoredParameters, connection: Connection): Promise<void> {
  if (JSON.stringify(connection) !== JSON.stringify(stored.connection)) await writeConnection(ctx, connection);
}

/** The options worth remembering: the vendor's, without empty ones. */
const optionsToKeep = (options: WiringOptions) =>
  Object.fromEntries(Object.entries(options).filter(([name, value]) => value !== undefined && name !== 'stream'));

/** `connect` of a vendor wired by API. */
export async function connectApi(ctx: Context, wiring: ApiWiring, settings: FlowSettings): Promise<void> {
  const { stored, api, holds } = await prepare(ctx, wiring, settings);
  const ours = stored[wiring.secret];
  const { urlOk, keyOk } = wiredWell(ctx, wiring, holds, ours);
  const options = optionsToKeep(ctx.options);
  if (urlOk && keyOk) {
    ctx.say(`${wiring.vendor} already calls ${ctx.url} with a key the functions hold: nothing to change`);
    await remember(ctx, stored, { ...stored.connection, options, ids: { ...stored.connection.ids, ...holds.ids } });
    return;
  }
  if (makesKey(api)) {
    const made = await api.create(ctx, ctx.url!);
    if (made) await writeSecrets(ctx, 'keys', [made.secret, ...ours]);
    else await writeSecrets(ctx, 'keys', ['(the new signing secret)', ...ours]);
    await settle(ctx, settings.secretsMaxAge);
    if (made) await api.enable(ctx, made.id);
    await remember(ctx, stored, { ...stored.connection, options, ids: { webhooks: made?.id ?? '' } });
    return;
  }
  // Keep a key the vendor already holds and we hold too; else our newest; else a new one.
  const held = heldKey(wiring, holds);
  const secret = (held && isOneOf(held, ours) ? held : ours[0]) ?? newSecret(wiring.format!);
  ctx.secrets.push(secret);
  if (!ours.includes(secret)) {
    await writeSecrets(ctx, wiring.secret, [secret, ...ours]);
    await settle(ctx, settings.secretsMaxAge);
  }
  const ids = await api.point(ctx, holds, targetOf(ctx, wiring, secret), secret);
  await remember(ctx, stored, { ...stored.connection, options, ids: { ...holds.ids, ...ids } });
}

/** `rotate` (a new key beside the old, then the vendor switched) or `rotate --finish` (the old keys dropped). */
export async function rotateApi(
  ctx: Context,
  wiring: ApiWiring,
  settings: FlowSettings,
  finish: boolean,
): Promise<void> {
  const { stored, api, holds } = await prepare(ctx, wiring, settings);
  const ours = stored[wiring.secret];
  const { urlOk, keyOk } = wiredWell(ctx, wiring, holds, ours);
  const again = `livehooks connect ${wiring.provider} --stage ${ctx.stage}`;
  if (!urlOk || !keyOk)
    throw new WiringError(`${wiring.vendor} is not wired to ${ctx.url} with our key: run \`${again}\` first`);
  if (finish) {
    if (ours.length < 2) return ctx.say(`${wiring.provider} holds one key: nothing to finish`);
    const newest = ours[0]!;
    const held = heldKey(wiring, holds);
    // Where the vendor never shows its key, the rotation's own record says it was switched.
    const switched = makesKey(api)
      ? holds.ids.webhooks?.split(',')[0] === stored.connection.ids?.webhooks?.split(',')[0]
      : held === undefined
        ? stored.connection.rotatedAt !== undefined
        : isSame(held, newest);
    if (!switched) {
      throw new WiringError(
        `${wiring.vendor} does not sign with the newest key yet: run \`livehooks rotate ${wiring.provider} --stage ${ctx.stage}\` again`,
      );
    }
    const until = stored.connection.keepOlderUntil;
    if (until && Date.now() < Date.parse(until) && !settings.force) {
      throw new WiringError(
        `keep the older key until ${until} (${wiring.overlap.why}): run --finish then, or add --force`,
      );
    }
    if (makesKey(api)) await api.retire(ctx, holds, stored.connection.ids!.webhooks!.split(',')[0]!);
    await writeSecrets(ctx, wiring.secret, [newest]);
    const { keepOlderUntil: _until, rotatedAt: _at, ...rest } = stored.connection;
    if (makesKey(api)) rest.ids = { webhooks: stored.connection.ids!.webhooks!.split(',')[0]! };
    await remember(ctx, stored, rest);
    ctx.say(
      `${wiring.provider}: the older key${ours.length > 2 ? 's are' : ' is'} removed; the functions stop accepting ${ours.length > 2 ? 'them' : 'it'} within secretsMaxAge`,
    );
    return;
  }
  if (ours.length > 1) {
    throw new WiringError(
      `a rotation of ${wiring.provider} is under way (${ours.length} keys held): finish it with \`livehooks rotate ${wiring.provider} --stage ${ctx.stage} --finish\``,
    );
  }
  const now = new Date();
  let ids: Record<string, string>;
  if (makesKey(api)) {
    // Mux takes no second secret on a webhook: a second webhook, at an address of its own.
    const made = await api.create(ctx, `${ctx.url}${ctx.url!.includes('?') ? '&' : '?'}webhook=${now.getTime()}`);
    await writeSecrets(ctx, 'keys', [made?.secret ?? '(the new signing secret)', ...ours]);
    await settle(ctx, settings.secretsMaxAge);
    if (made) await api.enable(ctx, made.id);
    ids = { webhooks: [made?.id ?? '(new)', ...(holds.ids.webhooks?.split(',') ?? [])].join(',') };
  } else {
    const secret = newSecret(wiring.format!);
    ctx.secrets.push(secret);
    await writeSecrets(ctx, wiring.secret, [secret, ...ours]);
    await settle(ctx, settings.secretsMaxAge);
    ids = { ...holds.ids, ...(await api.point(ctx, holds, targetOf(ctx, wiring, secret), secret)) };
  }
  const until = new Date(Date.now() + wiring.overlap.minutes * 60_000).toISOString();
  await remember(ctx, stored, { ...stored.connection, ids, rotatedAt: now.toISOString(), keepOlderUntil: until });
  ctx.say(
    `${wiring.vendor} now signs with the new key; the functions accept both. Keep the old one until ${until} ` +
      `(${wiring.overlap.minutes} min: ${wiring.overlap.why}), then: livehooks rotate ${wiring.provider} --stage ${ctx.stage} --finish`,
  );
}

/** Sends a signed sample (a stop of stream `livehooks-status`) to the function with our newest secret. */
async function probe(ctx: Context, kind: 'keys' | 'tokens' | undefined, ours: readonly string[]): Promise<Check> {
  if (!kind) return { check: 'function', ok: true, detail: 'no URL: nothing to probe' };
  const now = Math.floor(Date.now() / 1000);
  const secret = ours[0];
  try {
    const { response, text } = await sendSampleCallback(ctx.provider, ctx.url!, {
      spec: { kind: 'stop', stream: 'livehooks-status', sessionSec: now - (now % 3600), timeSec: now },
      key: kind === 'keys' ? secret : undefined,
      token: kind === 'tokens' ? secret : undefined,
    });
    let reason = '';
    try {
      reason = (JSON.parse(text) as { reason?: string }).reason ?? '';
    } catch {
      // not our JSON
    }
    return {
      check: 'function',
      ok: response.ok,
      detail: response.ok
        ? `answers: a signed sample was taken (HTTP ${response.status})`
        : `refused a signed sample: HTTP ${response.status} ${reason}`.trimEnd(),
    };
  } catch (error) {
    return {
      check: 'function',
      ok: false,
      detail: `did not answer at ${ctx.url} (${((error as Error).cause as Error | undefined) ?? (error as Error).message})`,
    };
  }
}

/** `status` of a vendor wired by API. */
export async function statusApi(ctx: Context, wiring: ApiWiring, settings: FlowSettings): Promise<Check[]> {
  const { stored, api, holds } = await prepare(ctx, wiring, settings);
  const ours = stored[wiring.secret];
  const checks: Check[] = [
    {
      check: 'parameters',
      ok: ours.length > 0,
      detail: `${ours.length} ${wiring.secret === 'keys' ? 'key' : 'token'}(s) in SSM`,
    },
  ];
  const { urlOk, keyOk } = wiredWell(ctx, wiring, holds, ours);
  checks.push({
    check: 'vendor url',
    ok: urlOk,
    detail:
      holds.urls.length === 0
        ? `${wiring.vendor} holds no callback for this`
        : urlOk
          ? `calls ${ctx.url}`
          : `calls ${holds.urls.map((url) => withoutToken(url)).join(', ')}, not ${ctx.url}`,
  });
  const key = heldKey(wiring, holds);
  checks.push({
    check: 'vendor key',
    ok: keyOk,
    detail:
      key === undefined
        ? keyOk
          ? `${wiring.vendor} never shows its key; livehooks made this one and holds its secret`
          : `${wiring.vendor} shows no key we made`
        : keyOk
          ? isSame(key, ours[0])
            ? 'equals our newest key'
            : 'equals an older key we still hold (a rotation is under way)'
          : 'differs from every key we hold',
  });
  if (holds.lastFailure && (!holds.lastSuccess || holds.lastFailure > holds.lastSuccess)) {
    checks.push({ check: 'deliveries', ok: false, detail: `last delivery failed at ${holds.lastFailure}` });
  } else if (holds.lastSuccess) {
    checks.push({ check: 'deliveries', ok: true, detail: `last delivered at ${holds.lastSuccess}` });
  }
  if (!makesKey(api) && api.deliveries) {
    const deliveries = await api.deliveries(ctx, holds);
    if (deliveries) {
      checks.push({
        check: 'deliveries',
        ok: deliveries.failed === 0,
        detail: `${deliveries.failed} of ${deliveries.total} failed in the last hour${deliveries.reasons.length ? `: ${deliveries.reasons.join('; ')}` : ''}`,
      });
    }
  }
  checks.push(await probe(ctx, wiring.secret, ours));
  return checks;
}

/** `connect` of a vendor wired by hand: the secret stored, the steps printed. */
export async function connectManual(ctx: Context, wiring: ManualWiring, settings: FlowSettings): Promise<void> {
  if (!wiring.secret) return ctx.say(wiring.steps('', ''));
  ctx.url = await settings.functionUrl();
  const stored = await readParameters(ctx);
  const ours = stored[wiring.secret];
  let secret = settings.givenSecret ?? ours[0] ?? wiring.make?.();
  if (settings.givenSecret) ctx.secrets.push(settings.givenSecret);
  if (secret && !ours.includes(secret)) {
    ctx.secrets.push(secret);
    await writeSecrets(ctx, wiring.secret, [secret, ...ours]);
  }
  const parameter = `/livehooks/${ctx.stage}/${wiring.provider}/${wiring.secret}`;
  const shown =
    secret && settings.reveal ? secret : `<the ${wiring.secret === 'keys' ? 'key' : 'token'} in ${parameter}>`;
  if (!secret) secret = '';
  if (settings.reveal) ctx.reveal(wiring.steps(ctx.url, shown));
  else ctx.say(wiring.steps(ctx.url, shown));
  if (!settings.reveal && secret) {
    ctx.say(
      `(read it with: aws ssm get-parameter --with-decryption --name ${parameter} --query Parameter.Value --output text; or run again with --reveal)`,
    );
  }
}

/** `status` of a vendor wired by hand: our parameters and the function. */
export async function statusManual(ctx: Context, wiring: ManualWiring, settings: FlowSettings): Promise<Check[]> {
  if (!wiring.secret) return [{ check: 'vendor', ok: true, detail: wiring.steps('', '') }];
  ctx.url = await settings.functionUrl();
  const stored = await readParameters(ctx);
  const ours = stored[wiring.secret];
  return [
    {
      check: 'parameters',
      ok: ours.length > 0,
      detail: `${ours.length} ${wiring.secret === 'keys' ? 'key' : 'token'}(s) in SSM`,
    },
    await probe(ctx, wiring.secret, ours),
  ];
}

/** Either kind of wiring, by provider. */
export function wiringOf(provider: string): { api?: ApiWiring; manual?: ManualWiring } {
  return { api: apiWirings[provider], manual: manualWirings[provider] };
}

export type { VendorMadeKeyApi };

/** `rotate` of a vendor wired by hand: a new secret beside the old, the steps to paste it, then `--finish`. */
export async function rotateManual(
  ctx: Context,
  wiring: ManualWiring,
  settings: FlowSettings,
  finish: boolean,
): Promise<void> {
  if (!wiring.secret || !wiring.make) {
    throw new WiringError(
      `${wiring.vendor}: ${wiring.overlap}${wiring.secret ? `; store the new one with \`livehooks connect ${wiring.provider} --stage ${ctx.stage} --secret-stdin\`` : ''}`,
    );
  }
  ctx.url = await settings.functionUrl();
  const stored = await readParameters(ctx);
  const ours = stored[wiring.secret];
  if (finish) {
    if (ours.length < 2) return ctx.say(`${wiring.provider} holds one secret: nothing to finish`);
    await writeSecrets(ctx, wiring.secret, [ours[0]!]);
    return ctx.say(`${wiring.provider}: the older secrets are removed`);
  }
  if (ours.length > 1)
    throw new WiringError(
      `a rotation of ${wiring.provider} is under way: finish it with \`livehooks rotate ${wiring.provider} --stage ${ctx.stage} --finish\``,
    );
  const secret = wiring.make();
  ctx.secrets.push(secret);
  await writeSecrets(ctx, wiring.secret, [secret, ...ours]);
  await settle(ctx, settings.secretsMaxAge);
  const parameter = `/livehooks/${ctx.stage}/${wiring.provider}/${wiring.secret}`;
  ctx.say(
    wiring.steps(
      ctx.url,
      settings.reveal
        ? secret
        : `<the newest ${wiring.secret === 'keys' ? 'key' : 'token'} in ${parameter} (the first of the list)>`,
    ),
  );
  ctx.say(
    `keep the old one ${wiring.overlap}, then: livehooks rotate ${wiring.provider} --stage ${ctx.stage} --finish`,
  );
}
