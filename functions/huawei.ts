import { createHandler } from '../shared/handler';
import { huawei } from '../shared/providers/huawei';

/** The huawei callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(huawei);
