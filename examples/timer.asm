; timer.asm - a timer device. At Init_Complete it arms a global time-out; every 20 ms of
; simulated time the time-out callback runs (at event time, ECX = how late it is) and asks for
; work to be done inside VM 2 with Call_VM_Event. The current VM is not VM 2, so the event is
; scheduled, and the VMM switches to VM 2 before it calls the event callback. After three ticks
; the timer stops re-arming itself.
;
; run: vmmasm run --vms 1 examples/timer.asm

	.386p
	include vmm.inc

Declare_Virtual_Device TICKER, 1, 0, TICKER_Control, Undefined_Device_ID, Undefined_Init_Order

VxD_LOCKED_DATA_SEG
Ticks		dd	0
TimeOut		dd	0		; the armed time-out's handle, 0 when none
VxD_LOCKED_DATA_ENDS

Begin_Control_Dispatch TICKER
	Control_Dispatch Init_Complete, Ticker_Init_Complete
End_Control_Dispatch TICKER

VxD_LOCKED_CODE_SEG

BeginProc Ticker_Init_Complete
	call	Arm_Timer
	clc
	ret
EndProc Ticker_Init_Complete

BeginProc Arm_Timer
	mov	eax, 20				; milliseconds
	mov	edx, OFFSET32 Ticks		; reference data
	mov	esi, OFFSET32 Tick_Callback
	VMMcall Set_Global_Time_Out
	mov	[TimeOut], esi
	ret
EndProc Arm_Timer

; EBX = current VM, ECX = ms late, EDX = reference data, EBP -> client registers.
BeginProc Tick_Callback
	mov	dword ptr [TimeOut], 0
	inc	dword ptr [edx]
	mov	eax, [edx]
	VMMcall Get_System_Time			; EAX = ms since start
	mov	ecx, [Ticks]
	Trace_Out "tick #ECX at #EAX ms"
	VMMcall Get_Sys_VM_Handle
	VMMcall Get_Next_VM_Handle		; VM 2
	mov	esi, OFFSET32 Work_In_VM
	mov	edx, ecx
	VMMcall Call_VM_Event
	cmp	dword ptr [Ticks], 3
	jae	@F
	call	Arm_Timer
@@:	ret
EndProc Tick_Callback

BeginProc Work_In_VM
	mov	eax, [ebx.CB_VMID]
	Trace_Out "  work for tick #EDX done in VM #EAX"
	ret
EndProc Work_In_VM

VxD_LOCKED_CODE_ENDS
	end
