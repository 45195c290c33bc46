import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runWiring } from '../../tools/cli/connect/command';
import { startLocalServer, type LocalServer } from '../support/local-server';
import { startAlibaba, type AlibabaStandIn } from '../support/vendor-apis/alibaba';
import { startCloudflare, type CloudflareStandIn } from '../support/vendor-apis/cloudflare';
import { startHuawei, type HuaweiStandIn } from '../support/vendor-apis/huawei';
import { startJdcloud, type JdcloudStandIn } from '../support/vendor-apis/jdcloud';
import { startMux, type MuxStandIn } from '../support/vendor-apis/mux';
import { startVolcengine, type VolcengineStandIn } from '../support/vendor-apis/volcengine';
import { startTwitch, type TwitchStandIn } from '../support/vendor-apis/twitch';
import { startCloudFormation } from '../support/vendor-apis/cloudformation';
import { startSsm, type SsmStandIn } from '../support/vendor-apis/ssm';
import type { StandIn } from '../support/vendor-apis/stand-in';

/**
 * connect, status, rotate and rotate --finish of every vendor wired by API (Tencent's own
 * end-to-end test has its part), each against its stand-in, with `npm start`'s functions
 * reading their keys from the SSM stand-in: idempotent, --dry-run, one line per failure.
 */
const domain = 'push.example.com';
const stage = 'v';
const aws = {
  AWS_ACCESS_KEY_ID: 'AKIDVENDORSTEST',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-for-the-stand-in',
  AWS_REGION: 'ap-southeast-1',
};
const credentials = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIexample',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'alibaba-secret',
  HUAWEICLOUD_SDK_AK: 'HPUAexample',
  HUAWEICLOUD_SDK_SK: 'huawei-secret',
  HUAWEICLOUD_SDK_PROJECT_ID: '0123456789abcdef',
  JDCLOUD_ACCESS_KEY_ID: 'JDCexample',
  JDCLOUD_SECRET_ACCESS_KEY: 'jd-secret',
  VOLC_ACCESSKEY: 'AKLTexampleVolcengine',
  VOLC_SECRETKEY: 'volc-secret',
  MUX_TOKEN_ID: 'mux-token-id',
  MUX_TOKEN_SECRET: 'mux-token-secret',
  CLOUDFLARE_API_TOKEN: 'cloudflare-api-token',
  CLOUDFLARE_ACCOUNT_ID: 'account0123',
  TWITCH_CLIENT_ID: 'twitch-client-id',
  TWITCH_CLIENT_SECRET: 'twitch-client-secret',
};
let ssm: SsmStandIn;
let alibaba: AlibabaStandIn;
let huawei: HuaweiStandIn;
let jdcloud: JdcloudStandIn;
let volcengine: VolcengineStandIn;
let mux: MuxStandIn;
let cloudflare: CloudflareStandIn;
let twitch: TwitchStandIn;
let server: LocalServer;
let env: Record<string, string>;
const printed: string[] = [];
const saved = { ...process.env };
const repo = new URL('../..', import.meta.url).pathname;
/** The repository's changed and new files: the CLI writes none (its only store is SSM). */
const worktree = () =>
  execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo, encoding: 'utf8' });
let worktreeBefore: string;

