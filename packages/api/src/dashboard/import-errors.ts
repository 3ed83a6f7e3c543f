import type { BulletinError } from "@bulletin/core";

/**
 * What the clerk reads when an import fails, by the importer's error code: the CLI and the API keep
 * the importer's English message, the dashboard says it in Chinese. A code not listed here (a new
 * one) falls back to a general sentence with the code, never to English.
 */
const MESSAGES: Record<string, string> = {
  "import.empty": "文件是空的，没有内容可导入。",
  "import.binary": "这不是文本文件（可能是 Word 或压缩文件）。请上传简报 PDF 原件，或另存为纯文本后再导入。",
  "import.encoding": "文本编码无法识别。请另存为 UTF-8 编码后再导入，或直接上传简报 PDF 原件。",
  "import.pdf": "这是 PDF 文件，请在“格式”中选择“自动识别”或“PDF 原件”后上传。",
  "import.pdf-encrypted": "这个 PDF 设置了打开密码，无法读取。请在 WPS 或 Word 中另存一份不带密码的 PDF 后再导入。",
  "import.pdf-damaged": "这个 PDF 已损坏或不是有效的 PDF，无法读取。请从 Word 或 WPS 重新导出 PDF 后再导入。",
  "import.pdf-no-text": "这个 PDF 里只有图片、没有文字（扫描件）。系统读取的是 PDF 中的文字，扫描件读不出内容。请上传由 Word 或 WPS 导出的 PDF。",
  "import.too-large": "PDF 超过 30 MB，无法导入。请压缩其中的图片后重新导出。",
  "import.not-a-bulletin": "内容不像一期简报：没有找到中文标题和正文。请确认上传的是简报本身。",
  "import.json-syntax": "JSON 格式有误，无法解析。",
  "import.json-shape": "JSON 内容不符合期刊格式，请检查字段。",
  "import.markdown": "Markdown 格式有误，请按导出的格式修改后再导入。",
  "upload.not-found": "找不到上传的文件：可能已过期或已导入，请重新上传。",
  "upload.invalid": "上传信息无效，请重新上传。",
};

/**
 * @example
 * importErrorMessage(new ImportError("import.pdf-no-text", "…")); // "这个 PDF 里只有图片、没有文字（扫描件）…"
 */
export function importErrorMessage(e: Pick<BulletinError, "code"> & { where?: string | undefined }): string {
  const message = MESSAGES[e.code] ?? `文件无法导入（错误代码 ${e.code}），请检查文件后重试。`;
  return e.where ? `${message}（位置：${e.where}）` : message;
}
