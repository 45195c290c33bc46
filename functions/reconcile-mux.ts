import { mux } from '../shared/providers/mux';
import { createReconcileHandler } from '../shared/reconcile/handler';
import { muxLiveList } from '../shared/vendor-api/mux-live';

/** mux's reconciliation with its vendor's live list, on its schedule (docs/behaviour.md §7). */
export const handler = createReconcileHandler(mux, muxLiveList);
