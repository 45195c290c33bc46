'use strict';
/**
 * A local Serverless Framework plugin with one job: let osls (the open-source v3 line) read
 * serverless.yml's `build` setting, which only Serverless Framework v4 knows. v4 needs
 * `build.esbuild: false` to leave bundling to serverless-esbuild (it refuses the plugin
 * otherwise: packages/serverless/lib/classes/plugin-manager.js, PLUGIN_TYPESCRIPT_CONFLICT),
 * and osls, under `configValidationMode: error`, refuses a top-level property it does not
 * know. v4 defines `build` itself, so there this plugin does nothing.
 */
class BuildSetting {
  constructor(serverless) {
    const schema = serverless.configSchemaHandler;
    if (!schema.schema.properties.build) {
      schema.defineTopLevelProperty('build', {
        type: 'object',
        properties: { esbuild: { const: false } },
        additionalProperties: false,
      });
    }
  }
}

module.exports = BuildSetting;
