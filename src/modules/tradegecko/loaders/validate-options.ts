import type { LoaderOptions } from "@medusajs/framework/types"
import { parseOptions } from "../options"

/** Fails boot (and names the option) when the plugin options are invalid. */
export default async function validateOptionsLoader({ options }: LoaderOptions) {
  parseOptions(options)
}
