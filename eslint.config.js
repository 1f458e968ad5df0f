// Lint rules double as architecture checks: the import restrictions below keep
// core/ free of Electron and React, and keep the renderer off Node and off core
// internals (it may use only the API contract and the pure display algorithms).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'react', 'react-dom', 'zustand', '@xyflow/*'], message: 'core/ must not depend on Electron or React.' },
          { group: ['**/electron/**', '**/renderer/**', '**/cli/**'], message: 'core/ imports nothing from electron/, renderer/ or cli/.' },
        ],
      }],
    },
  },
  {
    files: ['core/api/**/*.ts', 'core/display/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'worker_threads', 'better-sqlite3'], message: 'core/api and core/display are shared with the renderer: no Node modules.' },
          { group: ['electron', 'react', 'react-dom'], message: 'core/ must not depend on Electron or React.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'electron', 'better-sqlite3'], message: 'The renderer runs in a browser sandbox.' },
          { regex: '^(\\.\\./)+core/(?!api/|display/)', message: 'The renderer reaches core only through the API contract (core/api) and the pure display algorithms (core/display).' },
        ],
      }],
    },
  },
);
