import { execFileSync } from "node:child_process"

export const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379"

/** Synchronous TCP probe (test files decide at load time whether to run). */
function redisAnswers(url: string): boolean {
  const { hostname, port } = new URL(url)
  const probe =
    `const s=require("net").connect(${Number(port || 6379)},${JSON.stringify(hostname || "127.0.0.1")});s.setTimeout(1500);` +
    `s.on("connect",()=>{s.write("PING\\r\\n")});s.on("data",d=>{process.exit(String(d).startsWith("+PONG")?0:1)});` +
    `s.on("error",()=>process.exit(1));s.on("timeout",()=>process.exit(1))`
  try {
    execFileSync(process.execPath, ["-e", probe], { stdio: "ignore", timeout: 5000 })
    return true
  } catch {
    return false
  }
}

/**
 * Runs the suite when Redis answers; otherwise skips it and says why. With CI=true a
 * missing Redis is a failure, never a skip.
 */
export function describeWithRedis(name: string, fn: () => void) {
  if (redisAnswers(REDIS_URL)) {
    describe(name, fn)
    return
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      it("needs Redis", () => {
        throw new Error(`CI=true but Redis does not answer at ${REDIS_URL}: .ci/run should have started redis-server`)
      })
    })
    return
  }
  process.stderr.write(
    `\n[tests] SKIPPED "${name}": Redis does not answer at ${REDIS_URL} (set REDIS_URL or start redis-server)\n`
  )
  describe.skip(name, fn)
}
