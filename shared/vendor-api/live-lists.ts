import type { LiveListSource } from '../reconcile/live-list';
import { alibabaLiveList } from './alibaba-live';
import { cloudflareLiveList } from './cloudflare-live';
import { huaweiLiveList } from './huawei-live';
import { ivsLiveList } from './ivs-live';
import { jdcloudLiveList } from './jdcloud-live';
import { livekitLiveList } from './livekit-live';
import { muxLiveList } from './mux-live';
import { tencentLiveList } from './tencent-live';

/**
 * The cloud vendors' live lists, by provider. Agora has none: its Media Gateway's REST API
 * manages streaming keys, and no call lists the streams pushing now (docs/vendors.md).
 */
export const vendorLiveLists: Readonly<Record<string, LiveListSource>> = Object.fromEntries(
  [
    alibabaLiveList,
    tencentLiveList,
    huaweiLiveList,
    jdcloudLiveList,
    muxLiveList,
    cloudflareLiveList,
    ivsLiveList,
    livekitLiveList,
  ].map((source) => [source.provider, source]),
);
