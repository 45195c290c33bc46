import { createHandler } from '../shared/handler';
import { agora } from '../shared/providers/agora';

/** The agora callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(agora);
