import { createHandler } from '../shared/handler';
import { alibaba } from '../shared/providers/alibaba';

/** The alibaba callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(alibaba);
