import { nginxRtmp } from '../../providers/nginx-rtmp';
import type { SourceAdapter } from '../../provider';
import type { LiveListSource } from '../live-list';
import { nginxRtmpLiveList } from './nginx-rtmp';

/** A provider whose vendor lists its live pushes: its adapter and its list. */
export interface Reconcilable {
  adapter: Pick<SourceAdapter<unknown>, 'name' | 'pairByTime' | 'foldStreamCase'>;
  source: LiveListSource;
}

/**
 * Every provider reconciliation can run for (the CLI and `npm start`; a deployed function
 * imports its own alone). Adding one is one line here (docs/adding-a-vendor.md).
 */
export const reconcilables: readonly Reconcilable[] = [{ adapter: nginxRtmp, source: nginxRtmpLiveList }];
