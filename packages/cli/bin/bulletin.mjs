#!/usr/bin/env node
// The `bulletin` command. The CLI is TypeScript run through tsx, so `npx bulletin` works right after
// `npm ci` with no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