/** Runs the CLI in this process, as `livehooks <args>` would; its exit status and output. */
async function livehooks(args: string[], extraEnv: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line) => void out.push(String(line)));
  const error = vi.spyOn(console, 'error').mockImplementation((line) => void err.push(String(line)));
  try {
    const code = await runWiring(args, { ...env, ...extraEnv });
    printed.push(...out, ...err);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const secretsIn = (provider: string, kind: 'keys' | 'tokens') =>
  (ssm.parameters.get(`/livehooks/${stage}/${provider}/${kind}`)?.Value ?? '').split(',').filter(Boolean);

interface VendorCase {
  name: string;
  args: string[];
  kind: 'keys' | 'tokens';
  standIn: () => StandIn & { throttle: number };
  /** The secret the vendor holds (read from the stand-in's state, secrets included). */
  held: () => string | undefined;
  /** The vendor-side state, to compare before and after. */
  state: () => unknown;
  /** A callback through the vendor, where the stand-in delivers: the functions' answers. */
  deliver?: (kind: 'start' | 'stop') => Promise<number[]>;
  badCredentials: [Record<string, string>, RegExp];
  missing: [Record<string, string>, RegExp];
  notFound?: [string[], RegExp];
}

const vendors: VendorCase[] = [
  {
    name: 'alibaba',
    args: ['--domain', domain],
    kind: 'keys',
    standIn: () => alibaba,
    held: () => alibaba.configs.get(domain)?.NotifyAuthKey,
    state: () => [...alibaba.configs],
    deliver: async (kind) => [await alibaba.deliver(domain, kind, 'ali-stream')],
    badCredentials: [
      { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong' },
      /SignatureDoesNotMatch.*check ALIBABA_CLOUD_ACCESS_KEY_ID/,
    ],
    missing: [
      { ALIBABA_CLOUD_ACCESS_KEY_ID: '', ALIBABA_CLOUD_CREDENTIALS_FILE: '/nonexistent' },
      /^livehooks: no Alibaba Cloud API credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID/,
    ],
    notFound: [['--domain', 'nowhere.example.com'], /InvalidDomain\.NotFound.*check --domain/],
  },
  {
    name: 'huawei',
    args: ['--domain', domain],
    kind: 'keys',
    standIn: () => huawei,
    held: () => huawei.templates.get(domain)?.auth_sign_key,
    state: () => [...huawei.templates],
    badCredentials: [{ HUAWEICLOUD_SDK_SK: 'wrong' }, /APIGW\.0301.*check HUAWEICLOUD_SDK_AK/],
    missing: [
      { HUAWEICLOUD_SDK_PROJECT_ID: '' },
      /^livehooks: no Huawei Cloud API credentials: set HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_PROJECT_ID/,
    ],
    notFound: [['--domain', 'nowhere.example.com'], /LIVE\.103011019.*check --domain/],
  },
  {
    name: 'jdcloud',
    args: ['--domain', domain],
    kind: 'tokens',
    standIn: () => jdcloud,
    held: () => {
      const url = jdcloud.notifyUrls.get(domain);
      return url ? (new URL(url).searchParams.get('token') ?? undefined) : undefined;
    },
    state: () => [...jdcloud.notifyUrls],
    badCredentials: [{ JDCLOUD_SECRET_ACCESS_KEY: 'wrong' }, /UNAUTHENTICATED.*check JDCLOUD_ACCESS_KEY_ID/],
    missing: [{ JDCLOUD_ACCESS_KEY_ID: '' }, /^livehooks: no JD Cloud API credentials: set JDCLOUD_ACCESS_KEY_ID/],
    notFound: [['--domain', 'nowhere.example.com'], /NOT_FOUND.*check --domain/],
  },
  {
    name: 'volcengine',
    args: ['--domain', domain],
    kind: 'keys',
    standIn: () => volcengine,
    // Both settings, the push's start and its end, hold the key, or neither counts.
    held: () => {
      const [start, end] = ['push', 'push_end'].map((type) => volcengine.settings.get(`${domain} ${type}`));
      return start?.AuthEnable && end?.AuthEnable && start.AuthKeyPrimary === end.AuthKeyPrimary
        ? start.AuthKeyPrimary
        : undefined;
    },
    state: () => [...volcengine.settings],
    deliver: (kind) => volcengine.deliver(domain, kind, 'volc-stream'),
    badCredentials: [{ VOLC_SECRETKEY: 'wrong' }, /SignatureDoesNotMatch.*check VOLC_ACCESSKEY and VOLC_SECRETKEY/],
    missing: [
      { VOLC_ACCESSKEY: '' },
      /^livehooks: no Volcengine API credentials: set VOLC_ACCESSKEY and VOLC_SECRETKEY/,
    ],
    notFound: [['--domain', 'nowhere.example.com'], /DomainNotExist.*check --domain/],
  },
  {
    name: 'mux',
    args: [],
    kind: 'keys',
    standIn: () => mux,
    held: () => mux.webhooks.find((webhook) => webhook.enabled)?.signing_secret,
    state: () => mux.webhooks.map((webhook) => ({ ...webhook })),
    deliver: (kind) => mux.deliver(kind, 'mux-stream'),
    badCredentials: [{ MUX_TOKEN_SECRET: 'wrong' }, /HTTP 401.*check MUX_TOKEN_ID and MUX_TOKEN_SECRET/],
    missing: [{ MUX_TOKEN_ID: '' }, /^livehooks: no Mux API credentials: set MUX_TOKEN_ID and MUX_TOKEN_SECRET/],
  },
  {
    name: 'cloudflare',
    args: ['--input', 'cf-input'],
    kind: 'tokens',
    standIn: () => cloudflare,
    held: () => [...cloudflare.destinations.values()][0]?.secret,
    state: () => [
      [...cloudflare.destinations.values()].map((d) => ({ ...d, last_success: null, last_failure: null })),
      [...cloudflare.policies],
    ],
    deliver: (kind) => cloudflare.deliver(kind, 'cf-input'),
    badCredentials: [{ CLOUDFLARE_API_TOKEN: 'wrong' }, /10000.*check CLOUDFLARE_API_TOKEN/],
    missing: [{ CLOUDFLARE_API_TOKEN: '' }, /^livehooks: no Cloudflare API credentials: set CLOUDFLARE_API_TOKEN/],
  },
  {
    name: 'twitch',
    args: ['--broadcaster', '1337'],
    kind: 'keys',
    standIn: () => twitch,
    held: () => {
      const enabled = twitch.subscriptions.filter((subscription) => subscription.status === 'enabled');
      // Both subscriptions, verified through the function's answer to the challenge, under one secret.
      return enabled.length === 2 && enabled[0]!.secret === enabled[1]!.secret ? enabled[0]!.secret : undefined;
    },
    state: () => twitch.subscriptions.map((subscription) => ({ ...subscription })),
    deliver: (kind) => twitch.deliver(kind, '1337'),
    badCredentials: [{ TWITCH_CLIENT_SECRET: 'wrong' }, /invalid client secret.*check TWITCH_CLIENT_ID/],
    missing: [
      { TWITCH_CLIENT_ID: '' },
      /^livehooks: no Twitch API credentials: set TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET/,
    ],
  },
];

beforeAll(async () => {
  worktreeBefore = worktree();
  ssm = await startSsm(aws.AWS_ACCESS_KEY_ID, aws.AWS_SECRET_ACCESS_KEY);
  alibaba = await startAlibaba(credentials.ALIBABA_CLOUD_ACCESS_KEY_ID, credentials.ALIBABA_CLOUD_ACCESS_KEY_SECRET, [
    domain,
  ]);
  huawei = await startHuawei(
    credentials.HUAWEICLOUD_SDK_AK,
    credentials.HUAWEICLOUD_SDK_SK,
    credentials.HUAWEICLOUD_SDK_PROJECT_ID,
    [domain],
  );
  jdcloud = await startJdcloud(credentials.JDCLOUD_ACCESS_KEY_ID, credentials.JDCLOUD_SECRET_ACCESS_KEY, [domain]);
  volcengine = await startVolcengine(credentials.VOLC_ACCESSKEY, credentials.VOLC_SECRETKEY, [domain]);
  mux = await startMux(credentials.MUX_TOKEN_ID, credentials.MUX_TOKEN_SECRET);
  cloudflare = await startCloudflare(credentials.CLOUDFLARE_API_TOKEN, credentials.CLOUDFLARE_ACCOUNT_ID);
  twitch = await startTwitch(credentials.TWITCH_CLIENT_ID, credentials.TWITCH_CLIENT_SECRET);
  const endpoints = {
    AWS_ENDPOINT_URL_SSM: ssm.url,
    LIVEHOOKS_ALIBABA_API_URL: alibaba.url,
    LIVEHOOKS_HUAWEI_API_URL: huawei.url,
    LIVEHOOKS_JDCLOUD_API_URL: jdcloud.url,
    LIVEHOOKS_VOLCENGINE_API_URL: volcengine.url,
    LIVEHOOKS_MUX_API_URL: mux.url,
    LIVEHOOKS_CLOUDFLARE_API_URL: cloudflare.url,
    LIVEHOOKS_TWITCH_AUTH_URL: twitch.url,
    LIVEHOOKS_TWITCH_API_URL: twitch.url,
  };
  env = { ...aws, ...credentials, ...endpoints };
  // The AWS SDK reads its settings from the process's environment.
  Object.assign(process.env, aws, { AWS_ENDPOINT_URL_SSM: ssm.url });
  const functions: Record<string, string> = { LIVEHOOKS_SECRETS_MAX_AGE: '0' };
  for (const { name } of vendors) {
    const prefix = `LIVEHOOKS_${name.toUpperCase()}_`;
    functions[`${prefix}PARAMETERS_PATH`] = `/livehooks/${stage}/${name}/`;
    functions[`${prefix}AUTH`] = 'on';
  }
  server = await startLocalServer({ ...aws, AWS_ENDPOINT_URL_SSM: ssm.url, ...functions });
}, 90_000);

afterAll(async () => {
  server?.stop();
  process.env = saved;
  await Promise.all([ssm, alibaba, huawei, jdcloud, volcengine, mux, cloudflare, twitch].map((standIn) => standIn?.close()));
});

describe.each(vendors)('livehooks connect, status and rotate: $name', (vendor) => {
  const common = () => ['--stage', stage, '--url', `${server.baseUrl}/${vendor.name}`, '--secrets-max-age', '0'];
  const run = (command: string, ...args: string[]) => livehooks([command, vendor.name, ...common(), ...args]);

  it('--dry-run shows every change, secrets masked, and makes none', async () => {
    const result = await run('connect', ...vendor.args, '--dry-run');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/would call /);
    expect(result.stdout).not.toMatch(/^call /m);
    expect(vendor.held()).toBeUndefined();
    expect(secretsIn(vendor.name, vendor.kind)).toEqual([]);
  }, 60_000);

  it('connects: the vendor holds the secret the functions read, and the function takes a signed sample', async () => {
    const result = await run('connect', ...vendor.args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const ours = secretsIn(vendor.name, vendor.kind);
    expect(ours).toHaveLength(1);
    expect(vendor.held()).toBe(ours[0]);
    expect(ssm.parameters.get(`/livehooks/${stage}/${vendor.name}/${vendor.kind}`)!.Type).toBe('SecureString');
    expect(result.stdout).toMatch(/function\s+ok\s+answers: a signed sample was taken/);
    if (vendor.deliver) expect(await vendor.deliver('start')).toEqual([200]);
  }, 60_000);

  it('connect again changes nothing', async () => {
    const state = JSON.stringify(vendor.state());
    const versions = JSON.stringify([...ssm.parameters]);
    const result = await run('connect', ...vendor.args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/nothing to change/);
    expect(JSON.stringify(vendor.state())).toBe(state);
    expect(JSON.stringify([...ssm.parameters])).toBe(versions);
  }, 60_000);

  it('status: exit 0 with every check well, as JSON', async () => {
    const result = await livehooks(['status', vendor.name, ...common(), '--json']);
    expect(result.code).toBe(0);
    const [report] = JSON.parse(result.stdout);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c: { check: string }) => c.check)).toEqual(
      expect.arrayContaining(['parameters', 'vendor url', 'vendor key', 'function']),
    );
  }, 60_000);

  it('rotates with no moment unheld: both secrets stored before the vendor switches, callbacks under both taken', async () => {
    const old = secretsIn(vendor.name, vendor.kind)[0];
    const dry = await run('rotate', '--dry-run');
    expect(dry.code).toBe(0);
    expect(secretsIn(vendor.name, vendor.kind)).toEqual([old]);
    const result = await run('rotate');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const ours = secretsIn(vendor.name, vendor.kind);
    expect(ours).toEqual([expect.any(String), old]);
    expect(vendor.held()).toBe(ours[0]);
    expect(result.stdout).toMatch(/keep the old one until/i);
    if (vendor.deliver) for (const status of await vendor.deliver('stop')) expect(status).toBe(200);
    expect((await livehooks(['status', vendor.name, ...common()])).code).toBe(0);
  }, 60_000);

  it('rotate --finish keeps the old secret through the overlap unless forced, then drops it', async () => {
    const early = await run('rotate', '--finish');
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/^livehooks: keep the older key until .*--force$/);
    const newest = secretsIn(vendor.name, vendor.kind)[0];
    const result = await run('rotate', '--finish', '--force');
    expect(result.code).toBe(0);
    expect(secretsIn(vendor.name, vendor.kind)).toEqual([newest]);
    expect(vendor.held()).toBe(newest);
    if (vendor.deliver) expect(await vendor.deliver('start')).toEqual([200]);
  }, 60_000);

  it('every failure is one line with its fix', async () => {
    // More refusals than any client retries (Mux's SDK retries once), then none.
    vendor.standIn().throttle = 3;
    const throttled = await livehooks(['status', vendor.name, ...common()]);
    vendor.standIn().throttle = 0;
    expect(throttled.code).toBe(1);
    expect(throttled.stderr).toMatch(/throttled the call; run the command again in a minute$/);
    const [badEnv, badPattern] = vendor.badCredentials;
    const before = vendor.standIn().badSignatures.length;
    const refused = await livehooks(['status', vendor.name, ...common()], badEnv);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(badPattern);
    expect(vendor.standIn().badSignatures.length).toBe(before + 1);
    vendor.standIn().badSignatures.length = before; // that one was meant to fail
    const [missingEnv, missingPattern] = vendor.missing;
    const missing = await livehooks(['status', vendor.name, ...common()], missingEnv);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(missingPattern);
    if (vendor.notFound) {
      const [args, pattern] = vendor.notFound;
      const notFound = await run('connect', ...args);
      expect(notFound.code).toBe(1);
      expect(notFound.stderr).toMatch(pattern);
    }
    for (const result of [throttled, refused, missing]) expect(result.stderr.split('\n')).toHaveLength(1);
  }, 60_000);

  it('signed every call right (checked by the stand-in), and printed no secret', () => {
    expect(vendor.standIn().badSignatures).toEqual([]);
    expect(ssm.badSignatures).toEqual([]);
    const everHeld = [...ssm.parameters.values()].flatMap((p) => p.Value.split(','));
    for (const secret of everHeld.filter((s) => s.length >= 16))
      for (const line of printed) expect(line).not.toContain(secret);
  });
});

