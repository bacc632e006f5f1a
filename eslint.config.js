// ESLint (flat config): eslint's and typescript-eslint's recommended rules, as Medusa's own
// repository uses them, with formatting left to Prettier (eslint-config-prettier turns the
// stylistic rules off; `npm run format:check` checks the formatting).
const js = require("@eslint/js")
const tseslint = require("typescript-eslint")
const reactHooks = require("eslint-plugin-react-hooks")
const prettier = require("eslint-config-prettier")
const globals = require("globals")

module.exports = tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".medusa/",
      ".demo/",
      ".cache/",
      "coverage/",
      "dist/",
      "integration-tests/host-app/node_modules/",
      "sandbox/dist/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      globals: { ...globals.node, ...globals.jest },
    },
    rules: {
      // Unused names are checked by the compiler (`npm run lint:unused`, tsc --noUnusedLocals
      // --noUnusedParameters), which also knows about types; Medusa's config turns these off too.
      "no-unused-vars": "off",
      "@typescript-eslint/no-unused-vars": "off",
      // Medusa's types force `any` at some boundaries (query.graph results, container resolves).
      "@typescript-eslint/no-explicit-any": "off",
      // Tests and benches require() the CommonJS helpers in scripts/ and load modules lazily;
      // Medusa's config allows require too.
      "@typescript-eslint/no-require-imports": "off",
      // `catch {}` marks a best-effort cleanup or probe.
      "no-empty": ["error", { allowEmptyCatch: true }],
      curly: ["error", "multi-line"],
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    // Node scripts, configs and the host-app proof are CommonJS.
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs" },
  },
  {
    // Functions passed to Playwright's page.evaluate run in the browser.
    files: ["integration-tests/browser/**/*.js"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ["src/admin/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
    },
  },
  prettier
)
