import { type DefaultTreeAdapterMap, parse } from "parse5";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

/** Attributes whose value a browser follows or runs. */
const URL_ATTRS = new Set(["href", "src", "action", "formaction", "xlink:href", "background", "poster", "data"]);
/** Elements no page of ours (or the email) has of its own (the dashboard draws its bars in SVG: a payload <svg> is caught by its attributes). */
const FORBIDDEN = new Set(["script", "object", "embed", "frame", "frameset", "base", "mj-raw", "mj-text"]);

export interface ParsedPage {
  /** The visible text, and the title, with runs of whitespace made one space. */
  text: string;
  /** Every element, documents inside srcdoc included. */
  elements: Element[];
}

function* walk(node: Node): Generator<Node> {
  yield node;
  const children = "childNodes" in node ? node.childNodes : [];
  for (const child of children) yield* walk(child);
  if (node.nodeName === "template") yield* walk((node as DefaultTreeAdapterMap["template"]).content);
}

/**
 * Parses a page as a browser would (parse5 implements the WHATWG HTML parser), including the document
 * of any iframe srcdoc, and fails if markup from the hostile payloads became live: an element or
 * attribute they carry (`data-evil`), a script, an event handler attribute, a javascript: URL, a
 * style sheet holding their text, or an iframe other than the dashboard's sandboxed preview.
 * Returns the text, so the caller can check the payloads are shown as text.
 *
 * @example
 * const { text } = expectInert(await res.text(), "/admin");
 * expect(text).toContain("<script data-evil>");
 */
export function expectInert(html: string, where: string, opts: { depth?: number } = {}): ParsedPage {
  const elements: Element[] = [];
  const texts: string[] = [];
  for (const node of walk(parse(html))) {
    if (node.nodeName === "#text") {
      const parent = (node as DefaultTreeAdapterMap["textNode"]).parentNode as Element | null;
      const inside = parent?.tagName;
      if (inside === "style" && /evil|data-evil/.test((node as DefaultTreeAdapterMap["textNode"]).value)) {
        throw new Error(
          `${where}: payload text inside a <style> element: ${(node as DefaultTreeAdapterMap["textNode"]).value.slice(0, 200)}`,
        );
      }
      if (inside !== "style" && inside !== "script") texts.push((node as DefaultTreeAdapterMap["textNode"]).value);
      continue;
    }
    if (!("tagName" in node)) continue;
    const el = node as Element;
    elements.push(el);
    const attrs = Object.fromEntries(el.attrs.map((a) => [a.name, a.value]));
    const describe = () => `<${el.tagName} ${el.attrs.map((a) => `${a.name}="${a.value.slice(0, 80)}"`).join(" ")}>`;
    // The one script a page may have is the service's own file, empty inline (the import page's upload).
    const ownScript =
      el.tagName === "script" && /^\/admin\/assets\/[\w-]+\.js$/.test(attrs.src ?? "") && el.childNodes.length === 0;
    if (FORBIDDEN.has(el.tagName) && !ownScript)
      throw new Error(`${where}: a live <${el.tagName}> element: ${describe()}`);
    for (const { name, value } of el.attrs) {
      if (name === "data-evil" || name.startsWith("evil"))
        throw new Error(`${where}: a payload attribute: ${describe()}`);
      if (/^on/i.test(name)) throw new Error(`${where}: an event handler attribute: ${describe()}`);
      if (URL_ATTRS.has(name) && /^\s*(javascript|vbscript|data):/i.test(value))
        throw new Error(`${where}: a script URL: ${describe()}`);
      if (name === "style" && /evil|expression\(|url\(\s*['"]?javascript/i.test(value))
        throw new Error(`${where}: payload in a style attribute: ${describe()}`);
    }
    if (el.tagName === "iframe") {
      // The dashboard's preview: an empty sandbox around the email; its document is checked in turn.
      if (attrs.sandbox !== "" || Object.keys(attrs).some((a) => !["class", "title", "sandbox", "srcdoc"].includes(a)))
        throw new Error(`${where}: an iframe that is not the sandboxed preview: ${describe()}`);
      if ((opts.depth ?? 0) > 1) throw new Error(`${where}: iframes nested in iframes`);
      const inner = expectInert(attrs.srcdoc ?? "", `${where} (srcdoc)`, { depth: (opts.depth ?? 0) + 1 });
      elements.push(...inner.elements);
      texts.push(inner.text);
    }
  }
  return { text: texts.join(" ").replace(/\s+/g, " "), elements };
}
