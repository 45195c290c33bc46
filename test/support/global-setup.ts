import type { TestProject } from 'vitest/node';
import { startEmbeddedStore } from '../../tools/local/embedded-store';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** Starts one in-memory dynalite for the whole run, on a free loopback port. */
export default async function setup(project: TestProject) {
  const store = await startEmbeddedStore();
  project.provide('dynamoEndpoint', store.endpoint);
  return () => store.close();
}
