import type { TestProject } from 'vitest/node';
import { startEmbeddedQueue } from '../../tools/local/embedded-queue';
import { startEmbeddedStore } from '../../tools/local/embedded-store';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
  }
}

/** Starts one in-memory dynalite and one SQS engine for the whole run, on free loopback ports. */
export default async function setup(project: TestProject) {
  const [store, queue] = await Promise.all([startEmbeddedStore(), startEmbeddedQueue()]);
  project.provide('dynamoEndpoint', store.endpoint);
  project.provide('sqsEndpoint', queue.endpoint);
  return () => Promise.all([store.close(), queue.close()]);
}
