import { readFileSync } from "node:fs";
import { PdfJsReader } from "@bulletin/pdf";
import { parsePdfDocument } from "@bulletin/core";
const doc = await new PdfJsReader().read(readFileSync(process.argv[2]));
if (process.argv[3] === "raw") console.log(JSON.stringify(doc.pages[0], null, 0).slice(0, 3000));
const r = parsePdfDocument(doc);
console.log(JSON.stringify(r, null, 1));
