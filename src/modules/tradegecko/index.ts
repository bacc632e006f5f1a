import { Module } from "@medusajs/framework/utils"
import validateOptionsLoader from "./loaders/validate-options"
import TradegeckoModuleService from "./service"

export const TRADEGECKO_MODULE = "tradegecko"

export default Module(TRADEGECKO_MODULE, {
  service: TradegeckoModuleService,
  loaders: [validateOptionsLoader],
})

export type { TradegeckoOptions, TradegeckoOptionsInput } from "./options"
export { TradegeckoModuleService }
