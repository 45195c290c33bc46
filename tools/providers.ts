import type { ProviderAdapter } from '../shared/provider';
import { alibaba } from '../shared/providers/alibaba';
import { huawei } from '../shared/providers/huawei';
import { jdcloud } from '../shared/providers/jdcloud';
import { nginxRtmp } from '../shared/providers/nginx-rtmp';
import { srs } from '../shared/providers/srs';
import { tencent } from '../shared/providers/tencent';

/**
 * Every provider, by route. Deployed functions import only their own adapter; the local
 * server and the CLI use this list.
 */
export const providers: Readonly<Record<string, ProviderAdapter<any>>> = {
  alibaba,
  tencent,
  huawei,
  jdcloud,
  'nginx-rtmp': nginxRtmp,
  srs,
};
