// Lint throughput: generates a large VxD-style source (one device, a control dispatch, many
// modules of procedures, data, equates, event callbacks, conditional debug code, comments), runs
// `bin/vmmasm lint` on it as a user would (start-up included) and prints lines per second as JSON,
// with the median time of each phase (VMMASM_LINT_TIMINGS), the CPU time, and the machine's load
// average, since other processes on a shared machine slow it down.
// Usage: node bench/lint.mjs [lines] [runs]        (after `npm run build`)
//        node bench/lint.mjs --write file [lines]  (only write the generated source)
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** One module of the driver: about 160 lines, every line sound VxD code. */
function module(n) {
  const p = `Mod${n}`;
  return `
;******************************************************************************
;   Module ${n}: buffers, an event callback, a time-out and a private message.
;******************************************************************************

${p}_Busy_Bit	equ	0
${p}_Busy	equ	1 SHL ${p}_Busy_Bit
${p}_Buf_Size	equ	40h
${p}_Msg	equ	BEGIN_RESERVED_PRIVATE_SYSTEM_CONTROL + ${n + 1}

VxD_LOCKED_DATA_SEG
${p}_hEvent	dd	0
${p}_hTimeOut	dd	0
${p}_Flags	dd	0
${p}_Count	dd	0
${p}_Buffer	db	${p}_Buf_Size dup (?)
${p}_Name	db	"MOD${n}", 0
VxD_LOCKED_DATA_ENDS

VxD_LOCKED_CODE_SEG

;------------------------------------------------------------------------------
;   ${p}_Start - schedules the event and the time-out for a VM.
;   ENTRY:  EBX = VM handle
;   EXIT:   CF clear
;   USES:   EAX, ECX, EDX, ESI, Flags
;------------------------------------------------------------------------------
BeginProc ${p}_Start
	Assert_VM_Handle ebx
	test	[${p}_Flags], ${p}_Busy		; already started?
	jnz	short ${p}_Start_Done
	or	[${p}_Flags], ${p}_Busy
	mov	esi, OFFSET32 ${p}_Event	; callback
	mov	edx, OFFSET32 ${p}_Buffer	; reference data
	VMMcall Schedule_VM_Event
	mov	[${p}_hEvent], esi
	mov	eax, 100			; milliseconds
	mov	esi, OFFSET32 ${p}_Time_Out
	xor	edx, edx
	VMMcall Set_Global_Time_Out
	mov	[${p}_hTimeOut], esi
IFDEF DEBUG
	Trace_Out "${p}: started for VM #EBX"
ENDIF
${p}_Start_Done:
	clc
	ret
EndProc ${p}_Start

;------------------------------------------------------------------------------
;   ${p}_Event - VM event callback: fills the buffer.
;   ENTRY:  EBX = VM, EDX = reference data, EBP -> Client_Reg_Struc
;------------------------------------------------------------------------------
BeginProc ${p}_Event
	mov	[${p}_hEvent], 0		; the handle is stale now
	push	edi
	mov	edi, edx
	mov	ecx, ${p}_Buf_Size / 4
	movzx	eax, word ptr [ebp.Client_AX]
	cld
	rep	stosd
	mov	eax, [ebp.Client_EBX]
	mov	[${p}_Count], eax
	inc	dword ptr [${p}_Count]
	call	${p}_Checksum
	pop	edi
	ret
EndProc ${p}_Event

;------------------------------------------------------------------------------
;   ${p}_Time_Out - time-out callback: ECX = ms late, EDX = reference data.
;------------------------------------------------------------------------------
BeginProc ${p}_Time_Out
	mov	[${p}_hTimeOut], 0
	and	[${p}_Flags], NOT ${p}_Busy
	VMMcall Get_System_Time
	sub	eax, ecx
	mov	[${p}_Count], eax
	ret
EndProc ${p}_Time_Out

;------------------------------------------------------------------------------
;   ${p}_Checksum - adds up the buffer.  EXIT: EAX = sum.  USES: EAX, ECX, ESI
;------------------------------------------------------------------------------
BeginProc ${p}_Checksum
	push	esi
	mov	esi, OFFSET32 ${p}_Buffer
	mov	ecx, ${p}_Buf_Size
	xor	eax, eax
@@:	movzx	edx, byte ptr [esi]
	add	eax, edx
	rol	eax, 3
	inc	esi
	dec	ecx
	jnz	@B
	cmp	eax, 0FFFFh
	jbe	short @F
	shr	eax, 16
@@:	lea	eax, [eax+eax*2+1]
	pop	esi
	ret
EndProc ${p}_Checksum

;------------------------------------------------------------------------------
;   ${p}_Stop - cancels what ${p}_Start scheduled.
;------------------------------------------------------------------------------
BeginProc ${p}_Stop
	xor	esi, esi
	xchg	esi, [${p}_hEvent]
	VMMcall Cancel_VM_Event
	xor	esi, esi
	xchg	esi, [${p}_hTimeOut]
	VMMcall Cancel_Time_Out
	and	[${p}_Flags], NOT ${p}_Busy
	clc
	ret
EndProc ${p}_Stop

;------------------------------------------------------------------------------
;   ${p}_Notify - tells the other devices, with a private message.
;------------------------------------------------------------------------------
BeginProc ${p}_Notify
	pushad
	mov	eax, ${p}_Msg
	VMMcall Get_Cur_VM_Handle
	mov	esi, OFFSET32 ${p}_Name
	xor	edi, edi
	VMMcall System_Control
	jc	short ${p}_Notify_Failed
	popad
	clc
	ret
${p}_Notify_Failed:
IFDEF DEBUG
	Debug_Out "${p}: notify failed"
ENDIF
	popad
	stc
	ret
EndProc ${p}_Notify

VxD_LOCKED_CODE_ENDS
`;
}

