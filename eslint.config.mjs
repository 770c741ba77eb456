// ESLint for the program, the policy pack and the tests: recommended JavaScript and
// typescript-eslint rules. Formatting is left to Prettier.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".venv-test/", "**/node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", console: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // Tests read untyped JSON from the AWS CLI and the mock engine.
      "@typescript-eslint/no-explicit-any": "off",
      // The program under test is loaded after the mocks are set, as Pulumi's docs do.
      "@typescript-eslint/no-require-imports": "off",
    },
  },
);
