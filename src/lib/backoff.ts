/**
 * Backoff of every automatic retry (order pushes, status changes, webhook deliveries,
 * reconciled orders): 30 s, 1, 2, 4 … minutes, at most one hour. Never given up.
 */
export function nextAttemptAt(attempts: number, now = new Date()) {
  const seconds = Math.min(30 * 2 ** Math.max(0, attempts - 1), 3600)
  return new Date(now.getTime() + seconds * 1000)
}
