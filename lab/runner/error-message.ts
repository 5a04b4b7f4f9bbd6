// What to print for anything thrown: an Error's message, or the thrown value itself.
export function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}
