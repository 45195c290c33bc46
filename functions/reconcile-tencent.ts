import { tencent } from '../shared/providers/tencent';
import { createReconcileHandler } from '../shared/reconcile/handler';
import { tencentLiveList } from '../shared/vendor-api/tencent-live';

/** tencent's reconciliation with its vendor's live list, on its schedule (docs/behaviour.md §7). */
export const handler = createReconcileHandler(tencent, tencentLiveList);
