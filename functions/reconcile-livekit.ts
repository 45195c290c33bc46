import { livekit } from '../shared/providers/livekit';
import { createReconcileHandler } from '../shared/reconcile/handler';
import { livekitLiveList } from '../shared/vendor-api/livekit-live';

/** livekit's reconciliation with its vendor's live list, on its schedule (docs/behaviour.md §7). */
export const handler = createReconcileHandler(livekit, livekitLiveList);
