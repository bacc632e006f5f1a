import { randomFillSync } from "node:crypto"

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const POOL_IDS = 1024
const pool = Buffer.alloc(POOL_IDS * 10)
let used = POOL_IDS

/**
 * A Medusa-style id (`prefix_` + a 26-character ULID: 48 bits of time in milliseconds,
 * 80 random bits), the shape Medusa's own `generateEntityId` gives, for rows this plugin
 * inserts in bulk. Random bytes are drawn 10 KiB at a time: Medusa's generator asks the
 * CSPRNG for one byte per character (16 calls an id), which profiled at a quarter of a
 * catalog import's CPU.
 */
export function newEntityId(prefix: string, now = Date.now()): string {
  if (used === POOL_IDS) {
    randomFillSync(pool)
    used = 0
  }
  let out = ""
  let time = now
  for (let i = 9; i >= 0; i--) {
    out = CROCKFORD[time % 32] + out
    time = Math.floor(time / 32)
  }
  // 80 random bits = 16 characters of 5 bits each
  const offset = used++ * 10
  let bits = 0
  let value = 0
  for (let i = 0; i < 10; i++) {
    value = (value << 8) | pool[offset + i]
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += CROCKFORD[(value >>> bits) & 31]
    }
    value &= (1 << bits) - 1
  }
  return `${prefix}_${out}`
}
