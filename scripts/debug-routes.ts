/**
 * Developer aid: prints the route inventory and CSRF verdicts of a folder, to see what the model
 * understood. Usage: node --import tsx scripts/debug-routes.ts PATH
 */

import { scan } from "../src/scan.js";

const root = process.argv[2] ?? ".";
const { context } = await scan({ root });
for (const [route, a] of context.routes) {
  const verdicts = [...a.csrf.values()]
    .map(
      (v) =>
        `${v.method}:${v.vulnerable ? v.severity : "ok"}[${v.defences.join("+")}]${v.writes.length ? "w" : ""}`,
    )
    .join(" ");
  process.stdout.write(
    `${route.methods.join(",")} ${route.path}  ${route.handler.module.path}:${route.handler.name}  auth=${a.facts.auth.join("+")} ${verdicts} dyn=${a.facts.dynamo.map((d) => `${d.op}${d.write ? "!" : ""}`).join(",")}\n`,
  );
  for (const v of a.csrf.values()) {
    for (const g of v.gaps) {
      process.stdout.write(`    gap ${v.method}: ${g.file}:${g.line} ${g.note}\n`);
    }
    for (const r of v.reasons) {
      process.stdout.write(`    why ${v.method}: ${r}\n`);
    }
    for (const w of v.weak) {
      process.stdout.write(
        `    weak ${v.method}: ${w.module.path}:${w.module.line(w.node)} ${w.severity} ${w.reason}\n`,
      );
    }
  }
}
