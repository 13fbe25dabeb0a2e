; call-vm-event.asm - the Call_VM_Event page of the DDK, completed into a program.
;
; Call_VM_Event calls the callback at once when the target VM is the current one (and no
; hardware interrupt interrupted the VMM): ESI is 0 on return. For any other VM it schedules
; an event and returns its handle in ESI; the callback runs later, after a task switch to that
; VM, with EBX = the VM, EDX = the reference data and EBP -> that VM's Client_Reg_Struc.
;
; run: vmmasm run --vms 1 examples/call-vm-event.asm

	.386p
	include vmm.inc

	; 1. The current VM: the callback runs before Call_VM_Event returns.
	VMMcall Get_Cur_VM_Handle		; EBX = the System VM (current)
	mov	esi, OFFSET32 EventCallback	; points to callback procedure
	mov	edx, OFFSET32 RefData		; points to reference data
	VMMcall Call_VM_Event
	mov	[Event], esi			; event handle or zero if not scheduled
	Trace_Out "same VM:  ESI=#ESI (called at once)"

	; 2. Another VM: the event is scheduled and runs when the VMM next returns to a VM.
	VMMcall Get_Next_VM_Handle		; EBX = the VM after the System VM
	mov	esi, OFFSET32 EventCallback
	mov	edx, OFFSET32 RefData2
	VMMcall Call_VM_Event
	mov	[Event], esi
	Trace_Out "other VM: ESI=#ESI (scheduled)"
	ret

; The VMM calls this with EBX = VM, EDX = RefData, EBP -> Client_Reg_Struc. It may change
; EAX, EBX, ECX, EDX, ESI and EDI only.
BeginProc EventCallback
	mov	dword ptr [Event], 0		; the handle is stale once the event runs
	mov	eax, [edx]			; the reference data
	mov	ecx, [ebx.CB_VMID]		; which VM we are in
	Trace_Out "callback: VM #ECX, handle #EBX, reference data #EAX"
	ret
EndProc EventCallback

RefData		dd	11111111h
RefData2	dd	22222222h
Event		dd	0
