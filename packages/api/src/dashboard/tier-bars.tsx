/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type DeliveryStatus, TIER_LABELS, TIERS, type Tier, type Totals } from "@bulletin/core";
import { DELIVERY_COLOURS, DELIVERY_LABELS, percent } from "./labels.ts";

const STACK = Object.keys(DELIVERY_LABELS) as DeliveryStatus[];
const BAR = { x: 48, width: 520, height: 24, gap: 14 } as const;

/** SES puts an account under review at these rates (bounces or complaints over messages sent). */
export const SES_REVIEW = { bounce: 0.05, complaint: 0.001 } as const;

const sum = (t: Totals) => STACK.reduce((n, s) => n + t[s], 0);

/**
 * Bounce and complaint rates as SES counts them: over what SES accepted (sent, and what sent became).
 *
 * @example
 * reputation({ ...emptyTotals(), sent: 95, bounced: 5 }).bounce; // 0.05
 */
export function reputation(t: Totals): { accepted: number; bounce: number; complaint: number } {
  const accepted = t.sent + t.delivered + t.bounced + t.complained;
  return { accepted, bounce: accepted ? t.bounced / accepted : 0, complaint: accepted ? t.complained / accepted : 0 };
}

/**
 * One stacked bar per tier (inline SVG, no script): each status a segment as wide as its share of
 * the tier, with a legend and the counts as a table beneath for exact numbers.
 *
 * @example
 * <TierBars byTier={progress.byTier} />
 */
export function TierBars(props: { byTier: Record<Tier, Totals> }) {
  const height = TIERS.length * (BAR.height + BAR.gap);
  return (
    <figure class="card" style="margin:0 0 1em">
      <svg
        role="img"
        aria-label="各层级投递状态"
        viewBox={`0 0 640 ${height}`}
        width="100%"
        style="max-width:760px;display:block"
      >
        {TIERS.map((tier, i) => {
          const t = props.byTier[tier];
          const total = sum(t);
          const y = i * (BAR.height + BAR.gap);
          let x: number = BAR.x;
          return (
            <g data-tier={tier} data-total={total}>
              <text x="0" y={y + 17} font-size="15">
                {TIER_LABELS[tier]}
              </text>
              <rect x={BAR.x} y={y} width={BAR.width} height={BAR.height} fill="#f1f1f1" stroke="#ddd" />
              {STACK.filter((s) => t[s] > 0).map((s) => {
                const w = (t[s] / total) * BAR.width;
                const rect = (
                  <rect
                    data-status={s}
                    data-count={t[s]}
                    x={x.toFixed(2)}
                    y={y}
                    width={w.toFixed(2)}
                    height={BAR.height}
                    fill={DELIVERY_COLOURS[s]}
                  >
                    <title>{`${TIER_LABELS[tier]} · ${DELIVERY_LABELS[s]} ${t[s]}（${percent(t[s] / total)}）`}</title>
                  </rect>
                );
                x += w;
                return rect;
              })}
              <text x={BAR.x + BAR.width + 8} y={y + 17} font-size="14">
                {total}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">
        {STACK.map((s) => (
          <span>
            <i style={`background:${DELIVERY_COLOURS[s]}`}></i>
            {DELIVERY_LABELS[s]}
          </span>
        ))}
      </figcaption>
      <div class="scroll">
        <table class="tier-totals">
          <thead>
            <tr>
              <th>层级</th>
              {STACK.map((s) => (
                <th class="num">{DELIVERY_LABELS[s]}</th>
              ))}
              <th class="num">合计</th>
            </tr>
          </thead>
          <tbody>
            {TIERS.map((tier) => (
              <tr data-tier={tier}>
                <th>{TIER_LABELS[tier]}</th>
                {STACK.map((s) => (
                  <td class="num" data-status={s}>
                    {props.byTier[tier][s]}
                  </td>
                ))}
                <td class="num">{sum(props.byTier[tier])}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-tier="all">
              <th>合计</th>
              {STACK.map((s) => (
                <td class="num" data-status={s}>
                  {TIERS.reduce((n, tier) => n + props.byTier[tier][s], 0)}
                </td>
              ))}
              <td class="num">{TIERS.reduce((n, tier) => n + sum(props.byTier[tier]), 0)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </figure>
  );
}

/**
 * The bounce and complaint rates against SES's review thresholds, in the warning style when reached.
 *
 * @example
 * <ReputationLine totals={progress.totals} />
 */
export function ReputationLine(props: { totals: Totals }) {
  const r = reputation(props.totals);
  const line = (name: string, rate: number, limit: number, kind: string) => (
    <span class={rate >= limit ? "warn" : "ok"} data-rate={kind}>
      {`${name} ${percent(rate)}（SES 审查阈值 ${percent(limit)}）`}
      {rate >= limit ? " ⚠ 已达到或超过阈值" : ""}
    </span>
  );
  return (
    <p class="card">
      {line("退信率", r.bounce, SES_REVIEW.bounce, "bounce")}
      {" · "}
      {line("投诉率", r.complaint, SES_REVIEW.complaint, "complaint")}
      <span class="muted">{` · 以 SES 已接收的 ${r.accepted} 封计`}</span>
    </p>
  );
}