describe('JD Cloud and an http:// only callback URL', () => {
  it('says to use a relay when JD refuses https, and --relay wires it through one', async () => {
    jdcloud.httpOnly = true;
    jdcloud.notifyUrls.clear();
    try {
      const https = await livehooks([
        'connect',
        'jdcloud',
        '--stage',
        'relay',
        '--url',
        'https://abc.lambda-url.ap-southeast-1.on.aws/',
        '--domain',
        domain,
        '--secrets-max-age',
        '0',
      ]);
      expect(https.code).toBe(1);
      expect(https.stderr).toMatch(/INVALID_ARGUMENT.*--relay http:\/\//);
      const relayed = await livehooks([
        'connect',
        'jdcloud',
        '--stage',
        'relay',
        '--url',
        `${server.baseUrl}/jdcloud`,
        '--domain',
        domain,
        '--relay',
        'http://relay.example.com/jdcloud',
        '--secrets-max-age',
        '0',
      ]);
      expect(jdcloud.notifyUrls.get(domain)).toMatch(/^http:\/\/relay\.example\.com\/jdcloud\?token=[A-Za-z0-9]{40}$/);
      expect(relayed.stdout).toMatch(/vendor url\s+ok/);
    } finally {
      jdcloud.httpOnly = false;
    }
  }, 60_000);
});

describe('vendors wired by hand', () => {
  const common = (name: string) => ['--stage', stage, '--url', `${server.baseUrl}/${name}`, '--secrets-max-age', '0'];

  it('connect ome stores a new key and prints the Server.xml block, the key only with --reveal; again changes nothing', async () => {
    const first = await livehooks(['connect', 'ome', ...common('ome')]);
    expect(first.code).toBe(0);
    const [key] = secretsIn('ome', 'keys');
    expect(key).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(first.stdout).toContain(`<ControlServerUrl>${server.baseUrl}/ome</ControlServerUrl>`);
    expect(first.stdout).toContain(`<SecretKey><the key in /livehooks/${stage}/ome/keys></SecretKey>`);
    expect(first.stdout).not.toContain(key);
    const versions = JSON.stringify([...ssm.parameters]);
    const before = printed.length;
    const shown = await livehooks(['connect', 'ome', ...common('ome'), '--reveal']);
    expect(shown.stdout).toContain(`<SecretKey>${key}</SecretKey>`);
    printed.length = before; // asked for: not a leak
    expect(JSON.stringify([...ssm.parameters])).toBe(versions);
  }, 60_000);

  it('connect nginx-rtmp puts the token in the URLs; status: the function takes a signed sample', async () => {
    const connected = await livehooks(['connect', 'nginx-rtmp', ...common('nginx-rtmp')]);
    expect(connected.code).toBe(0);
    expect(connected.stdout).toContain(
      `on_publish      ${server.baseUrl}/nginx-rtmp?token=<the token in /livehooks/${stage}/nginx-rtmp/tokens>;`,
    );
    // npm start here reads no nginx-rtmp parameters: checks are off there, so the sample is taken.
    const status = await livehooks(['status', 'nginx-rtmp', ...common('nginx-rtmp'), '--json']);
    const [report] = JSON.parse(status.stdout);
    expect(report.checks).toEqual([
      { check: 'parameters', ok: true, detail: '1 token(s) in SSM' },
      expect.objectContaining({ check: 'function', ok: true }),
    ]);
    expect(status.code).toBe(0);
  }, 60_000);

  it('rotate ome adds a key beside the old one, --finish drops the old', async () => {
    const [old] = secretsIn('ome', 'keys');
    const rotated = await livehooks(['rotate', 'ome', ...common('ome')]);
    expect(rotated.code).toBe(0);
    expect(secretsIn('ome', 'keys')).toEqual([expect.stringMatching(/^[A-Za-z0-9]{40}$/), old]);
    expect(rotated.stdout).toMatch(/keep the old one until every push admitted under the old key has closed/);
    const finished = await livehooks(['rotate', 'ome', ...common('ome'), '--finish']);
    expect(finished.code).toBe(0);
    expect(secretsIn('ome', 'keys')).toHaveLength(1);
    expect(secretsIn('ome', 'keys')[0]).not.toBe(old);
  }, 60_000);

  it('connect ivs says there is nothing to paste, and stores nothing', async () => {
    const result = await livehooks(['connect', 'ivs', '--stage', stage]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Nothing to paste/);
    expect([...ssm.parameters.keys()].some((name) => name.includes('/ivs/'))).toBe(false);
  }, 60_000);

  it('usage errors exit 2 in one line', async () => {
    for (const args of [
      ['connect'],
      ['connect', 'nosuch', '--stage', stage],
      ['connect', 'ome'],
      ['status', '--stage', stage, '--bogus'],
    ]) {
      const result = await livehooks(args);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')).toHaveLength(1);
    }
  }, 60_000);

  it('printed no stored secret, and wrote no file', () => {
    expect(worktree()).toBe(worktreeBefore);
    const everHeld = [...ssm.parameters.values()].flatMap((p) => (p.Type === 'SecureString' ? p.Value.split(',') : []));
    for (const secret of everHeld) for (const line of printed) expect(line).not.toContain(secret);
  });
});

describe("the stack's outputs", () => {
  it('without --url, the Function URL is the output of stack livehooks-<stage>; a missing stack is named in one line', async () => {
    const stacks = await startCloudFormation(aws.AWS_ACCESS_KEY_ID, {
      'livehooks-v': {
        AlibabaLambdaFunctionUrl: `${server.baseUrl}/alibaba`,
        NginxDashrtmpLambdaFunctionUrl: `${server.baseUrl}/nginx-rtmp`,
      },
    });
    process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = stacks.url;
    try {
      const found = await livehooks(['connect', 'nginx-rtmp', '--stage', stage]);
      expect(found.stderr).toBe('');
      expect(found.stdout).toContain(`on_publish      ${server.baseUrl}/nginx-rtmp?token=`);
      expect(found.code).toBe(0);
      const missing = await livehooks(['connect', 'nginx-rtmp', '--stage', 'nostage']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe(
        'livehooks: no stack livehooks-nostage in this region: deploy it (npx serverless deploy --stage nostage), set AWS_REGION to its region, or pass --url',
      );
      expect(stacks.badSignatures).toEqual([]);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_CLOUDFORMATION;
      await stacks.close();
    }
  }, 60_000);
});

describe("the vendor's own delivery log", () => {
  it('status counts the callbacks Alibaba failed to deliver, says why, and exits 1', async () => {
    const config = alibaba.configs.get(domain)!;
    const key = config.NotifyAuthKey;
    config.NotifyAuthKey = 'A'.repeat(32); // a key the functions do not hold: refused
    try {
      expect(await alibaba.deliver(domain, 'start', 'refused-stream')).toBe(401);
    } finally {
      config.NotifyAuthKey = key;
    }
    const result = await livehooks([
      'status',
      'alibaba',
      '--stage',
      stage,
      '--url',
      `${server.baseUrl}/alibaba`,
      '--json',
    ]);
    expect(result.code).toBe(1);
    const [report] = JSON.parse(result.stdout);
    expect(report.checks).toContainEqual({
      check: 'deliveries',
      ok: false,
      detail: expect.stringMatching(/^1 of \d+ failed in the last hour: 1 × 401 .*bad_signature/),
    });
  }, 60_000);
});
