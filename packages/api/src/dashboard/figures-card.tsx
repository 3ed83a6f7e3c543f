/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type Figure, OWN_IMAGE_SRC, type StoredIssue } from "@bulletin/core";
import { Csrf, PostButton, type Viewer } from "./layout.tsx";
import { hasRole } from "./roles.ts";

/** Alt text and captions: one line of at most this many characters (as the Issue JSON allows). */
export const FIGURE_TEXT_MAX = 200;

/** Every figure of an issue, with the article's number (1-based across the issue) and its place in it. */
export function figureList(issue: StoredIssue): { article: number; title: string; index: number; figure: Figure }[] {
  let n = 0;
  return issue.issue.sections.flatMap((s) =>
    s.articles.flatMap((a) => {
      n++;
      const article = n;
      return (a.figures ?? []).map((figure, index) => ({ article, title: a.title || "（无标题）", index, figure }));
    }),
  );
}

/**
 * The issue's photos (图片): each with its picture, where it stands, its alt text and caption. The
 * secretariat edits those or removes the photo before sending; the previews show the result.
 */
export function FiguresCard(props: { viewer: Viewer; issue: StoredIssue }) {
  const figures = figureList(props.issue);
  if (figures.length === 0) return null;
  const edit = hasRole(props.viewer.token.role, "secretariat");
  const id = encodeURIComponent(props.issue.id);
  return (
    <section class="card" data-figures>
      <h2>{`图片（${figures.length} 张）`}</h2>
      <p class="muted">邮件和网页版在原位置显示这些图片。发送前可修改说明文字，或删除不合适的图片。</p>
      {figures.map(({ article, title, index, figure }) => {
        const action = `/admin/issues/${id}/figures/${article}/${index}`;
        const src = OWN_IMAGE_SRC.test(figure.src) ? `/archive/${id}/${figure.src}` : figure.src;
        return (
          <div class="figure-row" data-figure={`${article}/${index}`}>
            <img src={src} alt={figure.alt} width={Math.min(160, figure.width)} loading="lazy" />
            <div class="grow">
              <p class="muted">{`第 ${article} 篇《${title}》，${figure.afterParagraph < 0 ? "正文之前" : `第 ${figure.afterParagraph + 1} 段之后`} · ${figure.width}×${figure.height}`}</p>
              <form method="post" action={action} class="filters">
                <Csrf viewer={props.viewer} />
                <label>
                  替代文字（图片无法显示时代替图片）
                  <input
                    type="text"
                    name="alt"
                    value={figure.alt}
                    maxlength={FIGURE_TEXT_MAX}
                    required
                    disabled={!edit}
                  />
                </label>
                <label>
                  图片说明（显示在图片下方，可留空）
                  <input
                    type="text"
                    name="caption"
                    value={figure.caption ?? ""}
                    maxlength={FIGURE_TEXT_MAX}
                    disabled={!edit}
                  />
                </label>
                {edit && <button type="submit">保存说明</button>}
              </form>
              {edit && (
                <PostButton viewer={props.viewer} action={`${action}/remove`} label="删除这张图片" kind="danger" />
              )}
            </div>
          </div>
        );
      })}
    </section>
  );
}
