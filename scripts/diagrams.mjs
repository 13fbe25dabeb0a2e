// Writes grammar/diagrams.html: railroad diagrams of the statement grammar, drawn by Chevrotain
// from the parser itself (so they cannot drift from what the parser accepts).
import { build } from "esbuild";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const out = await build({
  stdin: {
    contents: `
      import { createSyntaxDiagramsCode } from "chevrotain";
      import { LineParser } from "./grammar/parser.ts";
      const parser = new LineParser();
      export const html = createSyntaxDiagramsCode(parser.getSerializedGastProductions());
    `,
    resolveDir: ".",
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  write: false,
  logLevel: "warning",
});
const url = "data:text/javascript;base64," + Buffer.from(out.outputFiles[0].text).toString("base64");
const { html } = await import(url);
// Inline Chevrotain's diagram scripts and style so the page works offline.
const local = (path) => readFileSync(`node_modules/chevrotain/diagrams/${path}`, "utf8");
const inlined = html
  .replace(/<link rel='stylesheet' href='[^']*\/diagrams\/([^']+)'>/g, (_, p) => `<style>\n${local(p)}\n</style>`)
  .replace(/<script src='[^']*\/diagrams\/([^']+)'><\/script>/g, (_, p) => (existsSync(`node_modules/chevrotain/diagrams/${p}`) ? `<script>\n${local(p)}\n</script>` : ""));
writeFileSync("grammar/diagrams.html", inlined);
console.log("wrote grammar/diagrams.html");
