// Addresses of the DDK pages the rules come from (vmm-facts §0 gives the keys).

/** A page of the Windows 95 DDK documentation, by its page ID (e.g. "S32CF"). */
export function w95(page: string): string {
  return `https://library.thedatadungeon.com/msdn-1998-06/win95ddk/HTML/${page}.content.HTM`;
}

/** A page of the Windows 3.1 DDK "Virtual Devices" reference, by topic. */
export function vdag(topic: string): string {
  return `https://fragglet.github.io/dos-help-files/vdag31qh.hlp/${topic}.html`;
}
