import { nginxRtmp } from '../shared/providers/nginx-rtmp';
import { createReconcileHandler } from '../shared/reconcile/handler';
import { nginxRtmpLiveList } from '../shared/reconcile/sources/nginx-rtmp';

/** nginx-rtmp's reconciliation with its stat page, on its schedule (docs/behaviour.md §7). */
export const handler = createReconcileHandler(nginxRtmp, nginxRtmpLiveList);
