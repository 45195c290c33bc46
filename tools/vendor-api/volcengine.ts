import { change, WiringError, type Context } from '../cli/connect/context';
import { alphanumeric } from '../cli/connect/secret';
import { missingCredentials, vendorFailure, type ErrorHints } from '../../shared/vendor-api/errors';
import { sendJson } from '../../shared/vendor-api/http';
import { signVolcengine } from '../../shared/vendor-api/volcengine-signer';
import { sameUrl, type ApiWiring, type VendorApi, type VendorHolds } from './wiring';

const version = '2023-01-01';
/** The API's host by region: Volcengine's (mainland China) and BytePlus's (international). */
const hosts: Record<string, string> = {
  'cn-north-1': 'live.volcengineapi.com',
  'ap-singapore-1': 'open.byteplusapi.com',
};
/** The callback settings livehooks needs: the push's start and its end. */
const messageTypes = ['push', 'push_end'] as const;

const hints: ErrorHints = {
  credentials: 'VOLC_ACCESSKEY and VOLC_SECRETKEY',
  permission: 'VideoLiveFullAccess (live:UpdateCallback and live:DescribeCallback)',
  refused: /^InvalidAccessKey|^SignatureDoesNotMatch|^InvalidCredential|^AccessDenied|^InvalidTimestamp/,
  throttled: /^FlowLimitExceeded|^RequestLimitExceeded|^Throttling/,
  known: [
    [/NotExist|NotFound/, 'no such push domain in this account: check --domain (and --region)'],
    [/^InvalidParameter|^MissingParameter/, 'a value was refused: check --domain'],
  ],
};

/** A callback setting as DescribeCallback returns it. */
interface CallbackSetting {
  MessageType: string;
  AuthEnable?: boolean;
  AuthKeyPrimary?: string;
  CallbackDetailList?: { CallbackType: string; URL: string }[];
}

function client(ctx: Context) {
  const { VOLC_ACCESSKEY: accessKeyId, VOLC_SECRETKEY: secretAccessKey } = ctx.env;
  if (!accessKeyId || !secretAccessKey) {
    throw missingCredentials('Volcengine', hints.credentials, hints.permission);
  }
  const region = ctx.options.region ?? 'cn-north-1';
  const host = hosts[region];
  if (!host) throw new WiringError(`--region ${region}: one of ${Object.keys(hosts).join(', ')}`, 2);
  const base = ctx.env.LIVEHOOKS_VOLCENGINE_API_URL || `https://${host}`;
  return async (action: string, params: object) => {
    const url = new URL(`/?Action=${action}&Version=${version}`, base);
    const body = JSON.stringify(params);
    const credentials = { accessKeyId, secretAccessKey };
    const headers = signVolcengine({ method: 'POST', url, body }, credentials, { region, service: 'live' }, new Date());
    const answer = await sendJson<{
      ResponseMetadata?: { Error?: { Code?: string; Message?: string } };
      Result?: { CallbackList?: CallbackSetting[] };
    }>('Volcengine', url, { method: 'POST', headers, body });
    const error = answer.body?.ResponseMetadata?.Error;
    if (answer.status >= 400 || error) {
      throw vendorFailure('Volcengine', action, error?.Code ?? `HTTP ${answer.status}`, error?.Message ?? '', hints);
    }
    return answer.body?.Result;
  };
}

function api(ctx: Context): VendorApi {
  const call = client(ctx);
  const Domain = ctx.options.domain!;
  const settingsOf = async () => {
    const held = await call('DescribeCallback', { Domain });
    return new Map((held?.CallbackList ?? []).map((setting) => [setting.MessageType, setting]));
  };
  /** The URL a setting calls: ours when it is among them, else its first (empty when it has none). */
  const urlOf = (setting: CallbackSetting | undefined) => {
    const urls = (setting?.CallbackDetailList ?? []).map((detail) => detail.URL);
    return urls.find((url) => sameUrl(url, ctx.url!)) ?? urls[0] ?? '';
  };
  return {
    async read(): Promise<VendorHolds> {
      const settings = await settingsOf();
      if (!messageTypes.some((type) => settings.has(type))) return { urls: [], ids: {} };
      const keys = messageTypes.map((type) => {
        const setting = settings.get(type);
        return setting?.AuthEnable ? (setting.AuthKeyPrimary ?? '') : '';
      });
      // One key for both settings, or none that can be ours.
      return {
        urls: messageTypes.map((type) => urlOf(settings.get(type))),
        key: keys[0] === keys[1] ? keys[0] : '',
        ids: {},
      };
    },
    async point(ctx, _holds, url, key) {
      const settings = await settingsOf();
      for (const MessageType of messageTypes) {
        // UpdateCallback replaces the setting whole: the other receivers on its list are kept.
        const others = (settings.get(MessageType)?.CallbackDetailList ?? []).filter((d) => !sameUrl(d.URL, url));
        if (others.length > 0) {
          ctx.say(
            `${MessageType} also calls ${others.map((d) => d.URL).join(', ')}: it signs them with the new key too`,
          );
        }
        const params = {
          MessageType,
          Domain,
          AuthEnable: true,
          AuthKeyPrimary: key,
          CallbackDetailList: [{ CallbackType: 'http', URL: url }, ...others],
        };
        await change(ctx, `Volcengine UpdateCallback`, params, () => call('UpdateCallback', params));
      }
      return {};
    },
  };
}

/**
 * Volcengine Live (and BytePlus MediaLive with `--region ap-singapore-1`): the push domain's
 * push start and push end callback settings, both to the function, signed with one key.
 */
export const volcengineWiring: ApiWiring = {
  provider: 'volcengine',
  vendor: 'Volcengine',
  secret: 'keys',
  format: { alphabet: alphanumeric, length: 32 },
  overlap: {
    minutes: 15,
    why: 'a callback signed with the older key carries a t good for 10 minutes, and Volcengine retries for 10',
  },
  required: { domain: 'the push domain' },
  api,
};
