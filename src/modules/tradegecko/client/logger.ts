/**
 * Minimal logger contract (compatible with Medusa's `Logger` and `console`): every
 * method takes one message string. All methods are optional in the client options.
 */
export interface TradegeckoLogger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

export type TradegeckoLoggerInput = Partial<TradegeckoLogger>

const noop = (): void => undefined

export function normalizeLogger(input: TradegeckoLoggerInput | undefined): TradegeckoLogger {
  const bind = (fn: ((message: string) => void) | undefined): ((message: string) => void) =>
    typeof fn === "function" ? (message: string) => fn.call(input, message) : noop
  return {
    debug: bind(input?.debug),
    info: bind(input?.info),
    warn: bind(input?.warn),
    error: bind(input?.error),
  }
}
