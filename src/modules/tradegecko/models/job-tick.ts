import { model } from "@medusajs/framework/utils"

/**
 * One claimed tick of one of the plugin's scheduled jobs. The unique (job, tick_at) index
 * makes each tick run once across every server and worker instance: the instance whose
 * insert succeeds runs it, the others skip (Medusa's own `concurrency: "forbid"` is not
 * enforced across instances). See src/lib/scheduled-tick.ts.
 */
const TradegeckoJobTick = model
  .define("tradegecko_job_tick", {
    id: model.id({ prefix: "tgtick" }).primaryKey(),
    job: model.text(),
    tick_at: model.dateTime(),
    /** host:pid of the instance that ran it (for the operator). */
    claimed_by: model.text(),
  })
  .indexes([{ on: ["job", "tick_at"], unique: true }])

export default TradegeckoJobTick
