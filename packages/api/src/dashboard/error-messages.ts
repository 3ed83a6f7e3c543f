import { BulletinError, ImportError } from "@bulletin/core";

type Details = Readonly<Record<string, string | number>>;
type Message = string | ((d: Details) => string);

/** The CSV's column names in the secretariat's words. */
const COLUMNS: Record<string, string> = {
  email: "邮箱",
  name: "姓名",
  organization: "单位",
  tier: "层级",
  role: "职务",
};
const column = (d: Details) => COLUMNS[String(d.column)] ?? String(d.column ?? "");

/** "第 12 行" when the error knows its line. */
const atLine = (d: Details) => (d.line === undefined ? "" : `（第 ${d.line} 行）`);

const SAVE_AS_UTF8 =
  "在 Excel 中可用“另存为 → CSV UTF-8（逗号分隔）”，记事本可用“另存为 → 编码 UTF-8”，然后重新上传；也可以在上方指定文件编码。";

/**
 * Every error code that can reach a Chinese user, in the secretariat's words. Core, the adapters and
 * the API speak in codes (`import.empty`, `text.undetectable`, …) and English for developers; the
 * dashboard says it here. To add a code, add a line: a fixed text, or a function of the error's
 * `details` (a line number, a field). A code missing here still reads as Chinese (see errorMessage).
 */
export const ERROR_MESSAGES: Record<string, Message> = {
  // Reading text: core's decodeText (recipient CSV, bulletin text)
  "text.charset-unknown": (d) => `无法识别所指定的文件编码“${d.charset ?? ""}”。请选择 UTF-8 或 GBK（GB18030）。`,
  "text.bom-mismatch": "文件开头的编码标记与所指定的编码不一致，未导入。请改选“自动识别”后重试。",
  "text.invalid": (d) =>
    `文件内容不是所指定的 ${String(d.encoding ?? "").toUpperCase()} 编码${atLine(d)}，未导入任何内容。请改选“自动识别”，或${SAVE_AS_UTF8}`,
  "text.undetectable": (d) =>
    `无法识别文件编码${atLine(d)}：它既不是 UTF-8，也不是 GBK/GB18030 中文文本，未导入任何内容。${SAVE_AS_UTF8}`,
  "text.replacement-char": (d) =>
    `文件中有乱码字符“�”${atLine(d)}，说明它在之前的转换中已经损坏，未导入。请从原始文件重新导出。`,
  // Importing an issue: core's importers
  "import.empty": "文件是空的，没有可导入的内容。",
  "import.binary":
    "这不是文本文件（可能是 Word、压缩包或其他二进制文件）。请另存为纯文本（.txt）或 Markdown 后再导入。",
  "import.pdf": "这是 PDF 文件，请在“格式”中选择“自动识别”或“PDF 原件”后上传。",
  "import.pdf-encrypted": "这个 PDF 设置了打开密码，无法读取。请在 WPS 或 Word 中另存一份不带密码的 PDF 后再导入。",
  "import.pdf-damaged": "这个 PDF 已损坏或不是有效的 PDF，无法读取。请从 Word 或 WPS 重新导出 PDF 后再导入。",
  "import.pdf-no-text":
    "这个 PDF 里只有图片、没有文字（扫描件）。系统读取的是 PDF 中的文字，扫描件读不出内容。请上传由 Word 或 WPS 导出的 PDF。",
  "import.too-large": "PDF 超过 30 MB，无法导入。请压缩其中的图片后重新导出。",
  "upload.not-found": "找不到上传的文件：可能已过期或已导入，请重新上传。",
  "upload.invalid": "上传信息无效，请重新上传。",
  "upload.size-invalid": "文件大小无效，请重新选择文件。",
  "import.not-a-bulletin":
    "内容看起来不是简报：没有找到中文标题、【栏目】或正文段落。请检查上传或粘贴的是否是简报本身。",
  "import.markdown": (d) => `Markdown 格式有误${atLine(d)}。请对照导出的 Markdown 格式修改后重新导入。`,
  "import.json-syntax": "JSON 格式有误，无法读取。",
  "import.json-shape": (d) => `JSON 内容不符合简报格式（Issue JSON）${d.where ? `，问题在 ${d.where}` : ""}。`,
  "issue.too-large": "这一期的内容太大，无法保存（上限约 35 万字节）。",
  // Recipient CSV: core's parseRecipientCsv (the file as a whole)
  "recipients-csv.empty": "文件是空的：没有表头行。第一行应为 email,name,organization,tier,role。",
  "recipients-csv.header":
    "表头不正确。第一行应为 email,name,organization,tier,role（顺序不限；status、createdAt、updatedAt 列会被忽略）。",
  "recipients-csv.malformed": (d) => `CSV 格式有误${atLine(d)}：可能有未闭合的引号。`,
  "recipients.import-race": "导入期间有收件人被同时修改，请重新导入一次（重复导入是安全的）。",
  // One row of a recipient CSV (core's parseRecipientCsv and checkEmail)
  "row.too-few-fields": (d) => `字段太少（${d.count} 个，应为 ${d.expected} 个）`,
  "row.too-many-fields": (d) => `字段太多（${d.count} 个，应为 ${d.expected} 个）：单元格里的逗号要用引号括起来`,
  "row.line-break": (d) => `${column(d)}中有换行`,
  "row.control-char": (d) => `${column(d)}中有控制字符（${d.char}）`,
  "row.tier-missing": "缺少层级（应为 报、发、送，或 report、distribute、copy）",
  "row.tier-unknown": (d) => `层级“${d.value}”无法识别（应为 报、发、送，或 report、distribute、copy）`,
  "row.too-long": (d) => `${column(d)}太长（${d.length} 个字符，最多 ${d.max} 个）`,
  "row.duplicate": (d) => `与第 ${d.first} 行的邮箱重复`,
  "email.missing": "缺少邮箱",
  "email.spaces": "邮箱中有空格",
  "email.no-at": "邮箱中没有 @",
  "email.fullwidth-at": "邮箱中的＠是全角字符，请改为半角 @",
  "email.many-at": "邮箱中有不止一个 @",
  "email.too-long": "邮箱太长",
  "email.local-empty": "@ 前面是空的",
  "email.local-non-ascii": "@ 前面有中文或其他非英文字符（邮件服务无法投递）",
  "email.local-too-long": "@ 前面超过 64 个字符",
  "email.local-char": "@ 前面有不允许的字符",
  "email.dots": "邮箱中的点号位置不对（开头、结尾或连续两个点）",
  "email.domain-empty": "@ 后面是空的",
  "email.domain-too-long": "@ 后面的域名太长",
  "email.domain-no-dot": "@ 后面的域名没有点号",
  "email.domain-invalid": "@ 后面的域名无效",
  // Recipients, tokens, settings, issues, sends
  "recipient.exists": "该邮箱已在收件人名单中。",
  "recipient.not-found": "没有这个收件人（可能已被删除）。",
  "token.not-found": "没有这个令牌（可能已被撤销）。",
  "token.last-admin": "这是最后一个可用的管理员令牌，撤销后将无人能管理系统。请先创建另一个管理员令牌。",
  "token.expiry-past": "有效期必须晚于现在。",
  "settings.invalid": (d) => `设置有误${d.field ? `（${d.field}）` : ""}，未保存。`,
  "masthead.invalid": "刊头内容有误：不能包含换行或控制字符，且不能过长。",
  "figure.invalid": "图片的说明文字有误：替代文字不能为空，两者都不能包含换行或控制字符，且不超过 200 字。",
  "figure.not-found": "没有这张图片（可能已被删除）。",
  "issue.figure-src": "文件里的图片地址既不是 https 网址，也不是这一期已保存的图片。请改用图片的 https 网址。",
  "send.no-issue-number": "这一期还没有期号。请先在期刊页填写期号；确实没有期号时，请勾选“确认没有期号仍然发送”。",
  "send.only": "测试收件地址有误，请检查。",
  "send.scheduled-at": "计划发送时间已过。",
  "send.conflict": "发送的状态已经变化，未执行此操作。",
  "issue.not-found": "没有这一期（可能已被删除）。",
  "send.not-found": "没有这次发送。",
};

