import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const BuildSetting = createRequire(import.meta.url)('../../../../tools/serverless/build-setting.cjs') as new (
  serverless: unknown,
) => unknown;

/** A config schema handler with the two things the plugin touches. */
function schemaHandler(properties: Record<string, unknown>) {
  return {
    schema: { properties },
    defineTopLevelProperty(name: string, subSchema: unknown) {
      if (properties[name]) throw new Error(`Top-level property '${name}' already have a definition`);
      properties[name] = subSchema;
    },
  };
}

describe('tools/serverless/build-setting.cjs', () => {
  it('teaches osls the `build` setting, accepting only esbuild: false', () => {
    const handler = schemaHandler({});
    new BuildSetting({ configSchemaHandler: handler });
    expect(handler.schema.properties.build).toEqual({
      type: 'object',
      properties: { esbuild: { const: false } },
      additionalProperties: false,
    });
  });

  it('leaves v4, which defines `build` itself, alone', () => {
    const v4Build = { anyOf: [{ type: 'object', properties: {} }] };
    const handler = schemaHandler({ build: v4Build });
    expect(() => new BuildSetting({ configSchemaHandler: handler })).not.toThrow();
    expect(handler.schema.properties.build).toBe(v4Build);
  });
});
