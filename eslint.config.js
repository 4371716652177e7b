// Lint rules beyond the type checker: likely bugs, not formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from './scripts/eslint-boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'public/assets/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      // Migrations run on `Kysely<any>`: they describe the schema as it was, not as the types say it is now.
      '@typescript-eslint/no-explicit-any': 'off',
      // Modules name their permissions by extending core's PermissionNames from their own table.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='style']", message: 'Inline styles break the CSP; use a class.' },
      ],
    },
  },
  {
    files: ['src/core/mail/**', 'src/modules/*/emails/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.mjs', 'bench/**', 'scripts/**', 'bin/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', AbortController: 'readonly', performance: 'readonly', URLSearchParams: 'readonly' } },
  },
  // The layering of src/ (README.md, "Boundaries"): each rule names where it applies.
  { plugins: { boundaries } },
  {
    files: ['src/core/**/*.{ts,tsx}'],
    rules: { 'boundaries/core-imports-module': 'error' },
  },
  {
    files: ['src/modules/**/*.{ts,tsx}', 'src/*.{ts,tsx}'],
    rules: { 'boundaries/module-imports-module': 'error' },
  },
  {
    files: ['src/client/**/*.{ts,tsx}'],
    rules: {
      'boundaries/client-imports-server': [
        'error',
        {
          allow: [
            { from: 'leaflet' },
            // The JSON shapes of WebAuthn options the server sends; types only, nothing of it is bundled.
            { from: '@simplewebauthn/server', typeOnly: true },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*routes.{ts,tsx}'],
    rules: { 'boundaries/route-imports-repo': 'error' },
  },
  {
    files: ['src/client/**'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', indexedDB: 'readonly', self: 'readonly', caches: 'readonly', fetch: 'readonly', location: 'readonly' } },
  },
);
