import { createHandler } from '../shared/handler';
import { nginxRtmp } from '../shared/providers/nginx-rtmp';

/** The nginx-rtmp callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(nginxRtmp);
