// A reader that stops early (`vmmasm run --trace x.asm | head`) closes our stdout: end quietly.
export function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}

let goesOn = false;

/** A command that goes on after it returns (the REPL) says so: the process then ends by itself. */
export function goOnAfterReturn(): void {
  goesOn = true;
}

/**
 * Ends the process with `code` once everything written has been flushed. Left to end by itself,
 * Node would first tear down the heap, which after a large lint takes longer than printing.
 */
export function exitOnceFlushed(code: number): void {
  if (goesOn) return;
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}
