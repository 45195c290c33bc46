import { ivs } from '../shared/providers/ivs';
import { createReconcileHandler } from '../shared/reconcile/handler';
import { ivsLiveList } from '../shared/vendor-api/ivs-live';

/** ivs's reconciliation with its vendor's live list, on its schedule (docs/behaviour.md §7). */
export const handler = createReconcileHandler(ivs, ivsLiveList);
