import { createHandler } from '../shared/handler';
import { tencent } from '../shared/providers/tencent';

/** The tencent callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(tencent);
