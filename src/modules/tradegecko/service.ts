import { MedusaService } from "@medusajs/framework/utils"
import TradegeckoSyncRun from "./models/sync-run"
import { parseOptions, type TradegeckoOptions } from "./options"

/**
 * The TradeGecko module: holds the validated plugin options and the link state
 * (sync runs, later id mappings) in Postgres. Routes, jobs and subscribers read
 * options through `getOptions()` because Medusa does not hand plugin options to them.
 */
class TradegeckoModuleService extends MedusaService({ TradegeckoSyncRun }) {
  protected readonly options_: TradegeckoOptions

  constructor(container: Record<string, unknown>, options: unknown) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.options_ = parseOptions(options)
  }

  getOptions(): TradegeckoOptions {
    return this.options_
  }

  /** The most recent sync run, optionally of one kind. */
  async getLatestSyncRun(kind?: string) {
    const [run] = await this.listTradegeckoSyncRuns(kind ? { kind: kind as never } : {}, {
      order: { started_at: "DESC" },
      take: 1,
    })
    return run ?? null
  }
}

export default TradegeckoModuleService
