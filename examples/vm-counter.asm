; vm-counter.asm - VMs created and destroyed by the shell while a device counts them. The
; scenario beside this file has the shell create three VMs and end one normally, one by closing
; it (this device objects to the first Query_Destroy and tells the user why with SHELL_Message,
; so the VM stays until the close is forced) and one by a crash. VM_Not_Executeable's EDX says why
; a VM ends (VNE_* flags).
;
; run: vmmasm run --scenario examples/vm-counter.scenario examples/vm-counter.asm

	.386p
	include vmm.inc
	include shell.inc

Declare_Virtual_Device VMCOUNT, 1, 0, VMCOUNT_Control, Undefined_Device_ID, Undefined_Init_Order

VxD_LOCKED_DATA_SEG
Live		dd	0
Created		dd	0
Objected	dd	0
Busy_Caption	db	"VM counter", 0
Busy_Text	db	"This VM is still being counted. Close it again to end it anyway.", 0
VxD_LOCKED_DATA_ENDS

Begin_Control_Dispatch VMCOUNT
	Control_Dispatch Create_VM,		Count_Create
	Control_Dispatch Query_Destroy,		Count_Query
	Control_Dispatch VM_Not_Executeable,	Count_Not_Executeable
	Control_Dispatch Destroy_VM,		Count_Destroy
	Control_Dispatch System_Exit,		Count_Report
End_Control_Dispatch VMCOUNT

VxD_LOCKED_CODE_SEG

BeginProc Count_Create
	inc	[Created]
	inc	[Live]
	mov	eax, [ebx.CB_VMID]
	mov	ecx, [Live]
	Trace_Out "VM #AL created, #CL live"
	clc
	ret
EndProc Count_Create

; CF = 1 objects to destroying a VM that did not exit normally. Object once, and tell the user
; why: the shell shows the box later, and Count_Answer gets the button the user chose.
BeginProc Count_Query
	mov	eax, [ebx.CB_VMID]
	cmp	[Objected], 0
	jne	@F
	inc	[Objected]
	Trace_Out "VM #AL: objecting to Query_Destroy"
	mov	eax, MB_OK OR MB_ICONEXCLAMATION
	mov	ecx, OFFSET32 Busy_Text
	mov	edi, OFFSET32 Busy_Caption
	mov	esi, OFFSET32 Count_Answer
	mov	edx, [ebx.CB_VMID]
	VxDcall	SHELL_Message
	stc
	ret
@@:	clc
	ret
EndProc Count_Query

; SHELL_Message's callback: EAX = the ID* answer, EDX = the reference data (the VM's ID). EBX may be
; any VM.
BeginProc Count_Answer
	Trace_Out "VM #DL: the user answered #AL"
	ret
EndProc Count_Answer

BeginProc Count_Not_Executeable
	mov	eax, [ebx.CB_VMID]
	Trace_Out "VM #AL not executeable, VNE flags #DL"
	clc
	ret
EndProc Count_Not_Executeable

BeginProc Count_Destroy
	dec	[Live]
	mov	eax, [ebx.CB_VMID]
	mov	ecx, [Live]
	Trace_Out "VM #AL destroyed, #CL live"
	clc
	ret
EndProc Count_Destroy

BeginProc Count_Report
	mov	eax, [Created]
	Trace_Out "#AL VMs created in all"
	clc
	ret
EndProc Count_Report

VxD_LOCKED_CODE_ENDS
	end
