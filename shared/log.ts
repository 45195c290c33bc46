/**
 * Structured log lines, one JSON object each. They carry reason codes and stream keys,
 * never keys, tokens, signatures or payloads: those stay out of CloudWatch by construction.
 */
function write(level: 'info' | 'warn' | 'error', fields: Record<string, unknown>): void {
  const line = JSON.stringify({ level, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
}

/** What a log line says of a refusal (an `answer.ts` `Rejection` is one). */
export interface LoggedRefusal {
  status: number;
  reason: string;
  streamKey?: string | undefined;
  detail?: string | undefined;
}

/** Logs a refused callback, once, with its reason. */
export function logRejection(provider: string, rejection: LoggedRefusal): void {
  write(rejection.status >= 500 || rejection.reason === 'subscription_revoked' ? 'error' : 'warn', {
    msg: 'callback rejected',
    provider,
    status: rejection.status,
    reason: rejection.reason,
    ...(rejection.streamKey ? { streamKey: rejection.streamKey } : {}),
    ...(rejection.detail ? { detail: rejection.detail } : {}),
  });
}

/** Logs an error no rejection accounts for: its name and message, which carry no secrets. */
export function logUnhandled(provider: string, error: unknown): void {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  write('error', { msg: 'unhandled error', provider, error: name, detail: message });
}

/** Logs a refusal that could not be kept (the refusal itself was answered as ever). */
export function logKeepFailure(provider: string, error: unknown): void {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  write('warn', { msg: 'refusal not kept', provider, error: name, detail: message });
}

/** Logs a provider running with checks turned off, at cold start, so nobody misses it. */
export function logAuthOff(provider: string, variable: string): void {
  write('warn', { msg: 'authentication is off', provider, variable });
}
