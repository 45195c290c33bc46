import { ome } from '../shared/providers/ome';
import { createReconcileHandler } from '../shared/reconcile/handler';
import { omeLiveList } from '../shared/reconcile/sources/ome';

/** OvenMediaEngine's reconciliation with its REST API's streams, on its schedule (docs/behaviour.md §7). */
export const handler = createReconcileHandler(ome, omeLiveList);
