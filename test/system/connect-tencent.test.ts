import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../support/local-server';
import { startSsm, type SsmStandIn } from '../support/vendor-apis/ssm';
import { startTencent, type TencentStandIn } from '../support/vendor-apis/tencent';
import { printed, runCli } from '../support/vendor-apis/run-cli';

/**
 * End to end: `livehooks connect tencent` against the Tencent stand-in and the SSM
 * stand-in, then the stand-in delivers signed callbacks to `npm start`, whose tencent
 * function reads its keys from the same SSM stand-in (as a deployed function does), through
 * a rotation and its finish, none refused.
 */
const domain = 'push.example.com';
const aws = {
  AWS_ACCESS_KEY_ID: 'AKIDLIVEHOOKSTEST',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-for-the-stand-in',
  AWS_REGION: 'ap-southeast-1',
};
const tencentCredentials = {
  TENCENTCLOUD_SECRET_ID: 'AKIDtencenttest',
  TENCENTCLOUD_SECRET_KEY: 'tencent-secret-key-for-the-stand-in',
};
let ssm: SsmStandIn;
let tencent: TencentStandIn;
let server: LocalServer;
let env: Record<string, string>;
let url: string;

const keys = () => (ssm.parameters.get('/livehooks/e2e/tencent/keys')?.Value ?? '').split(',').filter(Boolean);
const livehooks = (...args: string[]) =>
  runCli([...args, '--stage', 'e2e', '--url', url, '--secrets-max-age', '0'], env);
const actions = () => tencent.seen.map((request) => request.headers['x-tc-action']);

beforeAll(async () => {
  ssm = await startSsm(aws.AWS_ACCESS_KEY_ID, aws.AWS_SECRET_ACCESS_KEY);
  tencent = await startTencent(tencentCredentials.TENCENTCLOUD_SECRET_ID, tencentCredentials.TENCENTCLOUD_SECRET_KEY, [
    domain,
  ]);
  env = { ...aws, ...tencentCredentials, AWS_ENDPOINT_URL_SSM: ssm.url, LIVEHOOKS_TENCENT_API_URL: tencent.url };
  server = await startLocalServer({
    ...env,
    LIVEHOOKS_TENCENT_PARAMETERS_PATH: '/livehooks/e2e/tencent/',
    LIVEHOOKS_TENCENT_AUTH: 'on',
    // Read SSM on every callback: the deployed default is 300 s, which `rotate` waits out.
    LIVEHOOKS_SECRETS_MAX_AGE: '0',
  });
  url = `${server.baseUrl}/tencent`;
}, 90_000);

afterAll(async () => {
  server?.stop();
  await Promise.all([ssm?.close(), tencent?.close()]);
});

