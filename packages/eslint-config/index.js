// The repository's ESLint flat config: typescript-eslint with type information (the project
// service reads each package's tsconfig.json) for TypeScript, the plain recommended rules for
// JavaScript, and eslint-config-prettier last (formatting is Prettier's job, not ESLint's).
//
// Rule set: ESLint's and typescript-eslint's `recommended`, plus what a CDK maintainer asks of a
// construct library — no unused code, no floating or misused promises, consistent type imports.
//
// TypeScript: the repository builds with TypeScript 7, which has no JavaScript API yet;
// typescript-eslint needs one (`typescript` < 6.1), so this package depends on TypeScript 6 and
// every `require('typescript')` in the ESLint process resolves to it (typescript-eslint's own
// packages already do, being installed under this package; ts-api-utils is hoisted to the root,
// where `typescript` is 7).
import Module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const typescript6 = require.resolve('typescript');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'typescript' ? typescript6 : resolveFilename.call(this, request, ...rest);
};

const { default: js } = await import('@eslint/js');
const { default: tseslint } = await import('typescript-eslint');
const { default: prettier } = await import('eslint-config-prettier');

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TS = ['**/*.ts', '**/*.mts', '**/*.cts'];
const JS = ['**/*.js', '**/*.mjs', '**/*.cjs'];

/** @type {import('eslint').Linter.Config[]} */
export default [
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/cdk.out/**',
      '**/.mesh/**',
      '**/.turbo/**',
      '**/coverage/**',
      '**/.tmp-*/**',
      '**/.venv/**',
      '**/*.d.ts',
      '**/*.d.mts',
      '**/*.d.cts',
      // generated code
      'packages/contracts/src/generated/**',
      'domains/*/products/*/producer/index.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: TS,
    languageOptions: {
      parserOptions: {
        // Each file's nearest tsconfig.json; generators/ has none (one test file): the base options.
        projectService: { allowDefaultProject: ['generators/test/*.ts'], defaultProject: 'tsconfig.base.json' },
        tsconfigRootDir: ROOT,
      },
    },
    rules: {
      // node:test's test()/describe() return promises the runner awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'only', 'skip', 'todo'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `typeof import('…')` stays allowed: the CLI and the runtime load heavy modules lazily.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/consistent-type-exports': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  {
    // The benchmarks belong to no tsconfig.json: linted without type information.
    files: ['bench/**'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, project: null } },
  },
  {
    files: [...TS, ...JS],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      'no-unused-private-class-members': 'error',
      'no-unreachable-loop': 'error',
    },
  },
  {
    // Small units (issue 18): a function reads on one screen, a file holds one idea. Lines of code
    // only (blank lines and comments, TSDoc included, do not count); tests and generated code exempt.
    files: ['packages/*/src/**/*.ts', 'generators/*.mjs', 'generators/lib/**/*.mjs'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    files: JS,
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        structuredClone: 'readonly',
        AbortController: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
      },
    },
  },
  prettier,
];
