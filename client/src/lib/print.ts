// "Imprimer": before the print dialog opens, the map frames the territory for paper and
// loads its tiles (Ctrl+P only gets the synchronous `beforeprint`, with the tiles at hand).
let prepare: (() => Promise<void>) | null = null;

/** The map registers how it gets ready for paper; the returned function unregisters it. */
export function onPreparePrint(fn: () => Promise<void>): () => void {
  prepare = fn;
  return () => {
    if (prepare === fn) prepare = null;
  };
}

/** Readies the map, then opens the print dialog. */
export async function printPage(): Promise<void> {
  try {
    await prepare?.();
  } finally {
    window.print();
  }
}
