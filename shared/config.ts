import type { TimeWindow } from './time-window';

import type { SecretParameters } from './secrets';

/** What one provider's handler is configured with, read once per cold start. */
export interface ProviderConfig {
  /** Signing keys, newest first; a signature made with any of them passes. */
  keys: readonly string[];
  /** URL tokens (query parameter `token`); when any are set, one must match. */
  tokens: readonly string[];
  /** True only when the operator set `LIVEHOOKS_<PROVIDER>_AUTH=off`. */
  authOff: boolean;
  /** Ingest domains that a signature may be made over (Alibaba). */
  domains: readonly string[];
  /** Accepted range of the vendor's time field around now, for vendors that send one. */
  window?: TimeWindow;
  /** SSM parameters that hold the keys and tokens of a deployed function. */
  parameters: SecretParameters;
  /** Stream names a push may start under (`*` matches anything); absent: any name. */
  allowStreams?: RegExp;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The environment-variable prefix of a provider: `nginx-rtmp` → `LIVEHOOKS_NGINX_RTMP_`. */
export function envPrefix(provider: string): string {
  return `LIVEHOOKS_${provider.toUpperCase().replace(/-/g, '_')}_`;
}

/** The variables that turn a provider's checks on: keys where the vendor signs, tokens always. */
export function credentialVariables(provider: string, signed: boolean): string {
  const prefix = envPrefix(provider);
  return signed ? `${prefix}KEYS or ${prefix}TOKENS` : `${prefix}TOKENS`;
}

/** One expression matching any of the glob patterns, where `*` matches any run of characters. */
function globsToRegExp(patterns: readonly string[]): RegExp {
  const alternatives = patterns.map((pattern) =>
    pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*'),
  );
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function seconds(env: Env, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,9}$/.test(text)) {
    throw new Error(`${name} must be a whole number of seconds, got "${text}"`);
  }
  return Number(text);
}

function authSwitch(env: Env, name: string): boolean {
  const text = env[name]?.trim().toLowerCase() ?? '';
  if (text === 'off') return true;
  if (text === '' || text === 'on') return false;
  throw new Error(`${name} must be "on" or "off", got "${text}"`);
}

/**
 * Reads a provider's settings from the environment. Throws on a malformed value, so that a
 * typo fails the cold start loudly instead of silently weakening a check.
 *
 * @param defaultWindow - the provider's documented time window, used unless overridden;
 *   absent for vendors that send no time field
 */
export function readProviderConfig(provider: string, env: Env, defaultWindow?: TimeWindow): ProviderConfig {
  const prefix = envPrefix(provider);
  const parameters: SecretParameters = {};
  for (const [field, name] of [
    ['keys', 'KEYS'],
    ['tokens', 'TOKENS'],
  ] as const) {
    const parameter = env[`${prefix}${name}_PARAMETER`]?.trim();
    if (!parameter) continue;
    if (env[`${prefix}${name}`]) throw new Error(`set ${prefix}${name} or ${prefix}${name}_PARAMETER, not both`);
    parameters[field] = parameter;
  }
  const config: ProviderConfig = {
    keys: list(env, `${prefix}KEYS`),
    tokens: list(env, `${prefix}TOKENS`),
    parameters,
    authOff: authSwitch(env, `${prefix}AUTH`),
    domains: list(env, `${prefix}DOMAINS`),
  };
  const patterns = list(env, `${prefix}ALLOW_STREAMS`);
  if (patterns.length > 0) config.allowStreams = globsToRegExp(patterns);
  if (defaultWindow) {
    config.window = {
      past: seconds(env, `${prefix}WINDOW_PAST`, defaultWindow.past),
      future: seconds(env, `${prefix}WINDOW_FUTURE`, defaultWindow.future),
    };
  }
  return config;
}
