/**
 * Plugin options for this suite's app: medusa-config.ts reads these variables when the
 * test runner boots the app, so call this at the top of the spec file. The previous values
 * come back after the suite, for the suites that run next in the same process.
 */
export function useAppEnv(vars: Record<string, string>) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]))
  Object.assign(process.env, vars)
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })
}
