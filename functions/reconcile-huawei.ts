import { huawei } from '../shared/providers/huawei';
import { createReconcileHandler } from '../shared/reconcile/handler';
import { huaweiLiveList } from '../shared/vendor-api/huawei-live';

/** huawei's reconciliation with its vendor's live list, on its schedule (docs/behaviour.md §7). */
export const handler = createReconcileHandler(huawei, huaweiLiveList);
