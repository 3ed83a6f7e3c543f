/**
 * The dashboard's whole stylesheet, inline in every page: no CDN, no web font, works offline.
 * System CJK fonts as in the email; one breakpoint so tables scroll instead of squeezing on a phone.
 */
export const DASHBOARD_CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',system-ui,sans-serif;color:#1f1f1f;background:#f6f6f4;line-height:1.6}
header{background:#8b1a1a;color:#fff}
header nav{max-width:1100px;margin:0 auto;display:flex;flex-wrap:wrap;align-items:center;gap:.25em 1.2em;padding:.6em 1em}
header a{color:#fff;text-decoration:none}header a:hover{text-decoration:underline}
header .brand{font-weight:bold;margin-right:1em}
header .who{margin-left:auto;display:flex;gap:.8em;align-items:center;font-size:.9em}
header .who button{background:transparent;color:#fff;border:1px solid #fff8;padding:.1em .8em}
main{max-width:1100px;margin:0 auto;padding:1em}
h1{font-size:1.4em;margin:.4em 0 .6em}h2{font-size:1.15em;margin:1.4em 0 .5em}
a{color:#8b1a1a}
.card{background:#fff;border:1px solid #e0ddd8;border-radius:6px;padding:1em;margin-bottom:1em}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.92em}
th,td{border-bottom:1px solid #e8e5e0;padding:.4em .6em;text-align:left;vertical-align:top}
th{background:#f0ede8;white-space:nowrap}
td.nowrap{white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
form.inline{display:inline}
.filters{display:flex;flex-wrap:wrap;gap:.5em;align-items:end}
.filters label{display:flex;flex-direction:column;font-size:.85em}
input,select,textarea,button{font:inherit}
input[type=text],input[type=password],input[type=search],select,textarea{padding:.35em .5em;border:1px solid #bbb;border-radius:4px;background:#fff}
textarea{width:100%;min-height:16em;font-family:ui-monospace,monospace}
button,.button{display:inline-block;padding:.35em 1em;border:0;border-radius:4px;background:#8b1a1a;color:#fff;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#5f6b7a}
button.danger{background:#b71c1c}
.actions{display:flex;flex-wrap:wrap;gap:.5em;margin:.8em 0}
.notice{padding:.6em 1em;border-radius:4px;background:#e8f5e9;border:1px solid #a5d6a7}
.error{padding:.6em 1em;border-radius:4px;background:#ffebee;border:1px solid #ef9a9a}
.warn{color:#b71c1c;font-weight:bold}
.ok{color:#2e7d32}
.badge{display:inline-block;padding:0 .5em;border-radius:3px;background:#eee;font-size:.85em;white-space:nowrap}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(9em,1fr));gap:.6em}
.stats div{background:#fff;border:1px solid #e0ddd8;border-radius:6px;padding:.5em .8em}
.stats b{display:block;font-size:1.3em}
.legend{display:flex;flex-wrap:wrap;gap:.3em 1em;font-size:.85em}
.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em}
.pager{display:flex;gap:1em;margin:.8em 0}
iframe.preview{width:100%;height:80vh;border:1px solid #ccc;background:#fff}
.login{max-width:26em;margin:4em auto}
.login input{width:100%}
.muted{color:#666;font-size:.9em}
input.secret{width:100%;font-family:ui-monospace,monospace}
form.settings label{display:block;font-weight:bold}form.settings input[type=text],form.settings input[type=email]{width:100%;max-width:40em}
textarea.short{min-height:5em;font-family:inherit;max-width:40em}
.hint{display:block}
fieldset{border:0;padding:0;margin:0 0 .6em}legend{font-weight:bold;margin-bottom:.3em}
label.check{display:block;margin:.3em 0}
.grow{flex-basis:100%}
form.masthead input{width:12em}
.figure-row{display:flex;flex-wrap:wrap;gap:.8em;align-items:flex-start;padding:.6em 0;border-top:1px solid #eee}
.figure-row img{max-width:160px;height:auto;border:1px solid #ddd}
.figure-row input[type=text]{width:20em;max-width:100%}
input[type=email],input[type=date],input[type=number]{padding:.35em .5em;border:1px solid #bbb;border-radius:4px;background:#fff}
.card h2:first-of-type{margin-top:0}
ul.checks{list-style:none;padding:0;margin:0}ul.checks li{padding:.4em 0;border-top:1px solid #eee;overflow-wrap:anywhere}
.badge.st-pass{background:#e8f5e9;color:#1b5e20}.badge.st-warn{background:#fff3e0;color:#8a4b00}.badge.st-fail{background:#b71c1c;color:#fff}
form.test-form label[for]{display:block}
@media (max-width:640px){header .who{margin-left:0}main{padding:.5em}th,td{padding:.3em}.scroll>table{min-width:36em}}
`;
