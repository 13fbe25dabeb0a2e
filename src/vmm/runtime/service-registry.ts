// Service name → the TypeScript that simulates it. Each service module registers its own.
import type { Cpu } from "../../machine/cpu.js";
import type { Vmm } from "./vmm.js";

export type ServiceHandler = (vmm: Vmm, cpu: Cpu, site: number) => void;

const handlers = new Map<string, ServiceHandler>();
export const SERVICE_HANDLERS: ReadonlyMap<string, ServiceHandler> = handlers;

export function service(name: string, h: ServiceHandler): void {
  handlers.set(name, h);
}