/** The driver: header, device, control dispatch, then modules until `lines` is reached. */
export function generate(lines) {
  const head = `; bench.asm - a generated VxD for the lint benchmark (vmmasm bench/lint.mjs).
	.386p
	include vmm.inc

BENCH_Init_Order	equ	Undefined_Init_Order

Declare_Virtual_Device BENCH, 1, 0, BENCH_Control, Undefined_Device_ID, BENCH_Init_Order

Begin_Control_Dispatch BENCH
	Control_Dispatch Device_Init,	BENCH_Device_Init
	Control_Dispatch Create_VM,	BENCH_Create_VM
	Control_Dispatch Destroy_VM,	BENCH_Destroy_VM
	Control_Dispatch Set_Device_Focus, BENCH_Set_Focus
End_Control_Dispatch BENCH
`;
  const modules = [];
  let count = head.split("\n").length;
  const per = module(0).split("\n").length;
  for (let n = 0; count < lines - 40; n++) {
    modules.push(module(n));
    count += per;
  }
  const calls = (what) => modules.map((_, n) => `\tcall\tMod${n}_${what}`).join("\n");
  const handlers = `
VxD_LOCKED_CODE_SEG

BeginProc BENCH_Device_Init
	clc
	ret
EndProc BENCH_Device_Init

BeginProc BENCH_Create_VM
${calls("Start")}
	clc
	ret
EndProc BENCH_Create_VM

BeginProc BENCH_Destroy_VM
${calls("Stop")}
	clc
	ret
EndProc BENCH_Destroy_VM

BeginProc BENCH_Set_Focus
${calls("Notify").split("\n").slice(0, 4).join("\n")}
	clc
	ret
EndProc BENCH_Set_Focus

VxD_LOCKED_CODE_ENDS
	end
`;
  return head + modules.join("") + handlers;
}

function main() {
  const args = process.argv.slice(2);
  if (args[0] === "--write") {
    writeFileSync(args[1], generate(Number(args[2] ?? 120000)));
    return;
  }
  const want = Number(args[0] ?? 120000);
  const runs = Number(args[1] ?? 5);
  const text = generate(want);
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  const file = join(mkdtempSync(join(tmpdir(), "vmmasm-bench-")), "bench.asm");
  writeFileSync(file, text);
  const bin = join(root, "bin", "vmmasm");
  const times = [];
  const phases = [];
  let findings = null;
  for (let i = 0; i < runs + 1; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(bin, ["lint", "--format", "json", file], { encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, VMMASM_LINT_TIMINGS: "1" } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`vmmasm lint exited ${r.status}: ${r.stderr}`);
    findings = JSON.parse(r.stdout).length;
    if (i > 0) {
      // the first run only warms the file cache
      times.push(ms);
      phases.push(JSON.parse(r.stderr.trim().split("\n").pop()));
    }
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const median = med(times);
  const phase = (k) => +med(phases.map((p) => p[k])).toFixed(1);
  console.log(
    JSON.stringify(
      {
        lines,
        runs,
        medianMs: +median.toFixed(1),
        bestMs: +Math.min(...times).toFixed(1),
        linesPerSecond: Math.round(lines / (median / 1000)),
        medianPhasesMs: { assembleAndLower: phase("assemble"), analyse: phase("analyse"), rules: phase("rules"), startToOutput: phase("startedMs") },
        // CPU time up to the output, medians: every thread, and the main thread alone (Linux).
        medianCpuMs: { allThreads: phase("cpuMs"), mainThread: phases.every((p) => p.mainThreadCpuMs !== undefined) ? phase("mainThreadCpuMs") : null },
        findings,
        loadAverage: loadavg().map((x) => +x.toFixed(2)),
        goal: "linesPerSecond >= 200000",
      },
      null,
      2,
    ),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
