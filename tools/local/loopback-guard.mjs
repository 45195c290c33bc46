// Who may use the local servers (npm start's receivers and inspector, and its engines):
// programs on this machine, and the inspector's own page; no other web page. A page of any
// origin can send requests to 127.0.0.1 from the operator's browser, and with DNS
// rebinding (its own name resolved to 127.0.0.1) read the answers too. So, as a dev server:
// only loopback names in Host (a rebinding page's requests name its own host), and no
// request a browser made on behalf of another origin. Plain JavaScript: dynalite's worker
// (dynalite-worker.mjs), which does not go through the tsx loader, imports it too.

/** The longest body a receiver takes, as a Function URL: 6 MB (Lambda's request payload limit). */
export const maxReceiverBodyBytes = 6 * 1024 * 1024;
/** The longest body an engine takes: 16 MiB (DynamoDB's largest request, above SQS's). */
export const maxEngineBodyBytes = 16 * 1024 * 1024;

const loopbackNames = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The `Host` values a loopback server on `port` is reached by from its own origin: each
 * loopback name with the port, or alone (nginx-rtmp's notify requests leave the port out).
 */
export const loopbackHosts = (port) => loopbackNames.flatMap((name) => [`${name}:${port}`, name]);

/**
 * Whether a `Host` names this machine by a loopback name, with any port or none: what a
 * rebinding page cannot send (its requests name its own host). The port is not checked: a
 * proxy in front of a local server (the tests' fault proxies) keeps its own.
 */
const namesLoopback = (host) => loopbackNames.includes(host.replace(/:\d{1,5}$/, ''));

/**
 * Why a request must be refused, or undefined when it may pass.
 *
 * @param {import('node:http').IncomingMessage} request
 * @param {{ servesPages: boolean }} options - whether the server has pages of its own (the
 *   inspector), whose same-origin requests pass; an engine refuses anything a browser sent.
 * @returns {string | undefined}
 */
export function refusalOf(request, { servesPages }) {
  const port = request.socket.localPort;
  const hosts = loopbackHosts(port);
  const host = request.headers.host?.toLowerCase();
  if (host === undefined || !namesLoopback(host)) {
    return `this local server answers to http://127.0.0.1:${port} (or localhost, [::1]) only, not to Host ${JSON.stringify(host ?? '')}`;
  }
  // Browsers send Origin with every cross-origin request and every POST, and Sec-Fetch-Site
  // with every request (Chromium, Firefox, Safari since 2023); other programs send neither.
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (!servesPages) {
    return origin === undefined && site === undefined
      ? undefined
      : 'a local engine takes no request from a web page; its clients are the receivers and the livehooks CLI';
  }
  if (origin !== undefined && !hosts.some((allowed) => origin.toLowerCase() === `http://${allowed}`)) {
    return `a request from the page of another origin (${JSON.stringify(origin)}) is refused; open the inspector at http://127.0.0.1:${port}/`;
  }
  // A link from another site may open the inspector's page, and nothing else.
  const opensPage = request.method === 'GET' && request.headers['sec-fetch-mode'] === 'navigate' && request.url === '/';
  if (site !== undefined && site !== 'same-origin' && site !== 'none' && !opensPage) {
    return `a request from another site (${site}) is refused; open the inspector at http://127.0.0.1:${port}/`;
  }
  return undefined;
}

/**
 * Wraps an engine's request listener: a request a browser made, one naming another host,
 * or one with a body over {@link maxEngineBodyBytes}, is refused before the engine sees it,
 * and the engine's CORS headers never leave (dynalite answers `*` to any Origin).
 *
 * @param {(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void} listener
 */
export function guardEngine(listener) {
  return (request, response) => {
    const refusal = refusalOf(request, { servesPages: false });
    if (refusal) return refuse(response, 403, refusal);
    if (Number(request.headers['content-length'] ?? 0) > maxEngineBodyBytes) {
      return refuse(response, 413, `a request body is at most ${maxEngineBodyBytes} bytes here`);
    }
    const setHeader = response.setHeader.bind(response);
    response.setHeader = (name, value) =>
      String(name).toLowerCase().startsWith('access-control-') ? response : setHeader(name, value);
    listener(request, response);
  };
}

/**
 * Answers a refused request and closes its connection (the body, maybe large, is not read).
 *
 * @param {import('node:http').ServerResponse} response
 * @param {number} statusCode
 * @param {string} message
 */
export function refuse(response, statusCode, message) {
  response.writeHead(statusCode, { 'content-type': 'application/json', connection: 'close' });
  response.end(JSON.stringify({ message }));
}
