import { alphanumeric, newSecret, type SecretFormat } from './secret';

/** A vendor wired by hand: where its secret goes, how it is made, and what to paste where. */
export interface ManualWiring {
  provider: string;
  vendor: string;
  /** Where the function reads the secret; none for IVS. */
  secret?: 'keys' | 'tokens';
  /** How livehooks makes the secret; absent when the vendor's console makes it (Agora). */
  make?: () => string;
  /** The steps, with the URL and the secret (or a placeholder) filled in. */
  steps(url: string, secret: string): string;
  /** How long to keep the old secret when rotating by hand. */
  overlap: string;
}

const format: SecretFormat = { alphabet: alphanumeric, length: 40 };
const withToken = (url: string, token: string) => `${url}${url.includes('?') ? '&' : '?'}token=${token}`;

/** The vendors no API can point at a URL: config files (self-hosted) or a console. */
export const manualWirings: Record<string, ManualWiring> = {
  'nginx-rtmp': {
    provider: 'nginx-rtmp',
    vendor: 'nginx-rtmp',
    secret: 'tokens',
    make: () => newSecret(format),
    steps: (url, token) =>
      [
        'In nginx.conf, inside rtmp { server { application <app> { ... } } } (docs/deploy.md#nginx-rtmp has the http relay nginx-rtmp needs for https):',
        `    on_publish      ${withToken(url, token)};`,
        `    on_publish_done ${withToken(url, token)};`,
        'then: nginx -s reload',
      ].join('\n'),
    overlap:
      'until every push that began under the old token has ended (nginx-rtmp calls on_publish_done with the URL it started with)',
  },
  srs: {
    provider: 'srs',
    vendor: 'SRS',
    secret: 'tokens',
    make: () => newSecret(format),
    steps: (url, token) =>
      [
        'In the vhost of srs.conf:',
        '    http_hooks {',
        '        enabled         on;',
        `        on_publish      ${withToken(url, token)};`,
        `        on_unpublish    ${withToken(url, token)};`,
        '    }',
        'then reload SRS: killall -1 srs (or /etc/init.d/srs reload)',
      ].join('\n'),
    overlap: 'until every push that began under the old token has ended',
  },
  ome: {
    provider: 'ome',
    vendor: 'OvenMediaEngine',
    secret: 'keys',
    make: () => newSecret(format),
    steps: (url, key) =>
      [
        'In Server.xml, in each <VirtualHost>:',
        '    <AdmissionWebhooks>',
        `        <ControlServerUrl>${url}</ControlServerUrl>`,
        `        <SecretKey>${key}</SecretKey>`,
        '        <Timeout>5000</Timeout>',
        '        <Enables><Providers>rtmp,webrtc,srt</Providers></Enables>',
        '    </AdmissionWebhooks>',
        'then restart OvenMediaEngine',
      ].join('\n'),
    overlap: 'until every push admitted under the old key has closed',
  },
  livekit: {
    provider: 'livekit',
    vendor: 'LiveKit',
    secret: 'keys',
    make: () =>
      `LH${newSecret({ alphabet: alphanumeric, length: 12 })}:${newSecret({ alphabet: alphanumeric, length: 43 })}`,
    steps: (url, pair) => {
      const [apiKey, apiSecret] = pair.includes(':') ? pair.split(':') : [pair, pair];
      return [
        'Self-hosted, in livekit.yaml (LiveKit Cloud: Settings → Webhooks → Create, with a signing API key of the project, then store `<API key>:<API secret>` in SSM yourself):',
        '    keys:',
        `      ${apiKey}: ${apiSecret}`,
        '    webhook:',
        `      api_key: ${apiKey}`,
        '      urls:',
        `        - ${url}`,
        'then restart the LiveKit server',
      ].join('\n');
    },
    overlap: 'five minutes (a webhook token expires five minutes after it was made)',
  },
  agora: {
    provider: 'agora',
    vendor: 'Agora',
    secret: 'keys',
    steps: (url) =>
      [
        'Agora Console → Projects → your project → All Features → Notifications → Media Gateway:',
        '    Event: 1 and 2 (and any others)',
        `    Receiving Server URL Endpoint: ${url}`,
        '    Check, then Apply Settings; copy the Secret the console shows, then store it:',
        '    livehooks connect agora --stage <stage> --secret-stdin   (paste the Secret, then Enter)',
      ].join('\n'),
    overlap: 'Agora has one secret per project: regenerating it in the console switches at once',
  },
  ivs: {
    provider: 'ivs',
    vendor: 'Amazon IVS',
    steps: () =>
      "Nothing to paste: IVS sends its events to EventBridge in the channel's account and region, and the stack's rule invokes the ivs function. Deploy the stack there.",
    overlap: 'nothing to rotate (IAM)',
  },
};

export { withToken };
