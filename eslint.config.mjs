// ESLint (flat config): `npm run lint`, and a step of `npm test`.
// typescript-eslint for every .ts file, eslint-plugin-lit and eslint-plugin-wc
// for the elements, and the project's layering rules: the core imports no
// DOM, Node or other layer, the relay and the elements stay apart.
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** An inline rule: every eslint-disable comment says why, after `--`. */
const project = {
  rules: {
    'disable-needs-reason': {
      meta: {type: 'suggestion', schema: [], messages: {reason: 'Say why after "--" in every eslint-disable comment.'}},
      create(context) {
        return {
          Program() {
            for (const comment of context.sourceCode.getAllComments()) {
              if (/^\s*eslint-disable/.test(comment.value) && !/\s--\s*\S/.test(comment.value)) context.report({loc: comment.loc, messageId: 'reason'});
            }
          },
        };
      },
    },
  },
};

const NODE_MODULES = ['node:*', 'ws', 'fs', 'path', 'os', 'http', 'https', 'net', 'crypto', 'child_process', 'stream', 'url', 'util', 'zlib'];

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'demo/.build/**', '.build/**', '.size-tmp/**', '.tmp/**', '.cem-check/**', 'test-results/**', '.scratch/**', '.stryker-tmp/**', 'reports/**', 'custom-elements.json'],
  },
  {
    files: ['**/*.{js,mjs,ts}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {ecmaVersion: 2022, sourceType: 'module'},
    linterOptions: {reportUnusedDisableDirectives: 'error'},
    plugins: {project},
    rules: {
      'project/disable-needs-reason': 'error',
      // Unused names fail the type check already (noUnusedLocals); this keeps the `_` escape for parameters.
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
    },
  },
  // Promises in the library: a dropped rejection is a lost error. These rules need types, so they
  // run on src/ only (on the tests, chai's assertion chains read as promises to them).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/core/platform.d.ts'],
    languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
    },
  },
  // Ambient declarations: a global property is declared with `var` (src/core/platform.d.ts).
  {files: ['**/*.d.ts'], rules: {'no-var': 'off'}},
  // Where the code runs.
  {
    files: ['scripts/**', 'bench/**', 'bin/**', 'src/relay/**', 'src/cli/**', 'src/node/**', 'demo/node/**', 'demo/server.ts', '*.mjs', 'test/**/*.node.ts', 'test/support/**', 'test/cli/**', 'test/relay/**', 'test/demo/**', 'test/api/**'],
    languageOptions: {globals: globals.node},
  },
  {
    files: ['src/elements/**', 'src/bridges/**', 'demo/**', 'test/**'],
    ignores: ['demo/node/**', 'demo/server.ts'],
    languageOptions: {globals: {...globals.browser, ...globals.mocha}},
  },
  {
    files: ['src/core/**'],
    languageOptions: {globals: {...globals['shared-node-browser']}},
  },
  // The elements: Lit templates and custom-element rules.
  {
    files: ['src/elements/**/*.ts', 'test/elements/**/*.ts', 'demo/**/*.ts'],
    extends: [lit.configs['flat/recommended'], wc.configs['flat/recommended']],
  },
  // Layering. The core: no DOM, no Node, no other layer (tsconfig.core.json checks the types too).
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {patterns: [
        {group: NODE_MODULES, message: 'src/core runs in browsers and Node alike: no Node modules.'},
        {group: ['lit', 'lit/*', '@lit/*', 'qr-scanner', '@paulmillr/qr', '@getalby/*'], message: 'src/core has no DOM dependencies.'},
        {group: ['**/elements/**', '**/relay/**', '**/cli/**', '**/bridges/**', '**/testing/**', '**/node/**'], message: 'Dependencies point one way: other layers import the core, never the reverse.'},
      ]}],
      'no-restricted-globals': ['error', ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'Buffer', 'process', 'require', '__dirname'].map((name) => ({name, message: 'src/core uses web-platform globals only (src/core/platform.d.ts).'}))],
      'no-restricted-syntax': ['error',
        {selector: 'ImportExpression[source.type!="Literal"]', message: 'src/core imports only modules it names, so the platform rule can check them.'},
        {selector: 'ImportExpression[source.value=/^(node:|ws$)/]', message: 'src/core runs in browsers and Node alike: no Node modules.'},
      ],
    },
  },
  {
    files: ['src/relay/**/*.ts'],
    rules: {'no-restricted-imports': ['error', {patterns: [{group: ['**/cli/**', '**/elements/**', '**/bridges/**', '**/testing/**', 'lit', 'lit/*'], message: 'The relay library depends on the core only (the command is in src/cli).'}]}]},
  },
  {
    files: ['src/node/**/*.ts'],
    rules: {'no-restricted-imports': ['error', {patterns: [{group: ['**/relay/**', '**/cli/**', '**/elements/**', '**/bridges/**', '**/testing/**', 'lit', 'lit/*'], message: 'src/node gives the core what only Node has: it depends on the core only.'}]}]},
  },
  {
    files: ['src/elements/**/*.ts', 'src/bridges/**/*.ts'],
    rules: {'no-restricted-imports': ['error', {patterns: [{group: ['**/relay/**', '**/cli/**', '**/testing/**', ...NODE_MODULES], message: 'Browser code: it depends on the core, never on the relay, the CLI or Node.'}]}]},
  },
);
