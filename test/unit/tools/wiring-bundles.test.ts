import { readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const repo = new URL('../../..', import.meta.url).pathname;
const functions = readdirSync(`${repo}functions`).filter((file) => file.endsWith('.ts'));

/** What wires the vendors (the CLI's code and the vendors' API clients and signers): tools only. */
const wiringOnly = [
  /^tools\//,
  /node_modules\/@alicloud\//,
  /node_modules\/tencentcloud-sdk-nodejs-common\//,
  /node_modules\/@huaweicloud\//,
  /node_modules\/jdcloud-sdk-js\//,
  /node_modules\/@aws-sdk\/client-cloudformation\//,
  /node_modules\/@mux\//,
];

describe("the functions' bundles", () => {
  it.each(functions)('%s takes in nothing of the vendor wiring', async (file) => {
    // serverless.yml's custom.esbuild settings, with a metafile listing every input.
    const { metafile } = await build({
      entryPoints: [`${repo}functions/${file}`],
      absWorkingDir: repo,
      bundle: true,
      write: false,
      metafile: true,
      format: 'cjs',
      platform: 'node',
      target: 'node24',
      external: ['@aws-sdk/*'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.startsWith('shared/'))).toBe(true);
    expect(inputs.filter((input) => wiringOnly.some((pattern) => pattern.test(input)))).toEqual([]);
  });
});
