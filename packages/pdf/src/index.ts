export { PdfJsReader } from "./pdfjs-reader.ts";
