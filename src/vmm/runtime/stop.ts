// A VMM rule break or fatal condition, raised from inside a service: the machine unwinds and the
// runner turns it into a diagnostic at the calling instruction.
import { MachineFault } from "../../machine/fault.js";
import type { DiagnosticName } from "../../diagnostics/codes.js";

export class VmmStop extends MachineFault {
  constructor(
    readonly diagnosticName: DiagnosticName,
    message: string,
    readonly help?: string,
    readonly notes: readonly string[] = [],
    readonly span: import("../../ir/types.js").SourceSpan | null = null,
  ) {
    super("host", message, null, diagnosticName);
  }
}
