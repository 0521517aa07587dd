// ESLint (flat config) for kenshu's browser scripts: theme/static/*.js
// (written to every site's assets/), theme/serve/live.js (kenshu serve's
// live-reload client) and generator/src/package/scorm.js (the SCORM
// package's runtime).
// `cargo test -p kenshu-e2e --test lint` runs it with the versions pinned in
// tests/support/eslint.rs (installed with npm into target/eslint/<version>/).
//
// The scripts are classic scripts (no modules, no build step) that share a
// page's global scope with each other. Beyond ESLint's recommended rules:
// every name must be declared (a browser's globals only), nothing leaks into
// `window` by accident, the window's properties that are easy to use by
// mistake (`status`, `name`, `close`, `open`, …) are not read as bare names,
// and a few rules for real mistakes in `var`-style code.
import js from "@eslint/js";
import globals from "globals";

// Properties of `window` that a missing declaration silently turns into: a
// script that means them writes `window.status`.
const confusingGlobals = [
  "blur", "close", "closed", "event", "external", "find", "focus", "frames",
  "length", "name", "open", "opener", "origin", "parent", "print", "screen",
  "scroll", "self", "status", "stop", "top",
];

export default [
  { ignores: ["target/**", "public/**", "**/node_modules/**"] },
  js.configs.recommended,
  {
    files: ["theme/**/*.js", "generator/src/package/*.js"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "script",
      globals: { ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `catch (e) { /* why */ }` is how the scripts ignore an error on purpose.
      "no-unused-vars": ["error", { caughtErrors: "none" }],
      // A top-level `var` or function would be a property of `window`,
      // shared with (and overwritten by) the page's other scripts.
      "no-implicit-globals": "error",
      "no-restricted-globals": [
        "error",
        ...confusingGlobals.map((name) => ({
          name,
          message: `this is window.${name}: declare the variable, or write window.${name} if it is meant.`,
        })),
      ],
      // Each script's function is strict ("use strict" once, at its top).
      strict: ["error", "function"],
      eqeqeq: ["error", "smart"],
      radix: "error",
      // A closure made in a loop that reads a `var` the loop changes.
      "no-loop-func": "error",
      "block-scoped-var": "error",
      "array-callback-return": "error",
      "no-unused-expressions": ["error", { allowShortCircuit: true, allowTernary: true }],
      "no-sequences": "error",
      "no-self-compare": "error",
      "no-unmodified-loop-condition": "error",
      "no-unreachable-loop": "error",
      "no-promise-executor-return": "error",
      "default-case-last": "error",
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-script-url": "error",
    },
  },
];
