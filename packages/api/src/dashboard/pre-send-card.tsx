/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { PreSendCheck, PreSendCheckId, PreSendCheckStatus } from "@bulletin/core";

export const CHECK_STATUS_LABELS: Record<PreSendCheckStatus, string> = { pass: "通过", warn: "警告", fail: "未通过" };

export const CHECK_NAMES: Record<PreSendCheckId, string> = {
  "html-size": "邮件大小",
  links: "链接",
  placeholders: "占位符",
  "image-alt": "图片替代文字",
  "subject-length": "主题长度",
  dkim: "DKIM 签名",
};

/**
 * 发送前检查: every check of the issue's emails (all three tiers as a sample recipient gets them),
 * each with 通过 / 警告 / 未通过 and the reason. Everything is text, escaped by JSX.
 */
export function PreSendCard(props: { checks: readonly PreSendCheck[] }) {
  const failed = props.checks.filter((c) => c.status === "fail").length;
  const warned = props.checks.filter((c) => c.status === "warn").length;
  return (
    <section class="card" data-pre-send-checks>
      <h2>发送前检查</h2>
      <p class={failed ? "warn" : "muted"}>
        {failed
          ? `${failed} 项未通过${warned ? `，${warned} 项警告` : ""}：发送前请先处理。`
          : warned
            ? `全部通过，${warned} 项警告。`
            : "全部通过。"}
      </p>
      <ul class="checks">
        {props.checks.map((c) => (
          <li data-check={c.id} data-status={c.status}>
            <span class={`badge st-${c.status}`}>{CHECK_STATUS_LABELS[c.status]}</span> <b>{CHECK_NAMES[c.id]}</b>
            {"："}
            {c.reason}
          </li>
        ))}
      </ul>
    </section>
  );
}
