import { randomInt } from 'node:crypto';
import { matchesAnyConfigured } from '../../../shared/signature';

/** What a vendor takes as a key or token: its alphabet and a length inside its bounds. */
export interface SecretFormat {
  alphabet: string;
  length: number;
}

/** Letters and digits: every vendor's key alphabet, and safe in a URL and in SSM's comma list. */
export const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh secret of `format`, each character drawn uniformly by the system's CSPRNG. */
export function newSecret({ alphabet, length }: SecretFormat): string {
  let secret = '';
  for (let i = 0; i < length; i++) secret += alphabet[randomInt(alphabet.length)];
  return secret;
}

/** Whether `secret` is one of `ours`, compared in constant time (digests of both sides). */
export function isOneOf(secret: string | undefined, ours: readonly string[]): boolean {
  return secret !== undefined && secret !== '' && ours.length > 0 && matchesAnyConfigured(secret, ours);
}

/** Whether `secret` is `ours`, compared in constant time. */
export const isSame = (secret: string | undefined, ours: string | undefined) =>
  ours !== undefined && isOneOf(secret, [ours]);

/** `text` with every one of `secrets` replaced by `****`: what a printed call shows. */
export function masked(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret) result = result.split(secret).join('****');
  return result;
}
