import { model } from "@medusajs/framework/utils"

/**
 * The credential of the connection made on the admin settings page (a pasted privileged
 * token, or an OAuth pair), kept apart from the merchant's settings. One row per store;
 * never returned by any route. A plugin option `privilegedToken` wins over it.
 */
const TradegeckoConnectionToken = model.define("tradegecko_connection_token", {
  id: model.id({ prefix: "tgtok" }).primaryKey(),
  /** "oauth" or "privileged_token"; null: not connected from the admin (plugin options may still hold a token). */
  connection_type: model.text().nullable(),
  /** A privileged token pasted on the settings page. */
  privileged_token: model.text().nullable(),
  /** OAuth pair; the refresh token rotates on every refresh, so each new pair is saved before use. */
  oauth_access_token: model.text().nullable(),
  oauth_refresh_token: model.text().nullable(),
  oauth_expires_at: model.dateTime().nullable(),
  connected_at: model.dateTime().nullable(),
})

export default TradegeckoConnectionToken
