// Names in an expression, as written (whole symbols only).
import type { Expr } from "../front/ast.js";

/** Every name in an expression (whole symbols only). */
export function namesIn(e: Expr | null): string[] {
  const out: string[] = [];
  const visit = (x: Expr | null): void => {
    if (!x) return;
    switch (x.k) {
      case "name":
        out.push(x.name);
        return;
      case "unary":
        return visit(x.arg);
      case "binary":
        visit(x.left);
        return visit(x.right);
      case "index":
        visit(x.left);
        return visit(x.inner);
      case "field":
        visit(x.left);
        out.push(x.field);
        return;
      case "ptr":
        return visit(x.arg);
      case "seg":
        return visit(x.arg);
      case "dup":
        visit(x.count);
        x.items.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(e);
  return out;
}
