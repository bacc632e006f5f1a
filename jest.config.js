// One jest config for every suite. TEST_TYPE picks a subset:
//   unit     -> sandbox/ and src/**/__tests__ (no database)
//   modules  -> integration-tests/modules (moduleIntegrationTestRunner, Postgres)
//   http     -> integration-tests/http (medusaIntegrationTestRunner, Postgres)
//   redis    -> integration-tests/redis (Postgres + Redis; skipped with a printed reason when
//               Redis is unreachable, a failure when CI=true)
//   (unset)  -> all of them, which is what `npm test` runs.
const { loadEnv } = require("@medusajs/framework/utils")

// Medusa logs every boot step; keep test output readable (override with LOG_LEVEL=info).
process.env.LOG_LEVEL = process.env.LOG_LEVEL || "error"
process.env.MEDUSA_DISABLE_TELEMETRY = "true"
// Tests start catalog runs themselves (the job's handler is tested directly), so the
// every-minute scheduler must not start one in the middle of a test.
process.env.TRADEGECKO_SYNC_SCHEDULE = process.env.TRADEGECKO_SYNC_SCHEDULE || "off"
loadEnv("test", process.cwd())

const matchers = {
  unit: ["<rootDir>/sandbox/**/__tests__/**/*.spec.ts", "<rootDir>/src/**/__tests__/**/*.spec.ts"],
  modules: ["<rootDir>/integration-tests/modules/**/*.spec.ts"],
  http: ["<rootDir>/integration-tests/http/**/*.spec.ts"],
  redis: ["<rootDir>/integration-tests/redis/**/*.spec.ts"],
}

const type = process.env.TEST_TYPE
const testMatch = type ? matchers[type] : [...matchers.unit, ...matchers.modules, ...matchers.http, ...matchers.redis]
if (!testMatch) {
  throw new Error(`Unknown TEST_TYPE "${type}". Use one of: ${Object.keys(matchers).join(", ")}`)
}

module.exports = {
  transform: {
    "^.+\\.[jt]sx?$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript", tsx: true, decorators: true }, target: "es2021" } },
    ],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/", "<rootDir>/integration-tests/host-app/"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/integration-tests/host-app/"],
  setupFiles: ["<rootDir>/integration-tests/setup.js"],
  globalSetup: "<rootDir>/integration-tests/global-setup.js",
  globalTeardown: "<rootDir>/integration-tests/global-teardown.js",
  testMatch,
  testTimeout: 120000,
  // npm test runs two test files at a time, each in a worker process that is replaced once it holds this much
  // memory after a file (one process running every suite in band ran out of heap).
  workerIdleMemoryLimit: "1536MB",
}
