; A DDK-style sample device (IRQ virtualised with VPICD, an event from the hardware interrupt,
; Set_Device_Focus sent from Destroy_VM, a V86/PM API). It must lint with no error or warning.
	title	VSAMPLE - sample virtual device
	.386p

	.xlist
	include vmm.inc
	include debug.inc
	include vpicd.inc
	.list

VSAMPLE_Device_ID	equ	4321h
VSAMPLE_IRQ		equ	5

Declare_Virtual_Device VSAMPLE, 3, 0Ah, VSAMPLE_Control, VSAMPLE_Device_ID, Undefined_Init_Order, VSAMPLE_V86_API, VSAMPLE_PM_API

VxD_LOCKED_DATA_SEG
VSAMPLE_IRQ_Desc	VPICD_IRQ_Descriptor <VSAMPLE_IRQ, VPICD_Opt_Can_Share, OFFSET32 VSAMPLE_Hw_Int>
VSAMPLE_IRQ_Handle	dd	0
VSAMPLE_Owner		dd	0
VSAMPLE_Event_Handle	dd	0
VSAMPLE_CB_Offset	dd	0
VSAMPLE_Count		dd	0
VxD_LOCKED_DATA_ENDS

VxD_ICODE_SEG

BeginProc VSAMPLE_Sys_Crit_Init
	mov	edi, OFFSET32 VSAMPLE_IRQ_Desc
	VxDcall	VPICD_Virtualize_IRQ
	jc	SHORT VSAMPLE_SCI_Fail
	mov	[VSAMPLE_IRQ_Handle], eax
	VMMcall	_Allocate_Device_CB_Area, <4, 0>
	test	eax, eax
	jz	SHORT VSAMPLE_SCI_Fail
	mov	[VSAMPLE_CB_Offset], eax
	clc
	ret
VSAMPLE_SCI_Fail:
	Debug_Out "VSAMPLE: cannot initialise"
	stc
	ret
EndProc VSAMPLE_Sys_Crit_Init

VxD_ICODE_ENDS

VxD_LOCKED_CODE_SEG

Begin_Control_Dispatch VSAMPLE
	Control_Dispatch Sys_Critical_Init, VSAMPLE_Sys_Crit_Init
	Control_Dispatch Create_VM, VSAMPLE_Create_VM
	Control_Dispatch VM_Init, VSAMPLE_VM_Init
	Control_Dispatch Destroy_VM, VSAMPLE_Destroy_VM
	Control_Dispatch Set_Device_Focus, VSAMPLE_Set_Focus
End_Control_Dispatch VSAMPLE

BeginProc VSAMPLE_Create_VM
	Assert_VM_Handle ebx
	mov	edi, ebx
	add	edi, [VSAMPLE_CB_Offset]
	mov	dword ptr [edi], 0
	clc
	ret
EndProc VSAMPLE_Create_VM

BeginProc VSAMPLE_VM_Init
	Push_Client_State
	VMMcall	Begin_Nest_V86_Exec
	mov	eax, 2Fh
	VMMcall	Exec_Int
	VMMcall	End_Nest_Exec
	Pop_Client_State
	clc
	ret
EndProc VSAMPLE_VM_Init

BeginProc VSAMPLE_Destroy_VM
	cmp	ebx, [VSAMPLE_Owner]
	jne	SHORT VSAMPLE_DV_Exit
	mov	[VSAMPLE_Owner], 0
	VMMcall	Get_Sys_VM_Handle
	mov	eax, Set_Device_Focus
	mov	edx, VSAMPLE_Device_ID
	xor	esi, esi
	xor	edi, edi
	VMMcall	System_Control
VSAMPLE_DV_Exit:
	xor	esi, esi
	xchg	esi, [VSAMPLE_Event_Handle]
	VMMcall	Cancel_VM_Event
	clc
	ret
EndProc VSAMPLE_Destroy_VM

BeginProc VSAMPLE_Set_Focus
	cmp	edx, VSAMPLE_Device_ID
	je	SHORT VSAMPLE_SF_Mine
	test	edx, edx
	jnz	SHORT VSAMPLE_SF_Exit
VSAMPLE_SF_Mine:
	mov	[VSAMPLE_Owner], ebx
VSAMPLE_SF_Exit:
	clc
	ret
EndProc VSAMPLE_Set_Focus

BeginProc VSAMPLE_Hw_Int, HIGH_FREQ
	SaveReg	<ebx, esi>
	VxDcall	VPICD_Phys_EOI
	mov	ebx, [VSAMPLE_Owner]
	test	ebx, ebx
	jz	SHORT VSAMPLE_HI_Done
	VxDcall	VPICD_Set_Int_Request
	mov	esi, OFFSET32 VSAMPLE_Event
	xor	edx, edx
	VMMcall	Schedule_VM_Event
	mov	[VSAMPLE_Event_Handle], esi
VSAMPLE_HI_Done:
	RestoreReg <esi, ebx>
	clc
	ret
EndProc VSAMPLE_Hw_Int

BeginProc VSAMPLE_Event
	mov	[VSAMPLE_Event_Handle], 0
	inc	[VSAMPLE_Count]
	mov	eax, [VSAMPLE_Count]
	mov	[ebp.Client_EAX], eax
	ret
EndProc VSAMPLE_Event

BeginProc VSAMPLE_V86_API
	movzx	eax, [ebp.Client_AX]
	cmp	eax, 1
	ja	SHORT VSAMPLE_API_Bad
	mov	eax, [VSAMPLE_Count]
	mov	[ebp.Client_EAX], eax
	and	[ebp.Client_EFlags], NOT CF_Mask
	ret
VSAMPLE_API_Bad:
	or	[ebp.Client_EFlags], CF_Mask
	ret
EndProc VSAMPLE_V86_API

BeginProc VSAMPLE_PM_API
	jmp	VSAMPLE_V86_API
EndProc VSAMPLE_PM_API

VxD_LOCKED_CODE_ENDS
	end
