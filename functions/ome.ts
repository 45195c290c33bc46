import { createHandler } from '../shared/handler';
import { ome } from '../shared/providers/ome';

/** The ome callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(ome);
