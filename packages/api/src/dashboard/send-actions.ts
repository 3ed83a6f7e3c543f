import { cancelSend, ConflictError, pauseSend, resumeSend, retryFailed } from "@bulletin/core";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import { type DashboardEnv, needs } from "./auth.tsx";
import { deliveriesToCsv } from "./deliveries-csv.ts";
import { type DeliveryRow, matchingRows, parseDeliveryFilter } from "./delivery-rows.ts";
import { redirectWith } from "./flash.ts";
import { notFound } from "./issue-pages.tsx";
import { SEND_CONTROLS, type SendControl } from "./send-page.tsx";

/**
 * POST /admin/sends/:id/{pause,resume,cancel,retry} (secretariat, through core's controls like the
 * API), and GET /admin/sends/:id/deliveries.csv, the recipient table's export with its filters.
 */
export function sendActions(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();
  const controls = { sends: deps.sends, deliveries: deps.deliveries, queue: deps.queue, clock: deps.clock };

  for (const action of Object.keys(SEND_CONTROLS) as SendControl[]) {
    app.post(`/admin/sends/:id/${action}`, needs("secretariat"), async (c) => {
      const id = c.req.param("id");
      if (!(await deps.sends.get(id))) return notFound(c, c.get("viewer"));
      const back = `/admin/sends/${encodeURIComponent(id)}`;
      try {
        if (action === "pause") await pauseSend(id, c.get("viewer").token.label, controls);
        else if (action === "cancel") await cancelSend(id, controls);
        else if (action === "resume") await resumeSend(id, controls);
        else await retryFailed(id, controls);
      } catch (e) {
        // Someone (or the sender) changed the send since the page was drawn: show it as it is now.
        if (e instanceof ConflictError) return redirectWith(c, back, { failed: "conflict" });
        throw e;
      }
      return redirectWith(c, back, { done: action });
    });
  }

  app.get("/admin/sends/:id/deliveries.csv", async (c) => {
    const id = c.req.param("id");
    if (!(await deps.sends.get(id))) return notFound(c, c.get("viewer"));
    const rows: DeliveryRow[] = [];
    for await (const page of matchingRows(deps, id, parseDeliveryFilter(c.req.query()))) rows.push(...page);
    const name = `deliveries-${id.replace(/[^A-Za-z0-9-]/g, "_")}.csv`;
    return c.body(deliveriesToCsv(rows), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
    });
  });
  return app;
}
