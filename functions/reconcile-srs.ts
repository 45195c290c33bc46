import { srs } from '../shared/providers/srs';
import { createReconcileHandler } from '../shared/reconcile/handler';
import { srsLiveList } from '../shared/reconcile/sources/srs';

/** SRS's reconciliation with its HTTP API's streams, on its schedule (docs/behaviour.md §7). */
export const handler = createReconcileHandler(srs, srsLiveList);
