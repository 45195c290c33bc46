// Types of loopback-guard.mjs (plain JavaScript: dynalite's worker imports it too).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** The longest body a receiver takes, as a Function URL: 6 MB (Lambda's request payload limit). */
export const maxReceiverBodyBytes: number;
/** The longest body an engine takes: 16 MiB (DynamoDB's largest request, above SQS's). */
export const maxEngineBodyBytes: number;
/** The `Host` values a loopback server on `port` answers to. */
export function loopbackHosts(port: number): string[];
/** Why a request must be refused, or undefined when it may pass. */
export function refusalOf(request: IncomingMessage, options: { servesPages: boolean }): string | undefined;
/** An engine's request listener, behind the guard. */
export function guardEngine(listener: RequestListener): RequestListener;
/** Answers a refused request and closes its connection. */
export function refuse(response: ServerResponse, statusCode: number, message: string): void;
