import { model } from "@medusajs/framework/utils"

/** Customer e-mail → the TradeGecko company used for their orders (found by e-mail, else created once). */
const TradegeckoCustomerCache = model
  .define("tradegecko_customer_link", {
    id: model.id({ prefix: "tgcl" }).primaryKey(),
    email: model.text(),
    tradegecko_company_id: model.number(),
  })
  .indexes([{ on: ["email"], unique: true }])

export default TradegeckoCustomerCache
