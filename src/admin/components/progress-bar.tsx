/** A plain progress bar (@medusajs/ui has none); `value` null = still counting. */
export const ProgressBar = ({ value, label }: { value: number | null; label?: string }) => {
  const pct = value === null ? null : Math.max(0, Math.min(100, Math.round(value)))
  return (
    <div className="flex flex-col gap-y-1">
      <div
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        aria-label={label ?? "progress"}
        className="bg-ui-bg-subtle h-2 w-full overflow-hidden rounded-full"
      >
        <div
          className={`bg-ui-fg-interactive h-full transition-all ${pct === null ? "w-1/3 animate-pulse" : ""}`}
          style={pct === null ? undefined : { width: `${pct}%` }}
        />
      </div>
      <span className="txt-compact-small text-ui-fg-subtle" data-testid="progress-text">
        {pct === null ? "starting…" : `${pct} %`}
      </span>
    </div>
  )
}
