import { createHandler } from '../shared/handler';
import { livekit } from '../shared/providers/livekit';

/** The livekit callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(livekit);
