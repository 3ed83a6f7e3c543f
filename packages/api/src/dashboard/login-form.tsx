/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The sign-in form: paste an API token (the same as the /api bearer tokens). `next` brings the
 * user back to the page that asked for a sign-in.
 *
 * @example
 * <LoginForm next="/admin/sends/abc" error="令牌无效" />
 */
export function LoginForm(props: { next?: string | undefined; error?: string | undefined }) {
  return (
    <section class="login card">
      <h1>登录简报管理</h1>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <form method="post" action="/admin/login">
        <input type="hidden" name="next" value={props.next ?? "/admin"} />
        <p>
          <label for="token">API 令牌</label>
          <input id="token" name="token" type="password" autocomplete="off" required placeholder="blt_…" />
        </p>
        <button type="submit">登录</button>
      </form>
      <p class="muted">令牌由管理员发放（npm start 首次启动时会打印管理员令牌）。登录 12 小时后需重新登录。</p>
    </section>
  );
}
