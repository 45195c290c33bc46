import type { ProviderAdapter } from '../provider';
import { alibaba } from './alibaba';
import { huawei } from './huawei';
import { jdcloud } from './jdcloud';
import { nginxRtmp } from './nginx-rtmp';
import { srs } from './srs';
import { tencent } from './tencent';

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
