import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import {
  recordDeliveryOutcome,
  type DeliveryOutcome,
  type DeliveryOutcomeFields,
} from "../../../lib/webhook-deliveries"

export interface RecordWebhookOutcomeInput {
  id: string
  outcome: DeliveryOutcome
}

/**
 * Writes the outcome on the delivery (status, error, attempts, next attempt).
 * Compensation: the delivery's previous fields are restored.
 */
export const recordWebhookOutcomeStep = createStep(
  "record-tradegecko-webhook-outcome",
  async (input: RecordWebhookOutcomeInput, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const [before] = await tradegecko.listTradegeckoWebhookDeliveries({ id: input.id })
    if (!before) return new StepResponse(null, null)
    const after = await recordDeliveryOutcome(container, before, input.outcome)
    const undo: DeliveryOutcomeFields = {
      id: before.id,
      status: before.status,
      error: before.error,
      attempts: before.attempts,
      next_attempt_at: before.next_attempt_at,
      run_id: before.run_id,
    }
    return new StepResponse(after, undo)
  },
  async (undo, { container }) => {
    if (!undo) return
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    await tradegecko.updateTradegeckoWebhookDeliveries({
      ...undo,
      next_attempt_at: undo.next_attempt_at ? new Date(undo.next_attempt_at) : null,
    })
  }
)