describe('livehooks connect tencent, end to end', () => {
  it('refuses without --domain, with exit status 2 and one line', async () => {
    const run = await livehooks('connect', 'tencent');
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'livehooks: tencent needs --domain (the push domain the rule binds)',
    ]);
  }, 60_000);

  it('names the unknown domain in one line', async () => {
    const run = await livehooks('connect', 'tencent', '--domain', 'nowhere.example.com');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/ResourceNotFound\.DomainNotExist.*check --domain/);
    expect(tencent.templates.size).toBe(0);
  }, 60_000);

  it('--dry-run prints the calls, secrets masked, and changes nothing', async () => {
    ssm.parameters.clear();
    const run = await livehooks('connect', 'tencent', '--domain', domain, '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/would call SSM PutParameter .*"Value":"\*\*\*\*"/);
    expect(run.stdout).toMatch(/would call Tencent CreateLiveCallbackTemplate .*"CallbackKey":"\*\*\*\*"/);
    expect(run.stdout).toMatch(/would call Tencent CreateLiveCallbackRule/);
    expect(ssm.parameters.size).toBe(0);
    expect(tencent.templates.size).toBe(0);
  }, 60_000);

  it('connects: the key in SSM is the template key, the rule binds the domain, and the function takes a signed sample', async () => {
    const run = await livehooks('connect', 'tencent', '--domain', domain);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(keys()).toHaveLength(1);
    expect(ssm.parameters.get('/livehooks/e2e/tencent/keys')!.Type).toBe('SecureString');
    const [template] = [...tencent.templates.values()];
    expect(template!.CallbackKey).toBe(keys()[0]);
    expect(template!.CallbackKey).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(template!.StreamBeginNotifyUrl).toBe(url);
    expect(tencent.rules).toEqual([{ DomainName: domain, AppName: '', TemplateId: template!.TemplateId }]);
    expect(run.stdout).toMatch(/tencent\s+function\s+ok\s+answers: a signed sample was taken/);
    expect(run.stdout).toMatch(/vendor key\s+ok\s+equals our newest key/);
  }, 60_000);

  it('the stand-in delivers a signed start, and npm start records it', async () => {
    const delivered = await tencent.deliver(domain, 'start', 'e2e-stream');
    expect(delivered.status).toBe(200);
    const streams = await server.livehooks('streams', '--json');
    expect(JSON.parse(streams.stdout)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ streamKey: expect.stringContaining('e2e-stream'), live: true }),
      ]),
    );
  }, 60_000);

  it('connect again changes nothing', async () => {
    const before = actions().length;
    const versions = [...ssm.parameters.values()].map((p) => p.Version);
    const run = await livehooks('connect', 'tencent', '--domain', domain);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/nothing to change/);
    const calls = actions().slice(before);
    expect(calls.filter((action) => !/^Describe/.test(action ?? ''))).toEqual([]);
    expect([...ssm.parameters.values()].map((p) => p.Version)).toEqual(versions);
  }, 60_000);

  it('status reads back the vendor and the function: exit 0, JSON on request', async () => {
    const run = await livehooks('status', 'tencent', '--json', '--stream', 'e2e-stream');
    expect(run.code).toBe(0);
    const [result] = JSON.parse(run.stdout);
    expect(result.ok).toBe(true);
    expect(result.checks.map((c: { check: string }) => c.check)).toEqual([
      'parameters',
      'vendor url',
      'vendor key',
      'deliveries',
      'function',
    ]);
  }, 60_000);

  it('rotates: both keys held, the vendor switched, callbacks under the old key (a retry) and the new one both taken', async () => {
    const old = keys()[0]!;
    const retry = await tencent.deliver(domain, 'start', 'rotated-stream');
    expect(retry.status).toBe(200);
    const run = await livehooks('rotate', 'tencent');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/keep the old one until .*--finish/i);
    expect(keys()).toHaveLength(2);
    expect(keys()[1]).toBe(old);
    const [template] = [...tencent.templates.values()];
    expect(template!.CallbackKey).toBe(keys()[0]);
    // Tencent retries the start signed with the old key, then sends the stop with the new one.
    expect((await tencent.redeliverLast('rotated-stream')).status).toBe(200);
    expect((await tencent.deliver(domain, 'stop', 'rotated-stream')).status).toBe(200);
    const status = await livehooks('status', 'tencent');
    expect(status.code).toBe(0);
  }, 90_000);

  it('rotate --finish waits out the overlap unless forced, then drops the old key; callbacks still taken', async () => {
    const early = await livehooks('rotate', 'tencent', '--finish');
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/keep the older key until .*--force/);
    const run = await livehooks('rotate', 'tencent', '--finish', '--force');
    expect(run.code).toBe(0);
    expect(keys()).toHaveLength(1);
    expect(keys()[0]).toBe([...tencent.templates.values()][0]!.CallbackKey);
    expect((await tencent.deliver(domain, 'start', 'after-finish')).status).toBe(200);
  }, 90_000);

  it('says what to fix when Tencent throttles or refuses the credentials', async () => {
    tencent.throttle = 1;
    const throttled = await livehooks('status', 'tencent');
    expect(throttled.code).toBe(1);
    expect(throttled.stderr).toMatch(/RequestLimitExceeded.*run the command again in a minute/);
    const refused = await runCli(['status', 'tencent', '--stage', 'e2e', '--url', url], {
      ...env,
      TENCENTCLOUD_SECRET_KEY: 'wrong',
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/AuthFailure.*check TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/);
    tencent.badSignatures.length = 0; // that one was meant to fail
    const missing = await runCli(['status', 'tencent', '--stage', 'e2e', '--url', url], {
      ...env,
      TENCENTCLOUD_SECRET_ID: '',
    });
    expect(missing.stderr.trim()).toMatch(/^livehooks: no Tencent Cloud API credentials: set TENCENTCLOUD_SECRET_ID/);
  }, 90_000);

  it('every request to the stand-ins was signed right, and no key ever reached the output', () => {
    expect(tencent.badSignatures).toEqual([]);
    expect(ssm.badSignatures).toEqual([]);
    const secrets = [...tencent.templates.values()].map((t) => t.CallbackKey!).concat(keys());
    const everKeys = new Set(
      secrets.concat(tencent.seen.flatMap((r) => (JSON.parse(r.body || '{}').CallbackKey ?? []) as string[])),
    );
    for (const secret of everKeys) for (const output of printed) expect(output).not.toContain(secret);
  });
});
