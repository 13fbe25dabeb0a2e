; priority-timeout.asm - Call_Priority_VM_Event with a boost, restrictions and a time-out.
; At 10 ms a time-out callback asks for two priority events in VM 2, both waiting until VM 2
; enables interrupts (PEF_Wait_For_STI) and both with PEF_Time_Out. The scenario has VM 2
; disable its interrupts at 5 ms and enable them again at 100 ms: the first event, with a 50 ms
; time-out, times out first, so its callback runs in whatever VM is current with CF = 1; the
; second, with 500 ms, runs normally when VM 2 enables interrupts, in VM 2 with CF = 0. While an
; event waits its boost raises VM 2's priority; the boost goes when the event has run.
;
; run: vmmasm run --vms 1 --at "5 cli vm 2" --at "100 sti vm 2" examples/priority-timeout.asm

	.386p
	include vmm.inc

Declare_Virtual_Device PRIO, 1, 0, PRIO_Control, Undefined_Device_ID, Undefined_Init_Order

Begin_Control_Dispatch PRIO
	Control_Dispatch Init_Complete, Prio_Init_Complete
End_Control_Dispatch PRIO

VxD_LOCKED_CODE_SEG

BeginProc Prio_Init_Complete
	mov	eax, 10
	xor	edx, edx
	mov	esi, OFFSET32 Ask
	VMMcall Set_Global_Time_Out
	clc
	ret
EndProc Prio_Init_Complete

BeginProc Ask
	VMMcall Get_Sys_VM_Handle
	VMMcall Get_Next_VM_Handle		; EBX = VM 2
	mov	eax, High_Pri_Device_Boost	; the boost (leaving EAX unset is a classic bug)
	mov	ecx, PEF_Wait_For_STI OR PEF_Time_Out
	mov	edx, 1				; reference data: which request
	mov	edi, 50				; time-out in ms
	mov	esi, OFFSET32 Priority_Callback
	VMMcall Call_Priority_VM_Event
	mov	eax, High_Pri_Device_Boost
	mov	ecx, PEF_Wait_For_STI OR PEF_Time_Out
	mov	edx, 2
	mov	edi, 500
	mov	esi, OFFSET32 Priority_Callback
	VMMcall Call_Priority_VM_Event
	ret
EndProc Ask

; CF = 1: the time-out elapsed first (EBX is then the current VM, whichever it is).
BeginProc Priority_Callback
	jc	timed_out
	mov	ecx, [ebx.CB_VMID]
	VMMcall Get_System_Time
	Trace_Out "request #DL ran in VM #CL at #EAX ms"
	ret
timed_out:
	VMMcall Get_System_Time
	Trace_Out "request #DL timed out at #EAX ms (CF=1)"
	ret
EndProc Priority_Callback

VxD_LOCKED_CODE_ENDS
	end
