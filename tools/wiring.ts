/**
 * Files generated from the registry (tools/providers.ts), so that a vendor is listed in one
 * place. `npm run wiring` writes them; test/unit/tools/wiring.test.ts regenerates them and
 * fails on any difference.
 *
 * - tools/serverless/vendors.json: what the deployment plugin (tools/serverless/receivers.cjs)
 *   needs of each vendor, readable at deploy time without TypeScript.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { envPrefix } from '../shared/config';
import { isEventBridgeAdapter } from '../shared/provider';
import { providerNames, providerOf } from './providers';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** What tools/serverless/receivers.cjs knows of a vendor. */
export interface VendorWiring {
  /** The route: the function's key in serverless.yml, `functions/<name>.ts`. */
  name: string;
  /** The logical id of its IAM role: `nginx-rtmp` → `NginxRtmpRole`. */
  role: string;
  /** Its environment variables' prefix, `LIVEHOOKS_NGINX_RTMP_`. */
  envPrefix: string;
  /** Whether it reads keys and tokens from SSM, under `/livehooks/<stage>/<name>/` (every vendor behind a URL). */
  parameters: boolean;
}

/** The vendors, in the registry's order. */
export function vendorWiring(): VendorWiring[] {
  return providerNames.map((name) => ({
    name,
    role: `${name.replace(/(^|-)(.)/g, (_, _dash: string, letter: string) => letter.toUpperCase())}Role`,
    envPrefix: envPrefix(name),
    parameters: !isEventBridgeAdapter(providerOf(name).adapter),
  }));
}

/** Every generated file, by path from the repository's root, with the content it must have. */
export function generatedFiles(): Record<string, string> {
  return {
    'tools/serverless/vendors.json': `${JSON.stringify(vendorWiring(), null, 2)}\n`,
  };
}

/** The generated files whose content on disk differs from what the registry makes. */
export function staleFiles(): string[] {
  return Object.entries(generatedFiles())
    .filter(([path, content]) => {
      try {
        return readFileSync(`${repo}${path}`, 'utf8') !== content;
      } catch {
        return true;
      }
    })
    .map(([path]) => path);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const path of staleFiles()) {
    writeFileSync(`${repo}${path}`, generatedFiles()[path]!);
    console.log(`wrote ${path}`);
  }
}