/**
 * The Chinese message of an error code, with its details; for a code not in ERROR_MESSAGES a Chinese
 * line naming the code, so an error added elsewhere never reaches the clerk in English.
 *
 * @example
 * errorMessage("text.undetectable", { line: 3 }); // "无法识别文件编码（第 3 行）：…"
 * errorMessage("import.never-seen"); // "无法处理（错误代码 import.never-seen）。…" until a line is added above
 */
export function errorMessage(code: string, details: Details = {}): string {
  const m = Object.hasOwn(ERROR_MESSAGES, code) ? ERROR_MESSAGES[code]! : undefined;
  if (m === undefined) return `无法处理（错误代码 ${code}）。请检查输入后重试；如果问题仍在，请把错误代码告诉管理员。`;
  return typeof m === "string" ? m : m(details);
}

/**
 * The Chinese message of a thrown error: a BulletinError by its code, anything else as an internal error.
 *
 * @example
 * catch (e) { return page(errorMessageOf(e)); }
 */
export function errorMessageOf(e: unknown): string {
  if (!(e instanceof BulletinError)) return "内部错误，请稍后重试。";
  // An importer's "line 12" is the line for the message too.
  const where = e instanceof ImportError ? e.where : undefined;
  const line = /^line (\d+)$/.exec(where ?? "")?.[1];
  return errorMessage(e.code, { ...(line ? { line: Number(line) } : where ? { where } : {}), ...e.details });
}
