// Lint rules for the whole repository: TypeScript (type-aware where the code is ours),
// Svelte components, and prettier owning the formatting.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['node_modules/', 'client/dist/', '.data/', 'bench-results/', 'test-results/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // unused names are an error, except the ones a destructuring leaves out on purpose
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
      // {' · '} keeps the spaces around a separator next to an {#if} block
      'svelte/no-useless-mustaches': 'off',
    },
  },
  // One-way dependencies (issue 13): contract ← core ← geodata and server; the client
  // reads only the contract. A layer importing from a later one fails the lint. Import
  // cycles between files are caught by test/unit/architecture.test.ts.
  ...boundaries([
    { files: ['contract/**/*.ts'], forbid: ['core', 'server', 'geodata', 'client'], node: true },
    { files: ['core/**/*.ts'], forbid: ['server', 'geodata', 'client'] },
    { files: ['geodata/**/*.ts'], forbid: ['server', 'client'] },
    // server/main.ts is the composition root: at first start it runs the reference import
    { files: ['server/**/*.ts'], ignores: ['server/main.ts'], forbid: ['geodata', 'client'] },
    { files: ['client/**/*.ts', 'client/**/*.svelte'], forbid: ['core', 'server', 'geodata'] },
  ]),
  {
    // tests read JSON answers whose shape is what they assert
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['client/**/*.ts', 'client/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
);

/** no-restricted-imports per folder: `forbid` names top-level folders this one may not import. */
function boundaries(rules) {
  return rules.map(({ files, ignores, forbid, node }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbid.map((dir) => ({
              regex: `^(\\.\\./)+${dir}/`,
              message: `Dépendance à sens unique : ce dossier ne doit pas importer ${dir}/ (voir eslint.config.js).`,
            })),
            ...(node ? [{ regex: '^node:', message: 'Le contrat est partagé avec le navigateur : pas de module Node.' }] : []),
          ],
        },
      ],
    },
  }));
}
