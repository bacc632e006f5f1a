import { writeFileSync } from "node:fs"
import { inspect } from "node:util"

/**
 * Captures everything the app logs while a suite runs, so a test can grep it (e.g. for a
 * secret). Import it FIRST in a spec, before @medusajs/test-utils: Medusa's logger reads
 * LOG_LEVEL when it is loaded (jest.config.js sets "error"), and winston's console
 * transport binds console.log when it is built.
 *
 * Taps: process.stdout/stderr.write, console.{log,info,warn,error,debug} and the
 * console's own streams (winston writes to console._stdout/_stderr). Console output is
 * swallowed to keep the test output readable (LOG_CAPTURE_ECHO=true prints it); the
 * process streams pass through (jest's reporter writes there). LOG_CAPTURE_FILE=<path>
 * writes the capture to a file when the suite ends.
 */
export const capturedLogs: string[] = []

const previousLevel = process.env.LOG_LEVEL
process.env.LOG_LEVEL = process.env.LOG_CAPTURE_LEVEL || "debug"

const echo = process.env.LOG_CAPTURE_ECHO === "true"
const restorers: Array<() => void> = []

const text = (args: unknown[]) =>
  args
    .map((a) =>
      typeof a === "string"
        ? a
        : Buffer.isBuffer(a) || a instanceof Uint8Array
          ? Buffer.from(a).toString("utf8")
          : inspect(a, { depth: 10 })
    )
    .join(" ")

function tap(target: any, key: string, passThrough: boolean, isStream: boolean) {
  const original = target?.[key]
  if (typeof original !== "function") return
  target[key] = function (this: unknown, ...args: unknown[]) {
    // a stream's write(chunk, encoding?, callback?): only the chunk is log text
    capturedLogs.push(text(isStream ? args.slice(0, 1) : args))
    if (passThrough || echo) return original.apply(this, args)
    if (isStream) {
      const cb = args.find((a) => typeof a === "function") as (() => void) | undefined
      cb?.()
      return true
    }
    return undefined
  }
  restorers.push(() => {
    target[key] = original
  })
}

tap(process.stdout, "write", true, true)
tap(process.stderr, "write", true, true)
const consoleStreams = console as unknown as { _stdout?: unknown; _stderr?: unknown }
if (consoleStreams._stdout && consoleStreams._stdout !== process.stdout)
  tap(consoleStreams._stdout, "write", false, true)
if (consoleStreams._stderr && consoleStreams._stderr !== process.stderr)
  tap(consoleStreams._stderr, "write", false, true)
for (const method of ["log", "info", "warn", "error", "debug"]) tap(console, method, false, false)

/** Stops capturing and puts LOG_LEVEL back (call in afterAll). */
export function stopLogCapture() {
  while (restorers.length) restorers.pop()!()
  // LOG_CAPTURE_FILE=/tmp/x.log keeps what was captured, to read after the run
  if (process.env.LOG_CAPTURE_FILE) writeFileSync(process.env.LOG_CAPTURE_FILE, capturedLogs.join("\n"))
  if (previousLevel === undefined) delete process.env.LOG_LEVEL
  else process.env.LOG_LEVEL = previousLevel
}

/** The secrets (name → value) found in `haystack`; values shorter than 6 characters are not checked. */
export function findSecrets(haystack: string, secrets: Record<string, string | null | undefined>): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => typeof value === "string" && value.length >= 6 && haystack.includes(value))
    .map(([name]) => name)
}
