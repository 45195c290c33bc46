import { alibaba } from '../shared/providers/alibaba';
import { createReconcileHandler } from '../shared/reconcile/handler';
import { alibabaLiveList } from '../shared/vendor-api/alibaba-live';

/** alibaba's reconciliation with its vendor's live list, on its schedule (docs/behaviour.md §7). */
export const handler = createReconcileHandler(alibaba, alibabaLiveList);
