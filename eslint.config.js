import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Lint: ESLint's recommended rules, and typescript-eslint's type-aware ones on the
 * TypeScript (floating and misused promises, unused code, unsafe `any`). `npm run lint`
 * allows no warning; `npm test` runs it.
 */
export default tseslint.config(
  { ignores: ['node_modules/', '.esbuild/', '.serverless/', '.livehooks/', 'coverage/'] },
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
      },
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly' },
    },
  },
  {
    files: ['**/*.{ts,mts,cts}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A leading underscore names what is left out on purpose: a rest sibling, an unused parameter.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // An async function without await is how an interface's promise is kept (a throw becomes a rejection).
      '@typescript-eslint/require-await': 'off',
      // A closure may read a variable that is assigned once, later (a server's handler, its port).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // A vendor's field is any JSON value: its text (`[object Object]` for an object, which no
    // check accepts) is what adapters and their tests compare, on purpose.
    files: ['shared/providers/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-base-to-string': 'off' },
  },
  {
    // Tests read JSON documents (CloudFormation templates, vendors' requests and answers) as
    // `any` on purpose: their assertions check the shape at run time, a type would restate them.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
