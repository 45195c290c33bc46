import { isEventBridgeAdapter, type AnyAdapter, type ProviderAdapter, type VendorSamples } from '../shared/provider';
import { agora, agoraSamples } from '../shared/providers/agora';
import { alibaba, alibabaSamples } from '../shared/providers/alibaba';
import { cloudflare, cloudflareSamples } from '../shared/providers/cloudflare';
import { huawei, huaweiSamples } from '../shared/providers/huawei';
import { ivs, ivsSamples } from '../shared/providers/ivs';
import { jdcloud, jdcloudSamples } from '../shared/providers/jdcloud';
import { kick, kickSamples } from '../shared/providers/kick';
import { livekit, livekitSamples } from '../shared/providers/livekit';
import { livepeer, livepeerSamples } from '../shared/providers/livepeer';
import { mux, muxSamples } from '../shared/providers/mux';
import { nginxRtmp, nginxRtmpSamples } from '../shared/providers/nginx-rtmp';
import { ome, omeSamples } from '../shared/providers/ome';
import { srs, srsSamples } from '../shared/providers/srs';
import { tencent, tencentSamples } from '../shared/providers/tencent';
import { volcengine, volcengineSamples } from '../shared/providers/volcengine';
import { twitch, twitchSamples } from '../shared/providers/twitch';

/** A provider: the adapter its function runs, and what tools know of the vendor. */
export interface Provider {
  adapter: AnyAdapter;
  samples: VendorSamples;
}

/**
 * The registry: every provider, by route, in the README's order. The CLI, the local server,
 * the bench and the tests derive from it; a deployed function imports only its own adapter.
 * A test fails when a provider listed here lacks its function, events, serverless.yml
 * block or README row (docs/adding-a-vendor.md).
 */
export const providers: Readonly<Record<string, Provider>> = {
  alibaba: { adapter: alibaba, samples: alibabaSamples },
  tencent: { adapter: tencent, samples: tencentSamples },
  huawei: { adapter: huawei, samples: huaweiSamples },
  jdcloud: { adapter: jdcloud, samples: jdcloudSamples },
  volcengine: { adapter: volcengine, samples: volcengineSamples },
  'nginx-rtmp': { adapter: nginxRtmp, samples: nginxRtmpSamples },
  srs: { adapter: srs, samples: srsSamples },
  mux: { adapter: mux, samples: muxSamples },
  cloudflare: { adapter: cloudflare, samples: cloudflareSamples },
  ivs: { adapter: ivs, samples: ivsSamples },
  livekit: { adapter: livekit, samples: livekitSamples },
  agora: { adapter: agora, samples: agoraSamples },
  ome: { adapter: ome, samples: omeSamples },
  twitch: { adapter: twitch, samples: twitchSamples },
  kick: { adapter: kick, samples: kickSamples },
  livepeer: { adapter: livepeer, samples: livepeerSamples },
};

/** The routes, in the registry's order. */
export const providerNames = Object.keys(providers);

/** The providers behind a URL (every one but those whose events come through EventBridge). */
export const httpProviderNames = providerNames.filter((name) => !isEventBridgeAdapter(providers[name]!.adapter));

/** Whether a provider's vendor signs its callbacks: then a key is its check, else a URL token (none for EventBridge). */
export function signsWithKey(name: string): boolean {
  const { adapter } = providerOf(name);
  return !isEventBridgeAdapter(adapter) && adapter.signed;
}

/** A provider by route; throws, naming the routes there are, for any other. */
export function providerOf(name: string | undefined): Provider & { name: string } {
  const provider = name !== undefined && Object.hasOwn(providers, name) ? providers[name] : undefined;
  if (!provider) throw new Error(`unknown provider "${name ?? ''}": one of ${providerNames.join(', ')}`);
  return { name: name!, ...provider };
}

/** A provider behind a URL, by route; throws for any other, naming the routes there are. */
export function httpProviderOf(
  name: string | undefined,
): Provider & { name: string; adapter: ProviderAdapter<unknown> } {
  const provider = providerOf(name);
  if (isEventBridgeAdapter(provider.adapter)) {
    throw new Error(`${name} events come through EventBridge, not a URL: one of ${httpProviderNames.join(', ')}`);
  }
  return provider as Provider & { name: string; adapter: ProviderAdapter<unknown> };
}
