import { jdcloud } from '../shared/providers/jdcloud';
import { createReconcileHandler } from '../shared/reconcile/handler';
import { jdcloudLiveList } from '../shared/vendor-api/jdcloud-live';

/** jdcloud's reconciliation with its vendor's live list, on its schedule (docs/behaviour.md §7). */
export const handler = createReconcileHandler(jdcloud, jdcloudLiveList);
