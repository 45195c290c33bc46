import { cloudflare } from '../shared/providers/cloudflare';
import { createReconcileHandler } from '../shared/reconcile/handler';
import { cloudflareLiveList } from '../shared/vendor-api/cloudflare-live';

/** cloudflare's reconciliation with its vendor's live list, on its schedule (docs/behaviour.md §7). */
export const handler = createReconcileHandler(cloudflare, cloudflareLiveList);
