/**
 * The deployed bundles, built with esbuild exactly as serverless.yml's `custom.esbuild`
 * builds them (serverless-esbuild passes those settings straight to esbuild), without
 * osls around it: a second instead of a minute. `checkServerlessSettings` fails the run
 * when serverless.yml and the settings here part ways.
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export const repo = new URL('../..', import.meta.url).pathname;

/** Where bundles are written: under node_modules, so that their `@aws-sdk/*` requires resolve. */
export const outDir = join(repo, 'node_modules/.cache/livehooks-bench');

/** serverless.yml's custom.esbuild, as esbuild options. */
export const deployedSettings = {
  bundle: true,
  minify: true,
  format: 'cjs',
  platform: 'node',
  target: 'node24',
  supported: { 'regexp-unicode-property-escapes': true },
  sourcemap: false,
  external: ['@aws-sdk/*'],
} satisfies BuildOptions;

/** Throws when serverless.yml no longer says what `deployedSettings` says. */
export function checkServerlessSettings(): void {
  const yml = readFileSync(join(repo, 'serverless.yml'), 'utf8');
  const start = yml.indexOf('\n  esbuild:', yml.indexOf('\ncustom:'));
  const block = yml.slice(start, yml.indexOf('\n  environment:', start));
  const expected = [
    /^ {4}bundle: true$/m,
    /^ {4}minify: true$/m,
    /^ {4}format: cjs$/m,
    /^ {4}platform: node$/m,
    /^ {4}target: node24\b/m,
    /^ {6}regexp-unicode-property-escapes: true$/m,
    /^ {4}sourcemap: false$/m,
    /^ {6}- '@aws-sdk\/\*'$/m,
  ];
  const missing = expected.filter((pattern) => !pattern.test(block));
  if (missing.length > 0) {
    throw new Error(`serverless.yml's custom.esbuild differs from bench/lib/bundles.ts: ${missing.join(', ')}`);
  }
}

/** The functions' configured memory (serverless.yml's `provider.memorySize`), in MB. */
export const configuredMemorySize = () =>
  Number(/^ {2}memorySize: (\d+)$/m.exec(readFileSync(join(repo, 'serverless.yml'), 'utf8'))![1]);

/** One built bundle: where it is, its size, and what it is made of. */
export interface Bundle {
  name: string;
  path: string;
  bytes: number;
  gzipBytes: number;
  /** Bytes in the output per input, largest first: package name or repository path. */
  parts: [string, number][];
}

/**
 * Builds `entry` (relative to the repository) as `<name>.cjs` with the deployed settings,
 * or with `external` instead of theirs (`[]`: everything inside, the AWS SDK too).
 */
export async function buildBundle(name: string, entry: string, external?: string[]): Promise<Bundle> {
  const result = await build({
    ...deployedSettings,
    ...(external ? { external } : {}),
    entryPoints: [join(repo, entry)],
    outfile: join(outDir, `${name}.cjs`),
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const output = result.outputFiles[0]!;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(output.path, output.contents);
  return {
    name,
    path: output.path,
    bytes: output.contents.length,
    gzipBytes: gzipSync(output.contents, { level: 9 }).length,
    parts: partsOf(result.metafile),
  };
}

/** Output bytes per package (node_modules) or per file of ours. */
function partsOf(metafile: Metafile): [string, number][] {
  const sums = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const path = relative(repo, join(process.cwd(), input));
      const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = inPackage ? inPackage[1]! : path;
      sums.set(key, (sums.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...sums.entries()].sort((a, b) => b[1] - a[1]);
}
