// Exit codes of every vmmasm command, documented in the README.
export const ExitCode = {
  /** The program ran to its end (warnings allowed); lint found nothing at error level. */
  OK: 0,
  /** The source has errors: it did not assemble (or lint found errors). */
  SOURCE_ERROR: 1,
  /** The command line could not be used: unknown option, missing file. */
  USAGE: 2,
  /** The machine faulted: bad memory access, divide error, stack fault, step bound. */
  RUNTIME_FAULT: 3,
  /** The program broke a rule of the DDK that the simulated VMM enforces, or called Fatal_Error. */
  VMM_VIOLATION: 4,
  /** vmmasm itself failed (a bug, reported as such): the conventional EX_SOFTWARE. */
  INTERNAL_ERROR: 70,
} as const;
