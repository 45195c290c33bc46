/**
 * The registry is the one list of providers: every provider in it has everything
 * docs/adding-a-vendor.md asks for, and nothing in the repository belongs to a provider
 * that is not in it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { nowSec } from '../../support/providers';
import { isEventBridgeAdapter } from '../../../shared/provider';
import { providerNames, providerOf, providers } from '../../../tools/providers';

const repo = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, repo), 'utf8');
const serverlessYml = read('serverless.yml');
const readme = read('README.md');
const vendorsMd = read('docs/vendors.md');

describe.each(providerNames)('%s', (name) => {
  const { adapter, samples } = providerOf(name);
  const viaEventBridge = isEventBridgeAdapter(adapter);
  /** How it is reached, as the README's vendor table says it: `POST mux`, `EventBridge ivs`. */
  const route = `${isEventBridgeAdapter(adapter) ? 'EventBridge' : adapter.method} ${name}`;

  it('is the adapter of that route', () => {
    expect(adapter.name).toBe(name);
  });

  it('has a function that builds its handler from its adapter', () => {
    const source = read(`functions/${name}.ts`);
    expect(source).toContain(`from '../shared/providers/${name}'`);
    expect(source).toMatch(
      viaEventBridge
        ? /export const handler = createEventHandler\(\w+\);/
        : /export const handler = createHandler\(\w+\);/,
    );
  });

  it('has sample events of a start and a stop', () => {
    expect(readdirSync(new URL(`events/${name}/`, repo))).toEqual(expect.arrayContaining(['start.json', 'stop.json']));
  });

  it('has its own tests', () => {
    expect(existsSync(new URL(`test/system/shared/providers/${name}.test.ts`, repo))).toBe(true);
  });

  it('has a sample its schema accepts, and a signer', () => {
    for (const kind of ['start', 'stop'] as const) {
      const fields = samples.sample({ kind, stream: 's', sessionSec: nowSec - 60, timeSec: nowSec });
      expect(adapter.kindOf(fields)).toBe(kind);
      expect(() => v.parse(adapter.schema, fields)).not.toThrow();
    }
    for (const fields of samples.otherEvents({ kind: 'start', stream: 's', sessionSec: nowSec, timeSec: nowSec })) {
      expect(adapter.kindOf(fields)).toBeNull();
    }
    const request = samples.sign({}, { key: samples.keyEntry?.('k') ?? 'k', nowSec });
    expect(request.method).toBe(isEventBridgeAdapter(adapter) ? 'POST' : adapter.method);
    expect(Boolean(samples.signatureOf)).toBe(!isEventBridgeAdapter(adapter) && adapter.signed);
  });

  it('has its serverless.yml entry (its role and settings come from the registry: tools/wiring.ts)', () => {
    expect(serverlessYml).toContain(`\n  ${name}:\n    handler: functions/${name}.handler\n`);
    if (isEventBridgeAdapter(adapter)) {
      // No URL and no secret: a rule on the source's events invokes it.
      expect(serverlessYml).toMatch(
        new RegExp(`\\n {2}${name}:\\n(?: {4}.*\\n)*? {10}pattern:\\n {12}source: \\[${adapter.source}\\]\\n`),
      );
    } else {
      expect(serverlessYml).toMatch(new RegExp(`\\n {2}${name}:\\n(?: {4}.*\\n)*? {4}url: true\\n`));
    }
  });

  it('has its README row and its section in docs/vendors.md', () => {
    expect(readme).toContain(`| \`${route}\` |`);
    expect(vendorsMd).toMatch(new RegExp(`\\n\\| \`${name}\` \\|`));
  });
});

describe('nothing belongs to a provider outside the registry', () => {
  const registered = new Set(Object.keys(providers));

  /** The functions that are not a provider: the read API. */
  const notProviders = ['api'];

  it('in functions/ and events/', () => {
    // A provider's reconcile function (reconcile-<route>) belongs to it.
    const functions = readdirSync(new URL('functions/', repo))
      .map((file) => file.replace(/\.ts$/, '').replace(/^reconcile-/, ''))
      .filter((name) => !notProviders.includes(name));
    expect(functions.filter((name) => !registered.has(name))).toEqual([]);
    expect(readdirSync(new URL('events/', repo)).filter((name) => !registered.has(name))).toEqual([]);
  });

  it('in serverless.yml', () => {
    const functionsBlock = serverlessYml.slice(
      serverlessYml.indexOf('\nfunctions:\n'),
      serverlessYml.indexOf('\ncustom:\n'),
    );
    const declared = [...functionsBlock.matchAll(/^ {2}([a-z][a-z0-9-]*):$/gm)].map((match) => match[1]!);
    const reconciled = declared.filter((name) => name.startsWith('reconcile-'));
    expect(declared.filter((name) => !reconciled.includes(name))).toEqual([...providerNames, ...notProviders]);
    expect(reconciled.filter((name) => !registered.has(name.slice('reconcile-'.length)))).toEqual([]);
  });
});
