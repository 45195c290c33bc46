import type { Env } from '../../shared/config';

/** Where the local receiver and the CLI find things, from the environment. */
export interface LocalSettings {
  /** Port of the HTTP server (`PORT`, default 3000; 0 picks a free one). */
  port: number;
  /** Port of the embedded store (`LIVEHOOKS_STORE_PORT`, default 8000; 0 picks a free one). */
  storePort: number;
  /** Folder of the embedded store's data (`LIVEHOOKS_DATA_DIR`, default `.livehooks/data`). */
  dataDir: string;
  /** Table name (`LIVEHOOKS_TABLE`, default `livehooks`). */
  tableName: string;
}

function port(env: Env, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`${name} must be a port number, got "${text}"`);
  return value;
}

/** Reads the local settings; the same defaults serve `npm start`, the CLI and `invoke local`. */
export function localSettings(env: Env): LocalSettings {
  return {
    port: port(env, 'PORT', 3000),
    storePort: port(env, 'LIVEHOOKS_STORE_PORT', 8000),
    dataDir: env.LIVEHOOKS_DATA_DIR || '.livehooks/data',
    tableName: env.LIVEHOOKS_TABLE || 'livehooks',
  };
}
