; hello.asm - the smallest vmmasm program: top-level code runs in the System VM as a device's
; code would, and Trace_Out prints registers (#EAX as 8 hex digits, #AX as 4, #AL as 2) and
; the nearest label of a value (?ESI).
;
; run: vmmasm run examples/hello.asm

	.386p
	include vmm.inc

	mov	eax, 0C0FFEEh
	mov	ebx, 1234h
	Trace_Out "Hello from vmmasm: EAX=#EAX BX=#BX AL=#AL"

	VMMcall Get_VMM_Version			; AH = major, AL = minor version
	Trace_Out "VMM version #AX"

	VMMcall Get_Sys_VM_Handle		; EBX = System VM handle
	VMMcall Test_Cur_VM_Handle		; ZF = 1: the System VM is current
	jnz	not_current
	Trace_Out "running in the System VM, handle #EBX"
not_current:
	mov	esi, OFFSET32 Greeting + 3
	Trace_Out "ESI points at ?ESI"
	ret					; back to the VMM: the run ends

Greeting db	"Hi!", 0
